from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "atelier.billing"
    label = "billing"
    verbose_name = "Facturation, paiements et journal"

    def ready(self):
        from atelier.billing import checks, plugins
        from atelier.repairs import extensions

        extensions.detail_sections.append(plugins.dossier_section)
        extensions.home_panels.append(plugins.home_panels)
        extensions.step_checks.append(checks.step_check)
