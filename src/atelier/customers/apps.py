from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "atelier.customers"
    label = "customers"
    verbose_name = "Clients et appareils"

    def ready(self):
        from django.db.models.signals import post_migrate

        from atelier.customers import search_index

        post_migrate.connect(search_index.on_post_migrate, sender=self)
