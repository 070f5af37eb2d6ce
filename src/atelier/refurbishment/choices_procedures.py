"""Choices of the refurbishment procedures: the nature of a step, the state of a refurbishment, the functional
verdict, the wording an appliance is sold under (décret 2022-190) and the methods of data erasure."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class StepKind(models.TextChoices):
    NETTOYAGE = "nettoyage", _("Nettoyage")
    ESSAI = "essai", _("Essai fonctionnel")
    SECURITE = "securite", _("Essais de sécurité électrique (EN 50678)")
    EFFACEMENT = "effacement", _("Effacement des données")
    ESTHETIQUE = "esthetique", _("Contrôle esthétique")


class RefurbishmentStatus(models.TextChoices):
    EN_COURS = "en_cours", _("En cours")
    TERMINE = "termine", _("Terminé")


class FunctionalVerdict(models.TextChoices):
    CONFORME = "conforme", _("Fonctionnement conforme")
    NON_CONFORME = "non_conforme", _("Non conforme")


class SaleWording(models.TextChoices):
    """How the appliance may be named when sold: « reconditionné » only when every condition of C. conso.
    R122-4 is recorded; « en France » only when every operation was done in France (R122-5)."""

    RECONDITIONNE_FRANCE = "reconditionne_france", _("Reconditionné en France")
    RECONDITIONNE = "reconditionne", _("Reconditionné")
    OCCASION = "occasion", _("D'occasion")


class ErasureMethod(models.TextChoices):
    RESET = "reset", _("Réinitialisation d'usine vérifiée")
    OVERWRITE = "overwrite", _("Écrasement logiciel (effacement par passes)")
    CRYPTO = "crypto", _("Effacement cryptographique")
    DESTRUCTION = "destruction", _("Destruction du support (remplacé)")
