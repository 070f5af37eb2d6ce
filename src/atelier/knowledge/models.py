"""The technical knowledge base (symptoms, error codes, causes, checks, safety, documents) and the store the
suggester learns from (confirmed causes of closed repairs and their incremental statistics).

Entries belong to a product family and, where known, to a brand and a model (blank = every brand / model).
Every searchable entry keeps `search_text`, its French stemmed search column (knowledge.text.search_key),
written by the services.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atelier.customers.choices import ProductFamily
from atelier.knowledge.choices import NON_NEGATIVE_UNITS, CheckUnit, DocumentKind, Severity
from atelier.knowledge.validators import validate_document_file


class Scoped(models.Model):
    """Family, and optionally brand and model, that an entry applies to."""

    family = models.CharField(_("famille"), max_length=30, choices=ProductFamily.choices, db_index=True)
    brand = models.CharField(_("marque"), max_length=80, blank=True, help_text=_("Vide : toutes marques."))
    model_ref = models.CharField(
        _("modèle"), max_length=80, blank=True, help_text=_("Vide : tous modèles de la marque.")
    )
    search_text = models.TextField(_("texte de recherche"), blank=True, editable=False)

    class Meta:
        abstract = True

    def clean(self):
        from django.core.exceptions import ValidationError

        self.brand = self.brand.strip()
        self.model_ref = self.model_ref.strip()
        if self.model_ref and not self.brand:
            raise ValidationError({"brand": _("Indiquez la marque du modèle.")})


class Cause(Scoped):
    """A probable cause of a fault (« Pompe de vidange bloquée ») and the parts usually involved."""

    title = models.CharField(_("cause"), max_length=160)
    description = models.TextField(_("explication"), blank=True)
    parts = models.TextField(
        _("pièces généralement concernées"),
        blank=True,
        help_text=_("Une sorte de pièce par ligne (le catalogue de pièces viendra avec le stock)."),
    )

    class Meta:
        ordering = ["family", "title", "brand", "model_ref"]
        verbose_name = _("cause probable")
        verbose_name_plural = _("causes probables")
        constraints = [
            models.UniqueConstraint(
                fields=["family", "brand", "model_ref", "title"], name="knowledge_cause_unique_title"
            ),
            models.CheckConstraint(condition=~Q(title=""), name="knowledge_cause_has_title"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def part_list(self) -> list[str]:
        return [line.strip() for line in self.parts.splitlines() if line.strip()]


class Symptom(Scoped):
    """What the customer or the technician observes (« Ne vidange pas »), with its probable causes."""

    title = models.CharField(_("symptôme"), max_length=160)
    description = models.TextField(_("précisions"), blank=True)
    causes = models.ManyToManyField(Cause, blank=True, related_name="symptoms", verbose_name=_("causes"))

    class Meta:
        ordering = ["family", "title", "brand", "model_ref"]
        verbose_name = _("symptôme")
        verbose_name_plural = _("symptômes")
        constraints = [
            models.UniqueConstraint(
                fields=["family", "brand", "model_ref", "title"], name="knowledge_symptom_unique_title"
            ),
            models.CheckConstraint(condition=~Q(title=""), name="knowledge_symptom_has_title"),
        ]

    def __str__(self) -> str:
        return self.title


class ErrorCode(Scoped):
    """A code shown by an appliance of a brand (« E18 » Bosch lave-linge): its meaning and probable causes."""

    code = models.CharField(_("code"), max_length=12, help_text=_("Tel qu'affiché, ex. E18, 5C, OE."))
    meaning = models.CharField(_("signification"), max_length=255)
    notes = models.TextField(_("remarques"), blank=True)
    causes = models.ManyToManyField(Cause, blank=True, related_name="error_codes", verbose_name=_("causes"))

    class Meta:
        ordering = ["family", "brand", "code"]
        verbose_name = _("code erreur")
        verbose_name_plural = _("codes erreur")
        constraints = [
            models.UniqueConstraint(
                "family",
                "brand",
                "model_ref",
                Lower("code"),
                name="knowledge_errorcode_unique",
                violation_error_message=_("Ce code erreur existe déjà pour cette marque et cette famille."),
            ),
            models.CheckConstraint(condition=~Q(brand=""), name="knowledge_errorcode_has_brand"),
            models.CheckConstraint(condition=~Q(code=""), name="knowledge_errorcode_has_code"),
        ]

    def __str__(self) -> str:
        return f"{self.brand} {self.code}"

    def clean(self):
        super().clean()
        self.code = self.code.strip()


class Check(Scoped):
    """A check to perform with its expected value (« Résistance de chauffe : 20 à 30 Ω »)."""

    cause = models.ForeignKey(
        Cause,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="checks",
        verbose_name=_("cause"),
    )
    title = models.CharField(_("contrôle"), max_length=160)
    point = models.CharField(_("point de mesure"), max_length=160, blank=True)
    instrument = models.CharField(_("instrument"), max_length=80, blank=True, help_text=_("ex. multimètre"))
    expected_min = models.DecimalField(
        _("valeur minimale"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    expected_max = models.DecimalField(
        _("valeur maximale"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    unit = models.CharField(_("unité"), max_length=8, choices=CheckUnit.choices, blank=True)
    notes = models.TextField(_("remarques"), blank=True)

    class Meta:
        ordering = ["family", "title"]
        verbose_name = _("contrôle")
        verbose_name_plural = _("contrôles")
        constraints = [
            models.CheckConstraint(
                condition=Q(expected_min__isnull=True)
                | Q(expected_max__isnull=True)
                | Q(expected_min__lte=models.F("expected_max")),
                name="knowledge_check_min_le_max",
            ),
            models.CheckConstraint(
                condition=~Q(unit__in=NON_NEGATIVE_UNITS)
                | (
                    (Q(expected_min__isnull=True) | Q(expected_min__gte=0))
                    & (Q(expected_max__isnull=True) | Q(expected_max__gte=0))
                ),
                name="knowledge_check_non_negative",
            ),
            models.CheckConstraint(
                condition=(Q(expected_min__isnull=True) & Q(expected_max__isnull=True)) | ~Q(unit=""),
                name="knowledge_check_value_has_unit",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        errors = {}
        low, high = self.expected_min, self.expected_max
        if (low is not None or high is not None) and not self.unit:
            errors["unit"] = _("Indiquez l'unité de la valeur attendue.")
        if self.unit in NON_NEGATIVE_UNITS:
            label = CheckUnit(self.unit).label
            if low is not None and low < 0:
                errors["expected_min"] = _("Une valeur en %(unit)s ne peut pas être négative.") % {
                    "unit": label
                }
            if high is not None and high < 0:
                errors["expected_max"] = _("Une valeur en %(unit)s ne peut pas être négative.") % {
                    "unit": label
                }
        if low is not None and high is not None and low > high and "expected_min" not in errors:
            errors["expected_min"] = _("La valeur minimale dépasse la valeur maximale.")
        if errors:
            raise ValidationError(errors)

    @property
    def expected_display(self) -> str:
        unit = self.get_unit_display() if self.unit else ""

        def fmt(value):
            return f"{value.normalize():f}".replace(".", ",")

        if self.expected_min is not None and self.expected_max is not None:
            return f"{fmt(self.expected_min)} à {fmt(self.expected_max)} {unit}".strip()
        if self.expected_min is not None:
            return f"≥ {fmt(self.expected_min)} {unit}".strip()
        if self.expected_max is not None:
            return f"≤ {fmt(self.expected_max)} {unit}".strip()
        return ""


class SafetyWarning(Scoped):
    """A safety warning to read before working on the appliances of a family (« Condensateur chargé »)."""

    title = models.CharField(_("consigne"), max_length=160)
    text = models.TextField(_("détail"))
    severity = models.CharField(
        _("gravité"), max_length=10, choices=Severity.choices, default=Severity.DANGER
    )

    class Meta:
        ordering = ["family", "severity", "title"]
        verbose_name = _("consigne de sécurité")
        verbose_name_plural = _("consignes de sécurité")
        constraints = [
            models.UniqueConstraint(
                fields=["family", "brand", "model_ref", "title"], name="knowledge_safety_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class TechnicalDocument(Scoped):
    """A schematic, service manual or procedure: an uploaded file (PDF or image) or a link, never both."""

    title = models.CharField(_("titre"), max_length=200)
    kind = models.CharField(
        _("type"), max_length=20, choices=DocumentKind.choices, default=DocumentKind.OTHER
    )
    file = models.FileField(
        _("fichier"), upload_to="knowledge/%Y/%m/", blank=True, validators=[validate_document_file]
    )
    url = models.URLField(_("lien"), max_length=500, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ajouté par"),
    )
    added_at = models.DateTimeField(_("ajouté le"), default=timezone.now)

    class Meta:
        ordering = ["family", "brand", "model_ref", "title"]
        verbose_name = _("document technique")
        verbose_name_plural = _("documents techniques")
        constraints = [
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(url="")) | (~Q(file="") & Q(url="")),
                name="knowledge_document_file_xor_url",
                violation_error_message=_("Joignez un fichier ou indiquez un lien (l'un ou l'autre)."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ConfirmedCause(models.Model):
    """The confirmed cause of one closed repair: what the suggester learns from (service knowledge_learn)."""

    family = models.CharField(_("famille"), max_length=30, choices=ProductFamily.choices)
    brand = models.CharField(_("marque"), max_length=80, blank=True)
    model_ref = models.CharField(_("modèle"), max_length=80, blank=True)
    error_code = models.CharField(_("code erreur"), max_length=12, blank=True)
    text = models.TextField(_("paroles du client et constats"))
    cause = models.ForeignKey(
        Cause,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="confirmations",
        verbose_name=_("cause"),
    )
    cause_label = models.CharField(_("cause confirmée"), max_length=160)
    source = models.CharField(
        _("origine"), max_length=60, blank=True, help_text=_("ex. n° du dossier clôturé qui l'a confirmée")
    )
    learned_at = models.DateTimeField(_("appris le"), default=timezone.now)

    class Meta:
        ordering = ["-learned_at", "-pk"]
        verbose_name = _("cause confirmée")
        verbose_name_plural = _("causes confirmées")
        constraints = [
            models.UniqueConstraint(
                fields=["source"],
                condition=~Q(source=""),
                name="knowledge_confirmed_source_once",
                violation_error_message=_("Ce dossier a déjà été appris."),
            ),
            models.CheckConstraint(condition=~Q(cause_label=""), name="knowledge_confirmed_has_label"),
        ]
        indexes = [models.Index(fields=["family", "cause_label"], name="knowledge_confirmed_family")]

    def __str__(self) -> str:
        return f"{self.get_family_display()} : {self.cause_label}"


class LearnedFamily(models.Model):
    """Totals of the learned index of one family; its row is also the lock taken while learning."""

    family = models.CharField(_("famille"), max_length=30, choices=ProductFamily.choices, unique=True)
    dossiers = models.PositiveIntegerField(_("dossiers appris"), default=0)
    vocabulary = models.PositiveIntegerField(_("traits distincts"), default=0)

    class Meta:
        ordering = ["family"]
        verbose_name = _("index appris (famille)")
        verbose_name_plural = _("index appris (familles)")

    def __str__(self) -> str:
        return self.get_family_display()


class LearnedCause(models.Model):
    """How many dossiers of a family confirmed a cause, and how many features they carried in all."""

    family = models.CharField(_("famille"), max_length=30, choices=ProductFamily.choices)
    cause_label = models.CharField(_("cause"), max_length=160)
    dossiers = models.PositiveIntegerField(_("dossiers"), default=0)
    feature_total = models.PositiveIntegerField(_("traits cumulés"), default=0)

    class Meta:
        ordering = ["family", "-dossiers", "cause_label"]
        verbose_name = _("cause apprise")
        verbose_name_plural = _("causes apprises")
        constraints = [
            models.UniqueConstraint(fields=["family", "cause_label"], name="knowledge_learnedcause_unique"),
        ]

    def __str__(self) -> str:
        return self.cause_label


class LearnedFeature(models.Model):
    """One text feature of a family and, per confirmed cause, the number of dossiers that carried it."""

    family = models.CharField(_("famille"), max_length=30, choices=ProductFamily.choices)
    feature = models.CharField(_("trait"), max_length=120)
    total = models.PositiveIntegerField(_("dossiers"), default=0)
    counts = models.JSONField(
        _("dossiers par cause"), default=dict, help_text=_("Clé : id de la LearnedCause, valeur : dossiers.")
    )

    class Meta:
        ordering = ["family", "feature"]
        verbose_name = _("trait appris")
        verbose_name_plural = _("traits appris")
        constraints = [
            models.UniqueConstraint(fields=["family", "feature"], name="knowledge_learnedfeature_unique"),
        ]

    def __str__(self) -> str:
        return self.feature
