from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "atelier.planning"
    label = "planning"
    verbose_name = "Techniciens et planification des visites"
