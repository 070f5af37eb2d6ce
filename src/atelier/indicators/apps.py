from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "atelier.indicators"
    label = "indicators"
    verbose_name = "Indicateurs"

    def ready(self) -> None:
        from atelier.indicators import plugins
        from atelier.repairs import extensions

        extensions.home_actions.append(plugins.home_figures)
