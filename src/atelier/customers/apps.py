from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "atelier.customers"
    label = "customers"
    verbose_name = "Clients et appareils"

    def ready(self):
        from atelier.customers import extensions, footprint

        # the personal-data providers of the apps that exist today (see customers.footprint)
        extensions.contact_sources.append(footprint.related_contact_dates)
        extensions.erasure_blockers.extend([footprint.open_cases, footprint.money_owed, footprint.loans_out])
        extensions.scrubbers.extend([footprint.scrub_dossiers, footprint.scrub_reception])
        extensions.export_sections.extend(
            [
                footprint.export_dossiers,
                footprint.export_invoices,
                footprint.export_messages,
                footprint.export_complaints,
                footprint.export_loans,
            ]
        )
        from django.db.models.signals import post_migrate

        from atelier.customers import search_index

        post_migrate.connect(search_index.on_post_migrate, sender=self)
