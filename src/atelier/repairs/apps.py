from django.apps import AppConfig


class RepairsConfig(AppConfig):
    name = "atelier.repairs"
    label = "repairs"
    verbose_name = "Dossiers SAV"
