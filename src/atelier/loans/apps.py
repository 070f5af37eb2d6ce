from django.apps import AppConfig


class LoansConfig(AppConfig):
    name = "atelier.loans"
    label = "loans"
    verbose_name = "Appareils de prêt"

    def ready(self):
        from atelier.loans import checks, plugins
        from atelier.repairs import extensions

        extensions.detail_sections.append(plugins.dossier_section)
        extensions.home_panels.append(plugins.home_panels)
        extensions.home_actions.append(plugins.home_actions)
        extensions.step_checks.append(checks.step_check)
