"""Procedures as data: manufacturer or internal, per family / brand / model, in published versions of ordered
steps (a published version is frozen: editing publishes the next version); the runs a technician follows on a
dossier (which version, who, when, each step's outcome and measure); the non-conformities seen on the way.

Procedures are shared by every site (like the knowledge base); runs and non-conformities belong to the
dossier's site.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atelier.core.scoping import SiteScopedManager
from atelier.customers.choices import ProductFamily
from atelier.procedures.choices import ProcedureKind, ProcedureSource, StepOutcome
from atelier.repairs.models import RepairCase


def fr_number(value: Decimal) -> str:
    """60.000 → « 60 », -0.500 → « -0,5 » (no exponent, French decimal comma)."""
    return f"{value.normalize():f}".replace(".", ",")


class Procedure(models.Model):
    """One published version of a procedure. Versions of the same procedure share `code`."""

    code = models.CharField(_("code"), max_length=40, db_index=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    is_current = models.BooleanField(_("version en vigueur"), default=True, db_index=True)
    kind = models.CharField(_("type"), max_length=20, choices=ProcedureKind.choices)
    title = models.CharField(_("titre"), max_length=200)
    topic = models.CharField(
        _("objet"),
        max_length=80,
        blank=True,
        help_text=_("Pièce ou organe traité (« Pompe de vidange ») ; vide : l'appareil entier."),
    )
    family = models.CharField(_("famille"), max_length=30, choices=ProductFamily.choices, db_index=True)
    brand = models.CharField(_("marque"), max_length=80, blank=True, help_text=_("Vide : toutes marques."))
    model_ref = models.CharField(
        _("modèle"), max_length=120, blank=True, help_text=_("Vide : tous modèles de la marque.")
    )
    source = models.CharField(_("source"), max_length=10, choices=ProcedureSource.choices)
    reference = models.CharField(
        _("référence du document source"), max_length=120, blank=True, help_text=_("Manuel de service, note…")
    )
    published_at = models.DateTimeField(_("publiée le"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("publiée par"),
    )
    change_note = models.CharField(_("modification"), max_length=200, blank=True)

    class Meta:
        ordering = ["family", "kind", "topic", "brand", "model_ref", "code", "-version"]
        verbose_name = _("procédure")
        verbose_name_plural = _("procédures")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="procedures_code_version_unique"),
            models.UniqueConstraint(
                fields=["code"], condition=models.Q(is_current=True), name="procedures_one_current_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    @property
    def scope_label(self) -> str:
        parts = [self.get_family_display(), self.brand or str(_("toutes marques"))]
        if self.model_ref:
            parts.append(self.model_ref)
        return " · ".join(parts)


class ProcedureStep(models.Model):
    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="steps", verbose_name=_("procédure")
    )
    position = models.PositiveSmallIntegerField(_("n°"))
    instruction = models.TextField(_("consigne"))
    document = models.ForeignKey(
        "knowledge.TechnicalDocument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("document à ouvrir"),
    )
    document_url = models.URLField(_("lien vers un document"), max_length=500, blank=True)
    measure_label = models.CharField(_("grandeur mesurée"), max_length=80, blank=True)
    unit = models.CharField(_("unité"), max_length=12, blank=True)
    min_value = models.DecimalField(_("minimum"), max_digits=10, decimal_places=3, null=True, blank=True)
    max_value = models.DecimalField(_("maximum"), max_digits=10, decimal_places=3, null=True, blank=True)
    safety_note = models.CharField(_("consigne de sécurité"), max_length=300, blank=True)

    class Meta:
        ordering = ["procedure", "position"]
        verbose_name = _("étape de procédure")
        verbose_name_plural = _("étapes de procédure")
        constraints = [
            models.UniqueConstraint(fields=["procedure", "position"], name="procedures_step_position_unique")
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.instruction[:60]}"

    @property
    def asks_measure(self) -> bool:
        return bool(self.measure_label)

    def in_range(self, value: Decimal) -> bool:
        return (self.min_value is None or value >= self.min_value) and (
            self.max_value is None or value <= self.max_value
        )

    @property
    def range_label(self) -> str:
        unit = f" {self.unit}" if self.unit else ""
        low, high = self.min_value, self.max_value
        if low is not None and high is not None:
            return _("de %(a)s à %(b)s%(u)s") % {"a": fr_number(low), "b": fr_number(high), "u": unit}
        if low is not None:
            return _("au moins %(a)s%(u)s") % {"a": fr_number(low), "u": unit}
        if high is not None:
            return _("au plus %(b)s%(u)s") % {"b": fr_number(high), "u": unit}
        return unit.strip()


class ProcedureRun(models.Model):
    """A procedure (one version) followed on a dossier."""

    case = models.ForeignKey(
        RepairCase, on_delete=models.CASCADE, related_name="procedure_runs", verbose_name=_("dossier")
    )
    procedure = models.ForeignKey(
        Procedure, on_delete=models.PROTECT, related_name="runs", verbose_name=_("procédure suivie")
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("par")
    )
    started_at = models.DateTimeField(_("commencée le"), default=timezone.now)
    finished_at = models.DateTimeField(_("terminée le"), null=True, blank=True)

    site_path = "case__site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("procédure suivie")
        verbose_name_plural = _("procédures suivies")

    def __str__(self) -> str:
        return f"{self.case} · {self.procedure}"


class StepResult(models.Model):
    run = models.ForeignKey(
        ProcedureRun, on_delete=models.CASCADE, related_name="results", verbose_name=_("suivi")
    )
    step = models.ForeignKey(
        ProcedureStep, on_delete=models.PROTECT, related_name="+", verbose_name=_("étape")
    )
    outcome = models.CharField(_("résultat"), max_length=10, choices=StepOutcome.choices)
    note = models.TextField(_("note"), blank=True)
    measured_value = models.DecimalField(
        _("valeur mesurée"), max_digits=10, decimal_places=3, null=True, blank=True
    )
    out_of_range = models.BooleanField(_("hors tolérance"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("par")
    )
    recorded_at = models.DateTimeField(_("le"), default=timezone.now)

    site_path = "run__case__site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["run", "step__position"]
        verbose_name = _("résultat d'étape")
        verbose_name_plural = _("résultats d'étape")
        constraints = [models.UniqueConstraint(fields=["run", "step"], name="procedures_one_result_per_step")]

    def __str__(self) -> str:
        return f"{self.run} · {self.step.position} · {self.get_outcome_display()}"

    @property
    def measured_label(self) -> str:
        return fr_number(self.measured_value) if self.measured_value is not None else ""

    @property
    def is_blocking(self) -> bool:
        return self.outcome == StepOutcome.PROBLEME or self.out_of_range


class NonConformity(models.Model):
    """A non-conformity seen on the appliance (at disassembly, C1.4), reported to the manager and, when it is
    the maker's, to the manufacturer feedback report (billing.Incident)."""

    case = models.ForeignKey(
        RepairCase, on_delete=models.CASCADE, related_name="non_conformities", verbose_name=_("dossier")
    )
    run = models.ForeignKey(
        ProcedureRun,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("suivi"),
    )
    step = models.ForeignKey(
        ProcedureStep,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("étape"),
    )
    description = models.TextField(_("constat"))
    manufacturer_fault = models.BooleanField(_("due au fabricant"), default=False)
    incident = models.ForeignKey(
        "billing.Incident",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("remontée fabricant"),
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("signalée par")
    )
    reported_at = models.DateTimeField(_("signalée le"), default=timezone.now)
    seen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vue par"),
    )
    seen_at = models.DateTimeField(_("vue le"), null=True, blank=True)

    site_path = "case__site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["-reported_at", "-pk"]
        verbose_name = _("non-conformité constatée")
        verbose_name_plural = _("non-conformités constatées")

    def __str__(self) -> str:
        return f"{self.case} · {self.description[:60]}"
