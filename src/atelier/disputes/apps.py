from django.apps import AppConfig


class DisputesConfig(AppConfig):
    name = "atelier.disputes"
    label = "disputes"
    verbose_name = "Litiges et médiation"

    def ready(self) -> None:
        from atelier.customers import extensions as customer_extensions
        from atelier.disputes import plugins
        from atelier.repairs import extensions as repair_extensions

        repair_extensions.detail_sections.append(plugins.dossier_section)
        customer_extensions.detail_sections.append(plugins.customer_section)
