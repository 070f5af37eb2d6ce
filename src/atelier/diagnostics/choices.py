from django.db import models
from django.utils.translation import gettext_lazy as _


class QuestionKind(models.TextChoices):
    """How a question is answered; « code erreur » is checked against the knowledge base."""

    YES_NO = "oui_non", _("Oui / non")
    CHOICE = "choix", _("Choix dans une liste")
    TEXT = "texte", _("Texte libre")
    ERROR_CODE = "code_erreur", _("Code erreur")


class CheckResult(models.TextChoices):
    OK = "ok", _("Conforme")
    ANOMALY = "anomalie", _("Anomalie constatée")
    NOT_DONE = "non_fait", _("Non réalisé")


class Acknowledgement(models.TextChoices):
    NONE = "", _("Pas encore")
    SCREEN = "ecran", _("Signée à l'écran")
    PAPER = "papier", _("Signée sur papier")


class SourceKind(models.TextChoices):
    """Where a technician looked for a fault he could not solve alone (C1.6)."""

    MANUFACTURER_DOC = "doc_constructeur", _("Documentation du fabricant")
    MANUFACTURER_PORTAL = "portail_constructeur", _("Portail technique du fabricant")
    HOTLINE = "hotline", _("Assistance technique (hotline)")
    KNOWLEDGE_BASE = "base_connaissances", _("Article de la base technique")
    SERVICE_BULLETIN = "note_service", _("Note ou bulletin de service")
    FORUM = "forum", _("Forum professionnel")
    COLLEAGUE = "collegue", _("Collègue ou responsable")
    OTHER = "autre", _("Autre")
