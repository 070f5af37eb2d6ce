from django.db import models
from django.utils.translation import gettext_lazy as _


class ToolStatus(models.TextChoices):
    EN_SERVICE = "en_service", _("En service")
    QUARANTAINE = "quarantaine", _("En quarantaine")
    REFORME = "reforme", _("Réformé")


class CheckResult(models.TextChoices):
    CONFORME = "conforme", _("Conforme")
    NON_CONFORME = "non_conforme", _("Non conforme")


class IncidentKind(models.TextChoices):
    CHECK_FAILED = "controle_echoue", _("Contrôle non conforme")
    OVERDUE = "controle_en_retard", _("Contrôle en retard")
    MALFUNCTION = "dysfonctionnement", _("Dysfonctionnement signalé")


class PointState(models.TextChoices):
    """State of one point of an installation (C1.11)."""

    CONFORME = "conforme", _("Conforme")
    NON_CONFORME = "non_conforme", _("Non conforme")
    SANS_OBJET = "sans_objet", _("Sans objet")


class AnomalyAction(models.TextChoices):
    NONE = "", _("—")
    CORRECTED = "corrigee", _("Corrigée sur place")
    REPORTED = "signalee", _("Signalée au client (non corrigée)")


class RepairLevel(models.IntegerChoices):
    LEVEL_1 = 1, _("Niveau 1 : remplacement d'une pièce ou d'un sous-ensemble")
    LEVEL_2 = 2, _("Niveau 2 : intervention sur un composant")


class ApplianceClass(models.TextChoices):
    CLASS_I = "I", _("Classe I (avec conducteur de protection)")
    CLASS_II = "II", _("Classe II (double isolation)")


class Measure(models.TextChoices):
    """Electrical safety measurements after repair (EN 50678), with the unit they are stored in."""

    PE_RESISTANCE = "pe_resistance", _("Résistance du conducteur de protection")
    INSULATION = "insulation", _("Résistance d'isolement")
    PE_CURRENT = "pe_current", _("Courant dans le conducteur de protection (fuite)")
    TOUCH_CURRENT = "touch_current", _("Courant de contact")


# The unit each measure is stored in, and whether its limit is a maximum or a minimum.
MEASURE_UNIT = {
    Measure.PE_RESISTANCE: "Ω",
    Measure.INSULATION: "MΩ",
    Measure.PE_CURRENT: "mA",
    Measure.TOUCH_CURRENT: "mA",
}
MEASURE_IS_MAXIMUM = {
    Measure.PE_RESISTANCE: True,
    Measure.INSULATION: False,
    Measure.PE_CURRENT: True,
    Measure.TOUCH_CURRENT: True,
}

# Personal protective equipment checked before work (C1.10): code, label.
PPE_ITEMS = (
    ("safety_shoes", _("Chaussures de sécurité")),
    ("gloves", _("Gants (isolants / de manutention)")),
    ("glasses", _("Lunettes de protection")),
    ("voltage_tester", _("VAT (vérificateur d'absence de tension)")),
    ("insulated_tools", _("Outillage isolé en bon état")),
)

# Installation points checked before plugging in (C1.11): code, label.
INSTALLATION_POINTS = (
    ("socket", _("Prise de courant")),
    ("earth", _("Raccordement à la terre")),
    ("cable", _("Câble / cordon d'alimentation")),
    ("water_inlet", _("Arrivée d'eau")),
    ("drain", _("Évacuation / vidange")),
    ("gas", _("Raccordement gaz")),
    ("ventilation", _("Ventilation / aération")),
)


class MaintenanceKind(models.TextChoices):
    """What was done to a tool besides its periodic check / calibration (C1.3)."""

    ENTRETIEN = "entretien", _("Entretien")
    NETTOYAGE = "nettoyage", _("Nettoyage")
    VERIFICATION = "verification", _("Vérification de fonctionnement")


class SheetItemKind(models.TextChoices):
    """The parts of a family's safety sheet ticked before each intervention (C1.10)."""

    EPI = "epi", _("Équipement de protection")
    HYGIENE = "hygiene", _("Hygiène et sécurité")
    ENVIRONNEMENT = "environnement", _("Environnement")
