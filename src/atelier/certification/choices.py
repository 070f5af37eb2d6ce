from django.db import models
from django.utils.translation import gettext_lazy as _


class EpreuveForm(models.TextChoices):
    """The form of an épreuve, as the référentiel names it."""

    MISE_EN_SITUATION = "mise_en_situation", _("Mise en situation professionnelle")
    DOSSIER_SOUTENANCE = "dossier_soutenance", _("Dossier professionnel et soutenance orale")
    JEU_DE_ROLE = "jeu_de_role", _("Mise en situation ou jeu de rôle")


class OrganisationKind(models.TextChoices):
    ORGANISME_FORMATION = "organisme_formation", _("Organisme de formation")
    ENTREPRISE = "entreprise", _("Entreprise")


class CandidateStatus(models.TextChoices):
    """The candidate's situation during the course."""

    APPRENTI = "apprenti", _("Apprenti")
    SALARIE = "salarie", _("Salarié")
    DEMANDEUR_EMPLOI = "demandeur_emploi", _("Demandeur d'emploi")
