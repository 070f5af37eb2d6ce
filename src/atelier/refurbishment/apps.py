from django.apps import AppConfig


class RefurbishmentConfig(AppConfig):
    name = "atelier.refurbishment"
    label = "refurbishment"
    verbose_name = "Seconde vie des appareils"
