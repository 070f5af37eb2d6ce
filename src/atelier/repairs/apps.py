from django.apps import AppConfig


class RepairsConfig(AppConfig):
    name = "atelier.repairs"
    label = "repairs"
    verbose_name = "Dossiers SAV"

    def ready(self):
        from atelier.repairs import extensions, home

        extensions.home_actions.insert(0, home.home_actions)  # the dossiers' own « À faire » and figures
