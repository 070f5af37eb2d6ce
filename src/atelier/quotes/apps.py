from django.apps import AppConfig


class QuotesConfig(AppConfig):
    name = "atelier.quotes"
    label = "quotes"
    verbose_name = "Devis et ordres de réparation"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from atelier.customers import extensions as customer_extensions
        from atelier.quotes import plugins, stock_link
        from atelier.repairs import extensions

        extensions.detail_sections.append(plugins.dossier_section)
        extensions.home_panels.append(plugins.home_panel)
        extensions.home_actions.append(plugins.home_actions)
        extensions.case_filters["late"] = (_("En retard"), plugins.late_cases)
        customer_extensions.detail_sections.append(plugins.customer_section)
        stock_link.register()  # the repair orders the stock reads (stock never imports quotes)
