from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    FACTURE = "facture", _("Facture")
    ACOMPTE = "acompte", _("Facture d'acompte")
    AVOIR = "avoir", _("Avoir")


class LineKind(models.TextChoices):
    DEVIS = "devis", _("Ligne du devis accepté")
    COMPLEMENT = "complement", _("Vente complémentaire")
    ACOMPTE = "acompte", _("Acompte reçu")
    DEDUCTION = "deduction", _("Acompte déduit")
    TIERS = "tiers", _("Part d'un tiers payeur")
    AVOIR = "avoir", _("Avoir")
    BIEN = "bien", _("Vente d'un bien (appareil de seconde vie)")


class PaymentMethod(models.TextChoices):
    CARTE = "carte", _("Carte bancaire")
    ESPECES = "especes", _("Espèces")
    CHEQUE = "cheque", _("Chèque")
    VIREMENT = "virement", _("Virement")


class PaymentKind(models.TextChoices):
    ACOMPTE = "acompte", _("Acompte à la prise en charge")
    REGLEMENT = "reglement", _("Règlement")
    REMBOURSEMENT = "remboursement", _("Remboursement au client")


class AnomalyKind(models.TextChoices):
    CARTE_REFUSEE = "carte_refusee", _("Carte refusée")
    MONTANT_ERRONE = "montant_errone", _("Montant erroné")
    CHEQUE_REFUSE = "cheque_refuse", _("Chèque refusé")
    AUTRE = "autre", _("Autre")


class RuleKind(models.TextChoices):
    """Legal figures with dates of effect (rows of billing.LegalFigure)."""

    CASH_LIMIT_RESIDENT = (
        "plafond_especes_resident",
        _("Plafond espèces : domicile fiscal en France ou paiement professionnel (€)"),
    )
    CASH_LIMIT_NON_RESIDENT = (
        "plafond_especes_non_resident",
        _("Plafond espèces : particulier non résident (€)"),
    )
    RECOVERY_FEE = "indemnite_recouvrement", _("Indemnité forfaitaire pour frais de recouvrement (€)")
    PAYMENT_TERM_DAYS = "delai_paiement_jours", _("Délai de paiement des professionnels (jours)")
    REPAIR_WARRANTY_DAYS = "garantie_reparation_jours", _("Garantie donnée sur la réparation (jours)")


class JournalKind(models.TextChoices):
    FACTURE = "facture", _("Facture")
    AVOIR = "avoir", _("Avoir")
    PAIEMENT = "paiement", _("Paiement")
    CLOTURE = "cloture", _("Clôture")
    ORIGINAL = "original", _("Original conservé")  # the stored PDF / XML of a document, by its SHA-256
    PARAMETRE = "parametre", _("Paramètre de facturation")  # e.g. a site's billing start date


class PeriodKind(models.TextChoices):
    JOUR = "jour", _("Journalière")
    MOIS = "mois", _("Mensuelle")
    ANNEE = "annee", _("Annuelle")


class IncidentKind(models.TextChoices):
    MONTAGE = "montage", _("Défaut de montage d'origine")
    PIECE_INADAPTEE = "piece_inadaptee", _("Pièce inadaptée ou défectueuse")
    CONCEPTION = "conception", _("Défaut de conception récurrent")
    DOCUMENTATION = "documentation", _("Documentation technique erronée")
    AUTRE = "autre", _("Autre")


class NotificationChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")


class NotificationPurpose(models.TextChoices):
    PRET = "pret", _("Appareil prêt")
    SUIVI = "suivi", _("Lien de suivi")
    RELANCE = "relance", _("Relance de paiement")
    CONSEILS = "conseils", _("Fiche conseils")


class OfferKind(models.TextChoices):
    PRODUIT = "produit", _("Produit")
    SERVICE = "service", _("Service")
