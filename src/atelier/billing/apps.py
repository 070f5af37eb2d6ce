from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "atelier.billing"
    label = "billing"
    verbose_name = "Facturation, paiements et journal"

    def ready(self):
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate
        from django.utils.translation import gettext_lazy as _

        from atelier.billing import checks, guards, plugins
        from atelier.repairs import extensions

        connection_created.connect(guards.register_sqlite_function)
        post_migrate.connect(guards.on_post_migrate, sender=self)

        extensions.detail_sections.append(plugins.dossier_section)
        extensions.home_panels.append(plugins.home_panels)
        extensions.home_actions.append(plugins.home_actions)
        extensions.case_filters["unpaid"] = (_("À encaisser"), plugins.unpaid_cases)
        extensions.step_checks.append(checks.step_check)
