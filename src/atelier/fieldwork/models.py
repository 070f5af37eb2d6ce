"""Tools and their checks (C1.3), safety before and after work (C1.10), installation conformity (C1.11),
the repair record (C1.7–C1.9), electrical safety tests and commissioning (C1.12).

Records are written only through fieldwork.services.
"""

import datetime
from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atelier.core.models import Site, User
from atelier.core.scoping import SiteScopedManager
from atelier.customers.choices import ProductFamily
from atelier.fieldwork.choices import (
    AnomalyAction,
    ApplianceClass,
    CheckResult,
    IncidentKind,
    MaintenanceKind,
    Measure,
    PointState,
    RepairLevel,
    SheetItemKind,
    ToolStatus,
)
from atelier.quotes.models import RepairOrder
from atelier.repairs.models import RepairCase
from atelier.stock.models import Part


class ToolKind(models.Model):
    """A kind of tool or instrument (multimètre, contrôleur d'isolement…) and how and how often it is checked."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("nom"), max_length=120)
    check_procedure = models.TextField(
        _("procédure de vérification / d'étalonnage"),
        blank=True,
        help_text=_("Ce qu'on vérifie et comment ; sans procédure, aucun outil de ce type n'est vérifiable."),
    )
    check_interval_days = models.PositiveIntegerField(
        _("périodicité du contrôle (jours)"), null=True, blank=True
    )
    is_instrument = models.BooleanField(
        _("appareil de mesure"),
        default=False,
        help_text=_("Proposé pour les mesures du diagnostic et des essais (multimètre, pince, contrôleur…)."),
    )
    maintenance_interval_days = models.PositiveIntegerField(
        _("périodicité de l'entretien / nettoyage (jours)"), null=True, blank=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("type d'outil")
        verbose_name_plural = _("types d'outils")

    def __str__(self) -> str:
        return self.name

    @property
    def has_check_procedure(self) -> bool:
        return bool(self.check_procedure.strip()) and bool(self.check_interval_days)


class Tool(models.Model):
    """One tool of a site, held by a technician or left in the workshop."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="tools", verbose_name=_("site"))
    kind = models.ForeignKey(ToolKind, on_delete=models.PROTECT, related_name="tools", verbose_name=_("type"))
    serial = models.CharField(_("n° de série"), max_length=60)
    label = models.CharField(_("marque et modèle"), max_length=120, blank=True)
    holder = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tools_held",
        verbose_name=_("détenteur"),
    )
    is_checked = models.BooleanField(
        _("vérifiable"), default=True, help_text=_("Soumis à vérification ou étalonnage périodique.")
    )
    status = models.CharField(
        _("état"), max_length=12, choices=ToolStatus.choices, default=ToolStatus.EN_SERVICE
    )
    last_checked_on = models.DateField(_("dernier contrôle"), null=True, blank=True)
    next_check_on = models.DateField(_("prochain contrôle avant le"), null=True, blank=True)
    next_maintenance_on = models.DateField(_("prochain entretien avant le"), null=True, blank=True)
    quarantine_reason = models.CharField(_("motif de la quarantaine"), max_length=255, blank=True)
    quarantined_at = models.DateTimeField(_("en quarantaine depuis"), null=True, blank=True)

    site_path = "site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["site", "kind__name", "serial"]
        verbose_name = _("outil")
        verbose_name_plural = _("outils")
        constraints = [
            models.UniqueConstraint(fields=["site", "kind", "serial"], name="fieldwork_tool_serial_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.kind.name} n° {self.serial}"

    def is_overdue(self, on: datetime.date) -> bool:
        return self.is_checked and (self.next_check_on is None or self.next_check_on < on)

    def is_usable(self, on: datetime.date) -> bool:
        return self.status == ToolStatus.EN_SERVICE and not self.is_overdue(on)

    def maintenance_overdue(self, on: datetime.date) -> bool:
        return self.next_maintenance_on is not None and self.next_maintenance_on < on


class ToolCheck(models.Model):
    """A check or calibration of a tool: who, when, result."""

    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="checks", verbose_name=_("outil"))
    checked_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("par"))
    checked_on = models.DateField(_("date du contrôle"))
    result = models.CharField(_("résultat"), max_length=15, choices=CheckResult.choices)
    notes = models.TextField(_("observations"), blank=True)
    recorded_at = models.DateTimeField(_("enregistré le"), default=timezone.now)

    site_path = "tool__site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["-checked_on", "-pk"]
        verbose_name = _("contrôle d'outil")
        verbose_name_plural = _("contrôles d'outils")

    def __str__(self) -> str:
        return f"{self.tool} – {self.checked_on:%d/%m/%Y} – {self.get_result_display()}"


