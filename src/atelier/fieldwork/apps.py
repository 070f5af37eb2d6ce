from django.apps import AppConfig


class FieldworkConfig(AppConfig):
    name = "atelier.fieldwork"
    label = "fieldwork"
    verbose_name = "Outillage, sécurité et mise en service"
