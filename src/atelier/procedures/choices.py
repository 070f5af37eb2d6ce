from django.db import models
from django.utils.translation import gettext_lazy as _


class ProcedureKind(models.TextChoices):
    DEMONTAGE = "demontage", _("Démontage")  # C1.4
    REPARATION = "reparation", _("Réparation")  # C1.7, C1.8
    MISE_EN_SERVICE = "mise_en_service", _("Contrôle de mise en service")  # C1.12
    RECONDITIONNEMENT = "reconditionnement", _("Reconditionnement")  # C1.13


class ProcedureSource(models.TextChoices):
    FABRICANT = "fabricant", _("Fabricant")
    INTERNE = "interne", _("Interne")


class StepOutcome(models.TextChoices):
    FAIT = "fait", _("Fait")
    NON_APPLICABLE = "na", _("Non applicable")
    PROBLEME = "probleme", _("Problème")
