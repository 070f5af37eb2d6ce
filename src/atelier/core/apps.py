from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "atelier.core"
    label = "core"
    verbose_name = "Socle (sites, utilisateurs, rôles)"

    def ready(self):
        from atelier.core import accounts  # noqa: F401  (connects the idle clock to user_logged_in)
