"""What is learned about a dossier's fault before the quote: the customer's answers to the guided questions
(C2.4), the pre-diagnosis at the counter with its checklist (C2.5), and the technician's diagnosis with
measurements and the parts needed (C1.4–C1.6)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atelier.core.scoping import SiteScopedManager
from atelier.customers.choices import ProductFamily
from atelier.diagnostics.choices import Acknowledgement, CheckResult, QuestionKind, SourceKind
from atelier.knowledge.choices import CheckUnit
from atelier.repairs.models import RepairCase


class Question(models.Model):
    """One question of a family's set (blank family: asked for every family), shown in `position` order.

    A question with a `parent` is asked only when the parent's answer equals `parent_value` (« Un code erreur
    s'affiche ? » oui → « Lequel ? »). Seeded by a data migration, edited by the SAV manager in the admin.
    """

    family = models.CharField(
        _("famille"), max_length=30, choices=ProductFamily.choices, blank=True, help_text=_("Vide : toutes.")
    )
    key = models.SlugField(_("clé"), max_length=40, help_text=_("Identifiant stable, ex. code_erreur."))
    text = models.CharField(_("question"), max_length=200)
    kind = models.CharField(_("type de réponse"), max_length=12, choices=QuestionKind.choices)
    choices = models.TextField(_("réponses proposées"), blank=True, help_text=_("Une par ligne."))
    help_text = models.CharField(_("aide"), max_length=200, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("posée si la question"),
    )
    parent_value = models.CharField(_("a pour réponse"), max_length=80, blank=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions du questionnement")
        constraints = [
            models.UniqueConstraint(fields=["family", "key"], name="diagnostics_question_unique_key"),
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | ~Q(parent_value=""),
                name="diagnostics_question_condition_has_value",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def choice_list(self) -> list[str]:
        if self.kind == QuestionKind.YES_NO:
            return ["oui", "non"]
        return [line.strip() for line in self.choices.splitlines() if line.strip()]

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.parent_id and not self.parent_value.strip():
            raise ValidationError({"parent_value": _("Indiquez la réponse qui fait poser cette question.")})
        if self.kind == QuestionKind.CHOICE and not self.choice_list:
            raise ValidationError({"choices": _("Indiquez au moins une réponse proposée.")})


class Answer(models.Model):
    """The customer's answer to one question on a dossier (one per question; answering again replaces it)."""

    case = models.ForeignKey(
        RepairCase, on_delete=models.CASCADE, related_name="answers", verbose_name=_("dossier")
    )
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="+", verbose_name=_("question")
    )
    value = models.CharField(_("réponse"), max_length=500)
    flag = models.CharField(
        _("signalement"), max_length=120, blank=True, help_text=_("ex. « code inconnu de la base »")
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("saisi par")
    )
    answered_at = models.DateTimeField(_("saisi le"), default=timezone.now)

    site_path = "case__site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["question__position", "question__pk"]
        verbose_name = _("réponse")
        verbose_name_plural = _("réponses")
        constraints = [
            models.UniqueConstraint(fields=["case", "question"], name="diagnostics_answer_once"),
            models.CheckConstraint(condition=~Q(value=""), name="diagnostics_answer_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.question.text} {self.value}"


class ChecklistItem(models.Model):
    """A basic check done with the customer at the counter for a family (« Le filtre de vidange est-il propre ? »)."""

    family = models.CharField(_("famille"), max_length=30, choices=ProductFamily.choices)
    title = models.CharField(_("vérification"), max_length=200)
    position = models.PositiveSmallIntegerField(_("ordre"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["family", "position", "pk"]
        verbose_name = _("vérification de base")
        verbose_name_plural = _("vérifications de base (pré-diagnostic)")
        constraints = [
            models.UniqueConstraint(fields=["family", "title"], name="diagnostics_checklist_unique"),
        ]

    def __str__(self) -> str:
        return self.title


class PreDiagnosis(models.Model):
    """The counter's pre-diagnosis of a dossier and the customer's acknowledgement of the sheet."""

    case = models.OneToOneField(
        RepairCase, on_delete=models.CASCADE, related_name="prediagnosis", verbose_name=_("dossier")
    )
    findings = models.TextField(_("constats"))
    visible_damage = models.TextField(_("dommages visibles"), blank=True)
    leads = models.TextField(_("premières pistes"), blank=True)
    told_customer = models.TextField(_("ce qui a été dit au client"), blank=True)
    symptoms = models.ManyToManyField(
        "knowledge.Symptom", blank=True, related_name="+", verbose_name=_("symptômes")
    )
    suggestions = models.JSONField(
        _("causes suggérées"),
        default=list,
        blank=True,
        help_text=_("[{label, percent}] au moment du pré-diagnostic"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("par")
    )
    recorded_at = models.DateTimeField(_("le"), default=timezone.now)
    acknowledgement = models.CharField(
        _("accusé du client"), max_length=10, choices=Acknowledgement.choices, blank=True
    )
    signer_name = models.CharField(_("nom du signataire"), max_length=120, blank=True)
    signature = models.TextField(_("signature"), blank=True)
    acknowledged_at = models.DateTimeField(_("signée le"), null=True, blank=True)

    site_path = "case__site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["-recorded_at"]
        verbose_name = _("pré-diagnostic")
        verbose_name_plural = _("pré-diagnostics")
        constraints = [
            models.CheckConstraint(condition=~Q(findings=""), name="diagnostics_prediag_has_findings"),
        ]

    def __str__(self) -> str:
        return f"Pré-diagnostic {self.case.number}"


class PreDiagnosisCheck(models.Model):
    """The result of one checklist item during the pre-diagnosis."""

    prediagnosis = models.ForeignKey(
        PreDiagnosis, on_delete=models.CASCADE, related_name="checks", verbose_name=_("pré-diagnostic")
    )
    item = models.ForeignKey(
        ChecklistItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("vérification")
    )
    result = models.CharField(_("résultat"), max_length=10, choices=CheckResult.choices)
    remark = models.CharField(_("remarque"), max_length=200, blank=True)

    site_path = "prediagnosis__case__site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["item__position", "item__pk"]
        verbose_name = _("vérification faite")
        verbose_name_plural = _("vérifications faites")
        constraints = [
            models.UniqueConstraint(fields=["prediagnosis", "item"], name="diagnostics_prediag_check_once"),
        ]

    def __str__(self) -> str:
        return f"{self.item.title} : {self.get_result_display()}"


class Diagnosis(models.Model):
    """The technician's diagnosis of a dossier: notes, conclusion, confirmed cause, labour and parts."""

    case = models.OneToOneField(
        RepairCase, on_delete=models.CASCADE, related_name="diagnosis", verbose_name=_("dossier")
    )
    disassembly_notes = models.TextField(_("notes de démontage"), blank=True)
    non_conformities = models.TextField(_("non-conformités visuelles"), blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    confirmed_cause = models.ForeignKey(
        "knowledge.Cause",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cause confirmée"),
    )
    labour_hours = models.DecimalField(
        _("main-d'œuvre estimée (h)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    technician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("technicien")
    )
    updated_at = models.DateTimeField(_("mis à jour le"), default=timezone.now)
    unsolved = models.BooleanField(
        _("panne non résolue"),
        default=False,
        help_text=_("La cause n'est pas trouvée : notez les sources consultées."),
    )
    solution = models.ForeignKey(
        "quotes.Solution",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("solution transmise au devis"),
    )

    site_path = "case__site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("diagnostic")
        verbose_name_plural = _("diagnostics")
        constraints = [
            models.CheckConstraint(
                condition=Q(labour_hours__isnull=True) | Q(labour_hours__gte=0),
                name="diagnostics_diagnosis_labour_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"Diagnostic {self.case.number}"


class Measurement(models.Model):
    """One measurement with its expected range; `conforming` is computed by the service, never typed."""

    diagnosis = models.ForeignKey(
        Diagnosis, on_delete=models.CASCADE, related_name="measurements", verbose_name=_("diagnostic")
    )
    check_ref = models.ForeignKey(
        "knowledge.Check",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contrôle de la base"),
    )
    instrument = models.CharField(_("instrument"), max_length=80)
    tool = models.ForeignKey(
        "fieldwork.Tool",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("appareil de mesure (registre)"),
    )
    point = models.CharField(_("point de mesure"), max_length=160)
    value = models.DecimalField(_("valeur"), max_digits=12, decimal_places=3)
    unit = models.CharField(_("unité"), max_length=8, choices=CheckUnit.choices)
    expected_min = models.DecimalField(
        _("minimum attendu"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    expected_max = models.DecimalField(
        _("maximum attendu"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    conforming = models.BooleanField(_("conforme"), null=True, blank=True)
    measured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("par")
    )
    measured_at = models.DateTimeField(_("le"), default=timezone.now)

    site_path = "diagnosis__case__site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["measured_at", "pk"]
        verbose_name = _("mesure")
        verbose_name_plural = _("mesures")
        constraints = [
            models.CheckConstraint(
                condition=Q(expected_min__isnull=True)
                | Q(expected_max__isnull=True)
                | Q(expected_min__lte=models.F("expected_max")),
                name="diagnostics_measurement_min_le_max",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.point} : {self.value} {self.get_unit_display()}"

    @property
    def expected_display(self) -> str:
        def fmt(value):
            return f"{value.normalize():f}".replace(".", ",")

        unit = self.get_unit_display()
        low, high = self.expected_min, self.expected_max
        if low is not None and high is not None:
            return f"{fmt(low)} à {fmt(high)} {unit}"
        if low is not None:
            return f"≥ {fmt(low)} {unit}"
        if high is not None:
            return f"≤ {fmt(high)} {unit}"
        return "—"

    @property
    def value_display(self) -> str:
        return f"{self.value.normalize():f}".replace(".", ",") + f" {self.get_unit_display()}"


class SourceConsulted(models.Model):
    """A source of information consulted for a fault not solved on the first try (C1.6)."""

    diagnosis = models.ForeignKey(
        Diagnosis, on_delete=models.CASCADE, related_name="sources", verbose_name=_("diagnostic")
    )
    kind = models.CharField(_("source"), max_length=25, choices=SourceKind.choices)
    reference = models.CharField(
        _("référence"), max_length=200, blank=True, help_text=_("Document, n° de dossier hotline, lien…")
    )
    notes = models.TextField(_("ce qui en a été retenu"))
    consulted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("par")
    )
    consulted_at = models.DateTimeField(_("le"), default=timezone.now)

    site_path = "diagnosis__case__site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["consulted_at", "pk"]
        verbose_name = _("source consultée")
        verbose_name_plural = _("sources consultées")
        constraints = [models.CheckConstraint(condition=~Q(notes=""), name="diagnostics_source_has_notes")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reference}".strip()


class DiagnosisPart(models.Model):
    """A part the repair needs, from the stock catalogue."""

    diagnosis = models.ForeignKey(
        Diagnosis, on_delete=models.CASCADE, related_name="parts", verbose_name=_("diagnostic")
    )
    part = models.ForeignKey(
        "stock.Part", on_delete=models.PROTECT, related_name="+", verbose_name=_("pièce")
    )
    quantity = models.PositiveSmallIntegerField(_("quantité"), default=1)

    site_path = "diagnosis__case__site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("pièce nécessaire")
        verbose_name_plural = _("pièces nécessaires")
        constraints = [
            models.UniqueConstraint(fields=["diagnosis", "part"], name="diagnostics_part_once"),
            models.CheckConstraint(
                condition=Q(quantity__gte=1) & Q(quantity__lte=99), name="diagnostics_part_quantity"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.part}"
