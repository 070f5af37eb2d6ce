from django.db import models
from django.utils.translation import gettext_lazy as _


class PhotoStage(models.TextChoices):
    """When the photo was taken in the dossier's life (issue 18, point 5)."""

    RECEPTION = "reception", _("Réception")
    DIAGNOSTIC = "diagnostic", _("Diagnostic")
    REPARATION = "reparation", _("Réparation")
    RECLAMATION = "reclamation", _("Réclamation")
    LITIGE = "litige", _("Litige")
