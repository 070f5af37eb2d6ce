from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "atelier.operations"
    label = "operations"
    verbose_name = "Exploitation (tâches planifiées)"
