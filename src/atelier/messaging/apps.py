from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "atelier.messaging"
    label = "messaging"
    verbose_name = "Messages aux clients"

    def ready(self):
        from atelier.core import health, metrics
        from atelier.customers import extensions as customer_extensions
        from atelier.messaging import plugins, privacy, selectors
        from atelier.repairs import extensions

        extensions.detail_sections.append(plugins.dossier_section)
        customer_extensions.detail_sections.append(plugins.customer_section)
        customer_extensions.contact_sources.append(privacy.contact_dates)
        customer_extensions.scrubbers.append(privacy.scrub)
        customer_extensions.export_sections.append(privacy.export)
        health.register_check("outbox", selectors.outbox_check)
        metrics.register_gauge(
            "atelier_outbox_queued",
            "Messages aux clients en file ou en cours d'envoi",
            lambda: selectors.outbox_health()["queued"],
        )
        metrics.register_gauge(
            "atelier_outbox_failed_24h",
            "Messages en échec depuis 24 h",
            lambda: selectors.outbox_health()["failed_last_24h"],
        )
        metrics.register_gauge(
            "atelier_outbox_overdue",
            "Messages dont l'envoi attend un worker",
            lambda: selectors.outbox_health()["overdue"],
        )
