from django.apps import AppConfig


class DiagnosticsConfig(AppConfig):
    name = "atelier.diagnostics"
    label = "diagnostics"
    verbose_name = "Questionnement, pré-diagnostic et diagnostic"

    def ready(self):
        from atelier.diagnostics import plugins, services
        from atelier.repairs import extensions

        extensions.detail_sections.append(plugins.dossier_section)
        extensions.after_step.append(services.learn_on_close)
