"""Refurbishment (référentiel C1.13): the procedure of each family as data (steps with what is expected), the
scale of cosmetic grades (data), each refurbishment of an appliance followed step by step with its results,
the parts it took from stock, the erasure of the previous user's data (recorded like an erasure certificate),
and its outcome: a functional verdict, a separate cosmetic grade, a price and the wording the appliance may be
sold under (« reconditionné », « reconditionné en France » or « d'occasion », décret 2022-190).

Every free text a customer may read (grade, step, notes) refuses « état neuf », « comme neuf », « à neuf »
(core.validators.validate_no_new_claim)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atelier.core.scoping import SiteScopedManager
from atelier.core.validators import validate_no_new_claim
from atelier.customers.choices import ProductFamily
from atelier.fieldwork.choices import ApplianceClass
from atelier.refurbishment.choices_procedures import (
    ErasureMethod,
    FunctionalVerdict,
    RefurbishmentStatus,
    SaleWording,
    StepKind,
)

MONEY = {"max_digits": 10, "decimal_places": 2}
USER = settings.AUTH_USER_MODEL
NO_NEW = [validate_no_new_claim]


class CosmeticGrade(models.Model):
    """One grade of the shop's cosmetic scale (data, seeded A / B / C, editable in the administration); how an
    appliance looks, apart from whether it works."""

    code = models.CharField(_("code"), max_length=4, unique=True)
    label = models.CharField(_("libellé"), max_length=80, validators=NO_NEW)
    description = models.CharField(_("description"), max_length=255, validators=NO_NEW)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)
    is_active = models.BooleanField(_("actif"), default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("grade esthétique")
        verbose_name_plural = _("grades esthétiques")

    def __str__(self) -> str:
        return f"{self.code} – {self.label}"


class ProcedureStep(models.Model):
    """One step of a family's refurbishment procedure (data, seeded, editable in the administration)."""

    family = models.CharField(_("famille"), max_length=25, choices=ProductFamily.choices)
    code = models.SlugField(_("code"), max_length=40)
    kind = models.CharField(_("nature"), max_length=20, choices=StepKind.choices)
    label = models.CharField(_("étape"), max_length=200, validators=NO_NEW)
    programme = models.CharField(
        _("programme"), max_length=120, blank=True, help_text=_("Essais fonctionnels : le programme lancé.")
    )
    expected = models.CharField(_("attendu"), max_length=255, validators=NO_NEW)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)
    is_active = models.BooleanField(_("actif"), default=True)

    class Meta:
        ordering = ["family", "order", "pk"]
        verbose_name = _("étape de reconditionnement")
        verbose_name_plural = _("étapes de reconditionnement")
        constraints = [models.UniqueConstraint(fields=["family", "code"], name="refurb_step_unique")]

    def __str__(self) -> str:
        return self.label


class Refurbishment(models.Model):
    """One pass of an appliance through its family's procedure; an appliance may be refurbished again later
    (several rows). Finished: the verdict, the grade, the price and the wording it may be sold under, with the
    conditions of the décret that were (or were not) met, copied as they stood."""

    site_path = "appliance__site"
    appliance = models.ForeignKey(
        "refurbishment.StockAppliance",
        on_delete=models.PROTECT,
        related_name="refurbishments",
        verbose_name=_("appareil"),
    )
    status = models.CharField(
        _("état"), max_length=10, choices=RefurbishmentStatus.choices, default=RefurbishmentStatus.EN_COURS
    )
    holds_data = models.BooleanField(
        _("conserve des données de l'utilisateur"),
        help_text=_("Multimédia, appareil connecté : comptes, réseaux Wi-Fi, historique, enregistrements."),
    )
    started_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("par"))
    started_at = models.DateTimeField(_("commencé le"), default=timezone.now)
    verdict = models.CharField(
        _("verdict fonctionnel"), max_length=12, choices=FunctionalVerdict.choices, blank=True
    )
    grade = models.ForeignKey(
        CosmeticGrade,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("grade"),
    )
    price = models.DecimalField(_("prix de vente TTC (€)"), **MONEY, null=True, blank=True)
    wording = models.CharField(_("mention de vente"), max_length=25, choices=SaleWording.choices, blank=True)
    # the décret's conditions as checked at the end: [{"label": …, "met": true/false, "detail": …}]
    conditions = models.JSONField(_("conditions du décret 2022-190"), default=list, blank=True)
    notes = models.TextField(_("observations"), blank=True, validators=NO_NEW)
    finished_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("terminé par")
    )
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)

    objects = SiteScopedManager()

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("reconditionnement")
        verbose_name_plural = _("reconditionnements")
        constraints = [
            # one refurbishment in progress per appliance
            models.UniqueConstraint(
                fields=["appliance"],
                condition=Q(status="en_cours"),
                name="refurb_one_open_per_appliance",
            ),
            models.CheckConstraint(
                condition=Q(price__isnull=True) | Q(price__gt=0), name="refurb_price_positive"
            ),
            models.CheckConstraint(
                condition=Q(status="en_cours") | Q(finished_at__isnull=False), name="refurb_finished_dated"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.appliance.number} · {self.started_at:%d/%m/%Y}"


class StepResult(models.Model):
    """One step as done (the latest try counts: a failed step is repaired then done again, `attempts` grows);
    the step's wording copied (the procedure may change), where it was done (country), and for the electrical
    safety tests the measurements compared with the EN 50678 limits in force (fieldwork)."""

    refurbishment = models.ForeignKey(
        Refurbishment, on_delete=models.CASCADE, related_name="results", verbose_name=_("reconditionnement")
    )
    step = models.ForeignKey(
        ProcedureStep, on_delete=models.PROTECT, related_name="+", verbose_name=_("étape")
    )
    kind = models.CharField(_("nature"), max_length=20, choices=StepKind.choices)
    label = models.CharField(_("étape"), max_length=200)
    expected = models.CharField(_("attendu"), max_length=255)
    passed = models.BooleanField(_("conforme"))
    measured = models.CharField(_("valeur relevée"), max_length=255, blank=True, validators=NO_NEW)
    repair = models.CharField(
        _("réparation faite"),
        max_length=255,
        blank=True,
        validators=NO_NEW,
        help_text=_("Ce qui a été réparé avant de refaire l'étape."),
    )
    attempts = models.PositiveSmallIntegerField(_("essais"), default=1)
    country = models.CharField(
        _("pays où l'opération est faite"), max_length=2, default="FR", help_text=_("Code ISO, ex. FR.")
    )
    appliance_class = models.CharField(_("classe"), max_length=2, choices=ApplianceClass.choices, blank=True)
    instrument = models.ForeignKey(
        "fieldwork.Tool",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("appareil de mesure"),
    )
    safety_results = models.JSONField(_("mesures"), default=dict, blank=True)
    done_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("par"))
    done_at = models.DateTimeField(_("le"), default=timezone.now)

    class Meta:
        ordering = ["refurbishment", "step__order", "pk"]
        verbose_name = _("étape faite")
        verbose_name_plural = _("étapes faites")
        constraints = [
            models.UniqueConstraint(fields=["refurbishment", "step"], name="refurb_step_result_unique"),
        ]

    def __str__(self) -> str:
        return self.label


