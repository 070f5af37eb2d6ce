from django.apps import AppConfig


class RefurbishmentConfig(AppConfig):
    name = "atelier.refurbishment"
    label = "refurbishment"
    verbose_name = "Seconde vie des appareils"

    def ready(self) -> None:
        from atelier.refurbishment import plugins
        from atelier.repairs import extensions as repair_extensions

        repair_extensions.detail_sections.append(plugins.dossier_section)