class ToolMaintenance(models.Model):
    """Maintenance, cleaning or working check of a tool (C1.3): when, who, what was done, next one due."""

    tool = models.ForeignKey(
        Tool, on_delete=models.CASCADE, related_name="maintenances", verbose_name=_("outil")
    )
    kind = models.CharField(_("nature"), max_length=15, choices=MaintenanceKind.choices)
    done_on = models.DateField(_("fait le"))
    done_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("par"))
    work_done = models.TextField(_("ce qui a été fait"))
    next_due_on = models.DateField(_("prochain avant le"), null=True, blank=True)
    recorded_at = models.DateTimeField(_("enregistré le"), default=timezone.now)

    site_path = "tool__site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["-done_on", "-pk"]
        verbose_name = _("entretien d'outil")
        verbose_name_plural = _("entretiens d'outils")

    def __str__(self) -> str:
        return f"{self.tool} – {self.get_kind_display()} {self.done_on:%d/%m/%Y}"


class ToolIncident(models.Model):
    """A malfunction, failed check or overdue check of a tool: logged and reported to the responsable."""

    tool = models.ForeignKey(
        Tool, on_delete=models.CASCADE, related_name="incidents", verbose_name=_("outil")
    )
    kind = models.CharField(_("nature"), max_length=20, choices=IncidentKind.choices)
    description = models.TextField(_("description"))
    reported_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("signalé par")
    )
    reported_at = models.DateTimeField(_("signalé le"), default=timezone.now)
    acknowledged_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("vu par")
    )
    acknowledged_at = models.DateTimeField(_("vu le"), null=True, blank=True)

    site_path = "tool__site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["-reported_at", "-pk"]
        verbose_name = _("incident d'outil")
        verbose_name_plural = _("incidents d'outils")

    def __str__(self) -> str:
        return f"{self.tool} – {self.get_kind_display()}"


class RequiredToolKind(models.Model):
    """A kind of tool a repair order needs (the structured side of RepairOrder.tools)."""

    order = models.ForeignKey(
        RepairOrder, on_delete=models.CASCADE, related_name="required_tool_kinds", verbose_name=_("ordre")
    )
    kind = models.ForeignKey(
        ToolKind, on_delete=models.PROTECT, related_name="+", verbose_name=_("type d'outil")
    )

    site_path = "order__case__site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["order", "kind__name"]
        verbose_name = _("outillage requis")
        verbose_name_plural = _("outillages requis")
        constraints = [
            models.UniqueConstraint(fields=["order", "kind"], name="fieldwork_required_kind_unique")
        ]

    def __str__(self) -> str:
        return f"{self.order} : {self.kind}"


class SafetySheetItem(models.Model):
    """One line of a family's safety sheet ticked before each intervention (C1.10): a PPE to wear, a hygiene
    or environment rule to follow. Blank family: every family. The family's dangers (consignes) stay in the
    knowledge base and are shown next to it."""

    family = models.CharField(
        _("famille"), max_length=30, choices=ProductFamily.choices, blank=True, help_text=_("Vide : toutes.")
    )
    kind = models.CharField(_("rubrique"), max_length=15, choices=SheetItemKind.choices)
    label = models.CharField(_("libellé"), max_length=160)
    position = models.PositiveSmallIntegerField(_("ordre"), default=100)
    is_active = models.BooleanField(_("actif"), default=True)

    class Meta:
        ordering = ["kind", "position", "pk"]
        verbose_name = _("ligne de fiche sécurité")
        verbose_name_plural = _("fiches sécurité (EPI, hygiène, environnement)")
        constraints = [
            models.UniqueConstraint(fields=["family", "kind", "label"], name="fieldwork_sheet_item_unique"),
        ]

    def __str__(self) -> str:
        return self.label


