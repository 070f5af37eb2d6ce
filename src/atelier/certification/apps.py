from django.apps import AppConfig


class CertificationConfig(AppConfig):
    name = "atelier.certification"
    label = "certification"
    verbose_name = "Certification (CQP)"
