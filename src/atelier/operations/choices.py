from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    RUNNING = "en_cours", _("En cours")
    OK = "ok", _("Réussie")
    ERROR = "erreur", _("Erreur")


class Trigger(models.TextChoices):
    SCHEDULE = "planifie", _("Planifiée")
    MANUAL = "manuel", _("Lancée à la main")
