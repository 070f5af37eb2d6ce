from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "atelier.messaging"
    label = "messaging"
    verbose_name = "Messages aux clients"

    def ready(self):
        from atelier.customers import extensions as customer_extensions
        from atelier.messaging import plugins
        from atelier.repairs import extensions

        extensions.detail_sections.append(plugins.dossier_section)
        customer_extensions.detail_sections.append(plugins.customer_section)
