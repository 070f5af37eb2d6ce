from django.apps import AppConfig


class LoansConfig(AppConfig):
    name = "atelier.loans"
    label = "loans"
    verbose_name = "Appareils de prêt"
