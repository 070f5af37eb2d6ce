from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "atelier.knowledge"
    label = "knowledge"
    verbose_name = "Base technique (symptômes, codes erreur, causes, documents)"
