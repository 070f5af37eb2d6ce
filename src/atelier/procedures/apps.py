from django.apps import AppConfig


class ProceduresConfig(AppConfig):
    name = "atelier.procedures"
    label = "procedures"
    verbose_name = "Procédures fabricant et internes"

    def ready(self):
        from atelier.procedures import plugins
        from atelier.repairs import extensions

        extensions.home_panels.append(plugins.home_panels)
        extensions.detail_sections.append(plugins.dossier_section)
