from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "atelier.operations"
    label = "operations"
    verbose_name = "Exploitation (tâches planifiées)"

    def ready(self):
        from atelier.core import health
        from atelier.operations import plugins, selectors
        from atelier.repairs import extensions

        extensions.home_panels.append(plugins.home_panels)
        health.register_check("worker", selectors.worker_check)
        health.register_check("scheduler", selectors.scheduler_check)
