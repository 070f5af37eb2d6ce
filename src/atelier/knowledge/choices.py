from django.db import models
from django.utils.translation import gettext_lazy as _


class CheckUnit(models.TextChoices):
    """Units of an expected value; the resistance units cannot be negative (named constraint)."""

    OHM = "ohm", _("Ω")
    KILOOHM = "kohm", _("kΩ")
    MEGAOHM = "mohm", _("MΩ")
    VOLT = "V", _("V")
    MILLIVOLT = "mV", _("mV")
    AMPERE = "A", _("A")
    WATT = "W", _("W")
    MICROFARAD = "uF", _("µF")
    CELSIUS = "C", _("°C")
    BAR = "bar", _("bar")
    LITRE_MIN = "l_min", _("l/min")
    HERTZ = "Hz", _("Hz")
    MILLIMETRE = "mm", _("mm")


NON_NEGATIVE_UNITS = ["ohm", "kohm", "mohm", "A", "W", "uF", "l_min", "Hz", "mm"]


class DocumentKind(models.TextChoices):
    SCHEMA = "schema", _("Schéma électrique")
    SERVICE_MANUAL = "manuel_service", _("Manuel de service")
    PROCEDURE = "procedure", _("Procédure")
    EXPLODED_VIEW = "vue_eclatee", _("Vue éclatée")
    NOTICE = "notice", _("Notice d'utilisation")
    OTHER = "autre", _("Autre")


class Severity(models.TextChoices):
    DANGER = "danger", _("Danger")
    WARNING = "attention", _("Attention")
    INFO = "info", _("Information")
