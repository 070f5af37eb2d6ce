from django.apps import AppConfig


class FieldworkConfig(AppConfig):
    name = "atelier.fieldwork"
    label = "fieldwork"
    verbose_name = "Outillage, sécurité et mise en service"

    def ready(self):
        from atelier.fieldwork import checks, plugins
        from atelier.repairs import extensions

        extensions.home_panels.append(plugins.home_panels)
        extensions.home_actions.append(plugins.home_actions)
        extensions.detail_sections.append(plugins.dossier_section)
        extensions.step_checks.append(checks.step_check)
