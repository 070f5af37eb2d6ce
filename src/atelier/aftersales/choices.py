"""Choices of after-sales: kinds of cover, claim channels, states and answers."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CoverKind(models.TextChoices):
    """Every cover the engine lists (the API's `kind`)."""

    GARANTIE_LEGALE = "garantie_legale", _("Garantie légale de conformité")
    EXTENSION_L217_13 = "extension_l217_13", _("Extension de garantie légale après réparation")
    GARANTIE_FABRICANT = "garantie_fabricant", _("Garantie commerciale du fabricant")
    EXTENSION_ASSURANCE = "extension_assurance", _("Extension de garantie / assurance")
    GARANTIE_REPARATION = "garantie_reparation", _("Garantie de la réparation")
    CONTRAT_ENTRETIEN = "contrat_entretien", _("Contrat d'entretien")


class ContractKind(models.TextChoices):
    EXTENSION = "extension", _("Extension de garantie")
    ASSURANCE = "assurance", _("Assurance")


class CaseCoverBasis(models.TextChoices):
    """Under which cover a dossier was taken: what L217-13 and, later, the payer lines read."""

    GARANTIE_LEGALE = "garantie_legale", _("Garantie légale de conformité")
    GARANTIE_FABRICANT = "garantie_fabricant", _("Garantie du fabricant")
    EXTENSION_ASSURANCE = "extension_assurance", _("Extension de garantie / assurance")
    GARANTIE_REPARATION = "garantie_reparation", _("Garantie de la réparation (retour SAV)")
    CONTRAT_ENTRETIEN = "contrat_entretien", _("Contrat d'entretien")


class ClaimChannel(models.TextChoices):
    GUICHET = "guichet", _("Guichet")
    TELEPHONE = "telephone", _("Téléphone")
    SUIVI = "suivi", _("Page de suivi")


class ClaimState(models.TextChoices):
    OUVERTE = "ouverte", _("Ouverte")
    EN_ANALYSE = "en_analyse", _("En analyse")
    REPONSE_ENVOYEE = "reponse_envoyee", _("Réponse envoyée")
    CLOSE = "close", _("Close")


class ClaimOutcome(models.TextChoices):
    REPARATION = "reparation", _("Réparation")
    REMPLACEMENT = "remplacement", _("Remplacement")
    REMBOURSEMENT = "remboursement", _("Remboursement")
    GESTE = "geste", _("Geste commercial")
    REFUS = "refus", _("Refus")


# answers only the SAV manager may give (aftersales.decide); the others need aftersales.answer
MANAGER_OUTCOMES = frozenset({ClaimOutcome.REFUS, ClaimOutcome.GESTE})


class QuestionKind(models.TextChoices):
    OUI_NON = "oui_non", _("Oui / non")
    DATE = "date", _("Date")
    TEXTE = "texte", _("Texte")


class PayerKind(models.TextChoices):
    """Who pays a share of a dossier besides the customer (issue 18 point 3)."""

    FABRICANT = "fabricant", _("Fabricant")
    ASSUREUR = "assureur", _("Assureur")
    EXTENSION = "extension", _("Extension de garantie")
    GESTE_ATELIER = "geste_atelier", _("Geste commercial de l'atelier")


class ShareMode(models.TextChoices):
    MONTANT = "montant", _("Montant TTC")
    POURCENTAGE = "pourcentage", _("Pourcentage de la ligne")


class PayerClaimState(models.TextChoices):
    A_COMPLETER = "a_completer", _("À compléter")
    ENVOYEE = "envoyee", _("Envoyée")
    A_CORRIGER = "a_corriger", _("À corriger")
    ACCEPTEE = "acceptee", _("Acceptée")
    PARTIELLE = "partielle", _("Partiellement acceptée")
    REFUSEE = "refusee", _("Refusée")
    PAYEE = "payee", _("Payée")


class ClaimFileItem(models.TextChoices):
    """What a payer's claim file may require (the payer's data says which)."""

    SERIE = "serie", _("N° de série de l'appareil")
    PREUVE_ACHAT = "preuve_achat", _("Preuve d'achat")
    PANNE = "panne", _("Panne constatée")
    SERIE_DEFECTUEUSE = "serie_defectueuse", _("N° de série des pièces défectueuses")
    SERIE_NEUVE = "serie_neuve", _("N° de série des pièces posées")
    PIECES = "pieces", _("Pièces")
    MAIN_OEUVRE = "main_oeuvre", _("Main-d'œuvre")
    PHOTOS = "photos", _("Photos")
    NUMERO_PAYEUR = "numero_payeur", _("N° de dossier du payeur")