class RefurbishmentPart(models.Model):
    """A part taken from stock for a refurbishment: the stock ledger's exit line it wrote."""

    refurbishment = models.ForeignKey(
        Refurbishment, on_delete=models.PROTECT, related_name="parts", verbose_name=_("reconditionnement")
    )
    part = models.ForeignKey(
        "stock.Part", on_delete=models.PROTECT, related_name="+", verbose_name=_("pièce")
    )
    quantity = models.DecimalField(_("quantité"), max_digits=10, decimal_places=2)
    move = models.OneToOneField(
        "stock.StockMove", on_delete=models.PROTECT, related_name="+", verbose_name=_("mouvement de stock")
    )
    added_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("par"))
    added_at = models.DateTimeField(_("le"), default=timezone.now)

    class Meta:
        ordering = ["refurbishment", "pk"]
        verbose_name = _("pièce utilisée au reconditionnement")
        verbose_name_plural = _("pièces utilisées au reconditionnement")

    def __str__(self) -> str:
        return f"{self.quantity} × {self.part}"


class DataErasure(models.Model):
    """The erasure of the previous user's data, recorded like an erasure certificate: what medium, which
    method and tool, the passes asked for and done, how it was verified, errors and warnings, who and when.
    Several tries may be recorded; the refurbishment counts the last one."""

    refurbishment = models.ForeignKey(
        Refurbishment, on_delete=models.PROTECT, related_name="erasures", verbose_name=_("reconditionnement")
    )
    medium = models.CharField(_("support effacé"), max_length=200)
    method = models.CharField(_("méthode"), max_length=20, choices=ErasureMethod.choices)
    tool = models.CharField(_("outil ou procédure"), max_length=200)
    passes_requested = models.PositiveSmallIntegerField(_("passes demandées"))
    passes_done = models.PositiveSmallIntegerField(_("passes effectuées"))
    verified = models.BooleanField(_("vérification faite et concluante"))
    verification = models.CharField(_("vérification"), max_length=255)
    errors = models.TextField(_("erreurs"), blank=True)
    warnings = models.TextField(_("avertissements"), blank=True)
    succeeded = models.BooleanField(_("effacement réussi"))
    country = models.CharField(_("pays"), max_length=2, default="FR")
    started_at = models.DateTimeField(_("commencé le"))
    finished_at = models.DateTimeField(_("terminé le"))
    done_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("par"))

    class Meta:
        ordering = ["refurbishment", "-finished_at", "-pk"]
        verbose_name = _("effacement des données")
        verbose_name_plural = _("effacements des données")
        constraints = [
            models.CheckConstraint(condition=Q(passes_requested__gt=0), name="refurb_erasure_passes_asked"),
            models.CheckConstraint(
                condition=Q(finished_at__gte=models.F("started_at")), name="refurb_erasure_dates_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.medium} · {self.get_method_display()}"
