from django.apps import AppConfig


class StockConfig(AppConfig):
    name = "atelier.stock"
    label = "stock"
    verbose_name = "Pièces détachées"

    def ready(self):
        from atelier.repairs import extensions
        from atelier.stock import plugins

        extensions.home_panels.append(plugins.home_panels)
        extensions.home_actions.append(plugins.home_actions)
        extensions.detail_sections.append(plugins.dossier_section)
        extensions.after_step.append(plugins.release_on_stop)
