from django.apps import AppConfig


class ReceptionConfig(AppConfig):
    name = "atelier.reception"
    label = "reception"
    verbose_name = "Accueil des clients"

    def ready(self) -> None:
        from atelier.customers import extensions as customer_extensions
        from atelier.reception import plugins
        from atelier.repairs import extensions as repair_extensions

        repair_extensions.home_panels.append(plugins.home_panels)
        repair_extensions.home_actions.append(plugins.home_actions)
        repair_extensions.detail_sections.append(plugins.case_section)
        customer_extensions.detail_sections.append(plugins.customer_section)
