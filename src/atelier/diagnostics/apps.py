from django.apps import AppConfig


class DiagnosticsConfig(AppConfig):
    name = "atelier.diagnostics"
    label = "diagnostics"
    verbose_name = "Questionnement, pré-diagnostic et diagnostic"
