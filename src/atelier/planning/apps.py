from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "atelier.planning"
    label = "planning"
    verbose_name = "Techniciens et planification des visites"

    def ready(self):
        from atelier.planning import plugins, services
        from atelier.quotes import orders
        from atelier.repairs import extensions

        extensions.home_panels.append(plugins.home_panel)
        extensions.home_actions.append(plugins.home_actions)
        extensions.detail_sections.append(plugins.dossier_section)
        extensions.after_step.append(services.record_actual_duration)
        orders.after_order_created.append(services.visit_for_order)  # the visit to plan, made with the order
