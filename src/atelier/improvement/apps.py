from django.apps import AppConfig


class ImprovementConfig(AppConfig):
    name = "atelier.improvement"
    label = "improvement"
    verbose_name = "Amélioration continue"

    def ready(self) -> None:
        from atelier.customers import extensions as customer_extensions
        from atelier.improvement import personal_data

        customer_extensions.scrubbers.append(personal_data.scrub)
        customer_extensions.export_sections.append(personal_data.export)
