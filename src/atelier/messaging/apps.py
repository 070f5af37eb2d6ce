from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "atelier.messaging"
    label = "messaging"
    verbose_name = "Messages aux clients"
