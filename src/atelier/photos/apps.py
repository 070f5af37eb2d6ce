from django.apps import AppConfig


class PhotosConfig(AppConfig):
    name = "atelier.photos"
    label = "photos"
    verbose_name = "Photos"

    def ready(self) -> None:
        from atelier.aftersales import extensions as aftersales_extensions
        from atelier.customers import extensions as customer_extensions
        from atelier.disputes import extensions as dispute_extensions
        from atelier.photos import footprint, plugins
        from atelier.repairs import extensions as repair_extensions

        repair_extensions.detail_sections.append(plugins.dossier_section)
        aftersales_extensions.claim_sections.append(plugins.claim_section)
        customer_extensions.scrubbers.append(footprint.scrub_photos)
        customer_extensions.export_sections.append(footprint.export_photos)
        dispute_extensions.evidence_parts.append(plugins.evidence_part)
