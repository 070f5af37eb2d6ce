from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "atelier.core"
    label = "core"
    verbose_name = "Socle (sites, utilisateurs, rôles)"

    def ready(self):
        from atelier.core import accounts, checks  # noqa: F401  (idle clock on user_logged_in; deploy checks)
