from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "atelier.operations"
    label = "operations"
    verbose_name = "Exploitation (tâches planifiées)"

    def ready(self):
        from atelier.operations import plugins
        from atelier.repairs import extensions

        extensions.home_panels.append(plugins.home_panels)