class PpeCheck(models.Model):
    """A technician's check before one intervention (C1.10): the family's PPE and its hygiene / environment
    rules, as ticked (`ticked`). Older rows were daily checks (case empty, `items` by PPE code)."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+", verbose_name=_("site"))
    technician = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="ppe_checks", verbose_name=_("technicien")
    )
    case = models.ForeignKey(
        RepairCase,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="ppe_checks",
        verbose_name=_("dossier"),
    )
    checked_on = models.DateField(_("jour"))
    items = models.JSONField(_("équipements présents et en bon état"), default=dict)
    # [{"kind": "epi" | "hygiene" | "environnement", "label": "...", "ok": bool}], the sheet as it was ticked
    ticked = models.JSONField(_("fiche sécurité cochée"), default=list, blank=True)
    tools_ok = models.BooleanField(_("outils vérifiés"), default=False)
    is_complete = models.BooleanField(_("complet"), default=False)
    notes = models.TextField(_("observations"), blank=True)
    recorded_at = models.DateTimeField(_("enregistré le"), default=timezone.now)

    site_path = "site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["-checked_on", "-pk"]
        verbose_name = _("contrôle EPI et outillage")
        verbose_name_plural = _("contrôles EPI et outillage")

    def __str__(self) -> str:
        return f"EPI {self.technician} {self.checked_on:%d/%m/%Y}"


class InstallationCheck(models.Model):
    """The customer's installation checked before plugging in (C1.11); the newest one counts."""

    case = models.ForeignKey(
        RepairCase, on_delete=models.CASCADE, related_name="installation_checks", verbose_name=_("dossier")
    )
    checked_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("par"))
    checked_at = models.DateTimeField(_("le"), default=timezone.now)
    points = models.JSONField(_("points de contrôle"), default=dict)  # code -> PointState
    anomalies = models.TextField(_("anomalies constatées"), blank=True)
    action = models.CharField(
        _("suite donnée"), max_length=10, choices=AnomalyAction.choices, blank=True, default=""
    )

    site_path = "case__site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["-checked_at", "-pk"]
        verbose_name = _("conformité de l'installation")
        verbose_name_plural = _("conformités de l'installation")

    def __str__(self) -> str:
        return f"Installation {self.case} {self.checked_at:%d/%m/%Y}"

    @property
    def non_conform_points(self) -> list[str]:
        return [code for code, state in self.points.items() if state == PointState.NON_CONFORME]

    @property
    def allows_commissioning(self) -> bool:
        return not self.non_conform_points or self.action == AnomalyAction.CORRECTED


class RepairRecord(models.Model):
    """What was done (C1.7–C1.9): level 1 or 2, software update with versions before and after."""

    case = models.ForeignKey(
        RepairCase, on_delete=models.CASCADE, related_name="repair_records", verbose_name=_("dossier")
    )
    technician = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("technicien")
    )
    recorded_at = models.DateTimeField(_("le"), default=timezone.now)
    level = models.PositiveSmallIntegerField(_("niveau d'intervention"), choices=RepairLevel.choices)
    work_done = models.TextField(_("travaux effectués"))
    software_updated = models.BooleanField(_("mise à jour logicielle / micrologiciel"), default=False)
    software_name = models.CharField(_("logiciel ou carte concerné"), max_length=120, blank=True)
    version_before = models.CharField(_("version avant"), max_length=60, blank=True)
    version_after = models.CharField(_("version après"), max_length=60, blank=True)

    site_path = "case__site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        verbose_name = _("compte rendu de réparation")
        verbose_name_plural = _("comptes rendus de réparation")

    def __str__(self) -> str:
        return f"Réparation {self.case} niveau {self.level}"


