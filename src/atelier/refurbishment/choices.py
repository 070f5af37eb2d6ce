"""Choices of the second life of appliances: where an appliance comes from, its state in the shop's own stock,
the three outcomes of triage (référentiel C1.14) and the moves of its ledger."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Origin(models.TextChoices):
    """How an appliance entered the shop's own stock."""

    ABANDON = "abandon", _("Abandonné (dossier non retiré)")
    REPRISE = "reprise", _("Reprise contre un achat")
    DON = "don", _("Don")
    COLLECTE = "collecte", _("Collecte (lot)")


class LotKind(models.TextChoices):
    ECO_ORGANISME = "eco_organisme", _("Éco-organisme")
    PARTENAIRE = "partenaire", _("Partenaire")


class ApplianceState(models.TextChoices):
    """Where an appliance stands; a reservation is kept apart (`reserved_for`), the state does not change."""

    A_TRIER = "a_trier", _("À trier")
    A_RECONDITIONNER = "a_reconditionner", _("À reconditionner")
    A_DEMONTER = "a_demonter", _("À démonter")
    VENDU = "vendu", _("Vendu")
    REBUT = "rebut", _("Mis au rebut")
    INTROUVABLE = "introuvable", _("Introuvable (inventaire)")
    DEMONTE = "demonte", _("Démonté (reste parti en DEEE)")


IN_STOCK_STATES = [ApplianceState.A_TRIER, ApplianceState.A_RECONDITIONNER, ApplianceState.A_DEMONTER]


class TriageOutcome(models.TextChoices):
    """The three outcomes of the référentiel (C1.14)."""

    VALIDE = "valide", _("Fonctionnement validé")
    A_REPARER = "a_reparer", _("À réparer")
    NON_REPARABLE = "non_reparable", _("Non réparable")


class MoveKind(models.TextChoices):
    """Every line of an appliance's ledger; the stock is the sum of their signed quantities (+1, −1, 0)."""

    ENTREE = "entree", _("Entrée en stock")
    EMPLACEMENT = "emplacement", _("Changement d'emplacement")
    TRI = "tri", _("Tri")
    RESERVATION = "reservation", _("Réservation")
    FIN_RESERVATION = "fin_reservation", _("Réservation annulée")
    VENTE = "vente", _("Vente")
    REBUT = "rebut", _("Mise au rebut")
    INVENTAIRE = "inventaire", _("Inventaire")
    DEEE = "deee", _("Départ en DEEE après démontage")


class LetterMethod(models.TextChoices):
    RECOMMANDE = "recommande", _("Lettre recommandée avec accusé de réception")
    LETTRE = "lettre", _("Lettre simple")
    EMAIL = "email", _("E-mail")
