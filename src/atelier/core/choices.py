from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a user does; one person may hold several roles."""

    ACCUEIL = "accueil", _("Accueil")
    TECHNICIEN = "technicien", _("Technicien")
    RESPONSABLE_SAV = "responsable_sav", _("Responsable SAV")
    MAGASINIER = "magasinier", _("Magasinier")
    COMPTABLE = "comptable", _("Comptable")
    FORMATEUR = "formateur", _("Formateur / jury")


class SiteKind(models.TextChoices):
    MAGASIN = "magasin", _("Magasin")
    ATELIER = "atelier", _("Atelier")
    MAGASIN_ATELIER = "magasin_atelier", _("Magasin et atelier")


class TariffKind(models.TextChoices):
    """Prices a site charges; each has a date of effect so old quotes keep their rates."""

    HOURLY_WORKSHOP = "taux_horaire_atelier", _("Taux horaire atelier (HT)")
    HOURLY_HOME = "taux_horaire_domicile", _("Taux horaire à domicile (HT)")
    TRAVEL_FEE = "frais_deplacement", _("Frais de déplacement (HT)")
    DIAGNOSIS_FEE = "frais_diagnostic", _("Forfait diagnostic (HT)")


class VatKind(models.TextChoices):
    """French VAT rates by name; their percentage and dates of effect are rows of core.VatRate."""

    NORMAL = "normal", _("Taux normal")
    INTERMEDIAIRE = "intermediaire", _("Taux intermédiaire")
    REDUIT = "reduit", _("Taux réduit")
    PARTICULIER = "particulier", _("Taux particulier")


class PermissionPreset(models.TextChoices):
    """Who does what on a site (core.access): a preset of the permission matrix, or « personnalisé »."""

    UNE_PERSONNE = "une_personne", _("Atelier d'une personne")
    PETITE_EQUIPE = "petite_equipe", _("Petite équipe")
    RESEAU = "reseau", _("Réseau")
    PERSONNALISE = "personnalise", _("Personnalisé")
