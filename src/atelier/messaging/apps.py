from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "atelier.messaging"
    label = "messaging"
    verbose_name = "Messages aux clients"

    def ready(self):
        from atelier.customers import extensions as customer_extensions
        from atelier.messaging import plugins, privacy
        from atelier.repairs import extensions

        extensions.detail_sections.append(plugins.dossier_section)
        customer_extensions.detail_sections.append(plugins.customer_section)
        customer_extensions.contact_sources.append(privacy.contact_dates)
        customer_extensions.scrubbers.append(privacy.scrub)
        customer_extensions.export_sections.append(privacy.export)
