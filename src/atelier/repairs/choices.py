from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    """The states of a dossier SAV (design doc); transitions are listed in repairs.workflow."""

    RECU = "recu", _("Reçu")
    PREDIAGNOSTIQUE = "prediagnostique", _("Pré-diagnostiqué")
    DEVIS_ENVOYE = "devis_envoye", _("Devis envoyé")
    ACCEPTE = "accepte", _("Accepté")
    REFUSE = "refuse", _("Refusé")
    PLANIFIE = "planifie", _("Planifié")
    EN_ATELIER = "en_atelier", _("En atelier")
    ATTENTE_PIECES = "attente_pieces", _("En attente de pièces")
    EN_REPARATION = "en_reparation", _("En réparation")
    REPARE = "repare", _("Réparé")
    PRET = "pret", _("Mis en service / prêt")
    RENDU = "rendu", _("Rendu")
    CLOTURE = "cloture", _("Clôturé")
    NON_REPARABLE = "non_reparable", _("Non réparable")
    ANNULE = "annule", _("Annulé")
    # the owner never came back: after the legal notice the appliance entered the shop's own stock (second life)
    ABANDONNE = "abandonne", _("Abandonné")


CLOSED_STATUSES = [CaseStatus.CLOTURE, CaseStatus.ANNULE, CaseStatus.ABANDONNE]
OPEN_STATUSES = [s for s in CaseStatus.values if s not in CLOSED_STATUSES]


class Channel(models.TextChoices):
    COMPTOIR = "comptoir", _("Comptoir")
    TELEPHONE = "telephone", _("Téléphone")
    WEB = "web", _("Web")


class WorkLocation(models.TextChoices):
    ATELIER = "atelier", _("En atelier")
    DOMICILE = "domicile", _("À domicile")


class EventKind(models.TextChoices):
    OPENED = "ouverture", _("Ouverture")
    TRANSITION = "transition", _("Changement d'état")
    NOTE = "note", _("Note")
    ASSIGNMENT = "affectation", _("Affectation")
