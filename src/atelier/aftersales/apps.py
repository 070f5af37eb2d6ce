from django.apps import AppConfig


class AftersalesConfig(AppConfig):
    name = "atelier.aftersales"
    label = "aftersales"
    verbose_name = "Garanties et réclamations"

    def ready(self) -> None:
        from atelier.aftersales import plugins
        from atelier.aftersales.payers import PayerProvider
        from atelier.billing import third_party
        from atelier.customers import extensions as customer_extensions
        from atelier.repairs import extensions as repair_extensions

        repair_extensions.detail_sections.append(plugins.dossier_section)
        repair_extensions.home_actions.append(plugins.home_actions)
        if not any(isinstance(p, PayerProvider) for p in third_party.PROVIDERS):
            third_party.PROVIDERS.append(PayerProvider())
        customer_extensions.detail_sections.append(plugins.customer_section)
