from django.apps import AppConfig


class DisputesConfig(AppConfig):
    name = "atelier.disputes"
    label = "disputes"
    verbose_name = "Litiges et médiation"

    def ready(self) -> None:
        from atelier.customers import extensions as customer_extensions
        from atelier.disputes import personal_data, plugins
        from atelier.repairs import extensions as repair_extensions

        repair_extensions.detail_sections.append(plugins.dossier_section)
        customer_extensions.detail_sections.append(plugins.customer_section)
        customer_extensions.contact_sources.append(personal_data.contact_dates)
        customer_extensions.erasure_blockers.append(personal_data.unsettled)
        customer_extensions.scrubbers.append(personal_data.scrub)
        customer_extensions.export_sections.append(personal_data.export)
