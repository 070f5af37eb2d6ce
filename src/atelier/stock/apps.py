from django.apps import AppConfig


class StockConfig(AppConfig):
    name = "atelier.stock"
    label = "stock"
    verbose_name = "Pièces détachées"
