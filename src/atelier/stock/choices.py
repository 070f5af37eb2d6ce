from django.db import models
from django.utils.translation import gettext_lazy as _


class PartCondition(models.TextChoices):
    """New, or from the circular economy (Code de la consommation L224-109: reconditionnée, d'occasion)."""

    NEUF = "neuf", _("Neuve")
    RECONDITIONNE = "reconditionne", _("Reconditionnée")
    OCCASION = "occasion", _("D'occasion")


class PartKind(models.TextChoices):
    """Kinds of parts; the used-part obligation names the kinds it covers (quotes.UsedPartCoverage)."""

    ELECTRONIQUE = "electronique", _("Carte électronique / module")
    MOTEUR = "moteur", _("Moteur / compresseur / pompe")
    MECANIQUE = "mecanique", _("Pièce mécanique (roulement, courroie, charnière)")
    CARROSSERIE = "carrosserie", _("Carrosserie / habillage / porte")
    ECRAN = "ecran", _("Écran / dalle")
    CHAUFFAGE = "chauffage", _("Résistance / thermostat / sonde")
    CONSOMMABLE = "consommable", _("Consommable (filtre, joint, fusible)")
    AUTRE = "autre", _("Autre")


class Availability(models.TextChoices):
    EN_STOCK = "en_stock", _("En stock")
    A_COMMANDER = "a_commander", _("À commander")
    INDISPONIBLE = "indisponible", _("Indisponible")
