from django.apps import AppConfig


class ImprovementConfig(AppConfig):
    name = "atelier.improvement"
    label = "improvement"
    verbose_name = "Amélioration continue"
