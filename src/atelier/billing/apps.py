from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "atelier.billing"
    label = "billing"
    verbose_name = "Facturation, paiements et journal"