class RepairRecordPart(models.Model):
    record = models.ForeignKey(RepairRecord, on_delete=models.CASCADE, related_name="parts")
    part = models.ForeignKey(Part, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reference = models.CharField(_("référence"), max_length=80)
    designation = models.CharField(_("désignation"), max_length=160, blank=True)
    quantity = models.DecimalField(_("quantité"), max_digits=7, decimal_places=2, default=Decimal("1"))

    site_path = "record__case__site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["record", "pk"]
        verbose_name = _("pièce utilisée")
        verbose_name_plural = _("pièces utilisées")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="fieldwork_part_quantity_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.reference}"


class SafetyLimit(models.Model):
    """A limit of an electrical safety test for a class of appliance, in force from a date (EN 50678)."""

    appliance_class = models.CharField(_("classe"), max_length=2, choices=ApplianceClass.choices)
    measure = models.CharField(_("mesure"), max_length=20, choices=Measure.choices)
    limit = models.DecimalField(_("limite"), max_digits=10, decimal_places=3)
    valid_from = models.DateField(_("en vigueur à partir du"))
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        ordering = ["appliance_class", "measure", "-valid_from"]
        verbose_name = _("limite d'essai de sécurité")
        verbose_name_plural = _("limites d'essais de sécurité")
        constraints = [
            models.UniqueConstraint(
                fields=["appliance_class", "measure", "valid_from"], name="fieldwork_limit_unique_per_date"
            ),
            models.CheckConstraint(condition=models.Q(limit__gt=0), name="fieldwork_limit_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_appliance_class_display()} – {self.get_measure_display()} : {self.limit}"

    @property
    def display(self) -> str:
        """« ≤ 0,3 Ω », « ≥ 1 MΩ »: the limit as the technician reads it."""
        from atelier.fieldwork.choices import MEASURE_IS_MAXIMUM, MEASURE_UNIT

        sign = "≤" if MEASURE_IS_MAXIMUM[self.measure] else "≥"
        number = format(self.limit.normalize(), "f").replace(".", ",")
        return f"{sign} {number} {MEASURE_UNIT[self.measure]}"


class SafetyFamily(models.Model):
    """Product families whose appliances get electrical safety tests after repair, and their usual class."""

    family = models.CharField(_("famille"), max_length=25, choices=ProductFamily.choices, unique=True)
    default_class = models.CharField(_("classe habituelle"), max_length=2, choices=ApplianceClass.choices)

    class Meta:
        ordering = ["family"]
        verbose_name = _("famille soumise aux essais de sécurité")
        verbose_name_plural = _("familles soumises aux essais de sécurité")

    def __str__(self) -> str:
        return self.get_family_display()


class SafetyTest(models.Model):
    """Electrical safety tests after repair: measurements in their stored unit, pass/fail per measure."""

    case = models.ForeignKey(
        RepairCase, on_delete=models.CASCADE, related_name="safety_tests", verbose_name=_("dossier")
    )
    tested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("par"))
    tested_at = models.DateTimeField(_("le"), default=timezone.now)
    appliance_class = models.CharField(_("classe"), max_length=2, choices=ApplianceClass.choices)
    instrument = models.ForeignKey(
        Tool,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("appareil de mesure"),
    )
    # measure code -> {"value": "0.12", "unit": "Ω", "limit": "0.3", "passed": true}
    results = models.JSONField(_("mesures"), default=dict)
    passed = models.BooleanField(_("conforme"))

    site_path = "case__site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["-tested_at", "-pk"]
        verbose_name = _("essai de sécurité électrique")
        verbose_name_plural = _("essais de sécurité électrique")

    def __str__(self) -> str:
        return f"Essais {self.case} {'conforme' if self.passed else 'non conforme'}"


class Commissioning(models.Model):
    """Commissioning at the customer's (C1.12): control tests, settings, explanations, signature."""

    case = models.ForeignKey(
        RepairCase, on_delete=models.CASCADE, related_name="commissionings", verbose_name=_("dossier")
    )
    done_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("par"))
    done_at = models.DateTimeField(_("le"), default=timezone.now)
    control_tests = models.TextField(_("tests de contrôle effectués"))
    settings_chosen = models.TextField(_("réglages choisis pour l'usage du client"), blank=True)
    explanations = models.TextField(_("explications données au client"))
    signer_name = models.CharField(_("nom du signataire"), max_length=120)
    signature = models.TextField(_("signature du client"), blank=True)

    site_path = "case__site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["-done_at", "-pk"]
        verbose_name = _("mise en service")
        verbose_name_plural = _("mises en service")

    def __str__(self) -> str:
        return f"Mise en service {self.case}"


class SiteRules(models.Model):
    """Whether a site enforces the safety steps on its dossiers (PPE before starting, installation conformity
    and safety tests before commissioning). On by default: a site without this row enforces them; only the
    responsable's switch on the tools page turns them off, and who did it and when is kept."""

    site = models.OneToOneField(
        Site, on_delete=models.CASCADE, related_name="fieldwork_rules", verbose_name=_("site")
    )
    enforced = models.BooleanField(_("contrôles obligatoires"), default=True)
    changed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("modifié par")
    )
    changed_at = models.DateTimeField(_("modifié le"), default=timezone.now)

    site_path = "site"
    objects = SiteScopedManager()

    class Meta:
        verbose_name = _("règles terrain du site")
        verbose_name_plural = _("règles terrain des sites")

    def __str__(self) -> str:
        return f"{self.site.code} : {'obligatoires' if self.enforced else 'facultatifs'}"
