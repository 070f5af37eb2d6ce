"""Dismantling of a non-repairable appliance (issue 20 point 4, C1.14): the reusable sub-assemblies of each
family (data, seeded by migration 0004, editable in the administration), each sub-assembly of an appliance as
taken off — tested, and either recovered as a used part of the stock catalogue (codified and validated by the
stock app, entered in its ledger as « Démontage ») or left with the remains — and the remains' departure as WEEE
(DEEE) with the eco-organism's take-back record."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atelier.core.scoping import SiteScopedManager
from atelier.customers.choices import ProductFamily
from atelier.refurbishment.models import StockAppliance
from atelier.stock.choices import PartKind, UsedGrade
from atelier.stock.models import Part, StockMove

USER = settings.AUTH_USER_MODEL
WEIGHT = {"max_digits": 6, "decimal_places": 2}


class SubAssembly(models.Model):
    """One reusable sub-assembly of a family (pump, motor, control board…) and the test it must pass."""

    family = models.CharField(_("famille"), max_length=25, choices=ProductFamily.choices)
    code = models.SlugField(_("code"), max_length=40)
    label = models.CharField(_("sous-ensemble"), max_length=200)
    part_kind = models.CharField(_("type de pièce"), max_length=20, choices=PartKind.choices)
    test = models.CharField(_("essai à faire"), max_length=255)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)
    is_active = models.BooleanField(_("actif"), default=True)

    class Meta:
        ordering = ["family", "order", "pk"]
        verbose_name = _("sous-ensemble réutilisable")
        verbose_name_plural = _("sous-ensembles réutilisables")
        constraints = [models.UniqueConstraint(fields=["family", "code"], name="refurb_subassembly_unique")]

    def __str__(self) -> str:
        return self.label


class RecoveredPart(models.Model):
    """A sub-assembly of an appliance as taken off: tested; if it passed, the used part it became in the stock
    catalogue (with its grade) and, once a second person validated the reference, its ledger entry."""

    site_path = "appliance__site"
    appliance = models.ForeignKey(
        StockAppliance, on_delete=models.PROTECT, related_name="recovered_parts", verbose_name=_("appareil")
    )
    sub_assembly = models.ForeignKey(
        SubAssembly, on_delete=models.PROTECT, related_name="+", verbose_name=_("sous-ensemble")
    )
    label = models.CharField(_("sous-ensemble"), max_length=200)  # copied: the list may change
    reusable = models.BooleanField(_("réutilisable (essai réussi)"))
    test_record = models.TextField(_("essai fait et résultat"))
    part = models.OneToOneField(
        Part,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recovered_from",
        verbose_name=_("pièce du catalogue"),
    )
    grade = models.CharField(_("grade"), max_length=1, choices=UsedGrade.choices, blank=True)
    weight_kg = models.DecimalField(_("poids (kg)"), **WEIGHT, null=True, blank=True)
    stock_move = models.OneToOneField(
        StockMove,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entrée en stock"),
    )
    done_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("par"))
    done_at = models.DateTimeField(_("le"), default=timezone.now)

    objects = SiteScopedManager()

    class Meta:
        ordering = ["appliance", "sub_assembly__order", "pk"]
        verbose_name = _("sous-ensemble démonté")
        verbose_name_plural = _("sous-ensembles démontés")
        constraints = [
            models.UniqueConstraint(fields=["appliance", "sub_assembly"], name="refurb_recovered_unique"),
            # a recovered part has its catalogue part, grade and weight; a failed one has none of them
            models.CheckConstraint(
                condition=Q(reusable=True, part__isnull=False, weight_kg__gt=0)
                | Q(reusable=False, part__isnull=True, stock_move__isnull=True),
                name="refurb_recovered_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.appliance.number} · {self.label}"


class WeeeDeparture(models.Model):
    """What remains of a dismantled appliance leaves as WEEE (DEEE): the eco-organism's take-back record."""

    site_path = "appliance__site"
    appliance = models.OneToOneField(
        StockAppliance, on_delete=models.PROTECT, related_name="weee_departure", verbose_name=_("appareil")
    )
    eco_organism = models.CharField(_("éco-organisme"), max_length=150)
    bordereau = models.CharField(_("n° de bordereau"), max_length=60)
    handed_on = models.DateField(_("remis le"))
    weight_kg = models.DecimalField(_("poids remis (kg)"), **WEIGHT)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("par"))
    recorded_at = models.DateTimeField(_("enregistré le"), default=timezone.now)

    objects = SiteScopedManager()

    class Meta:
        ordering = ["-handed_on", "-pk"]
        verbose_name = _("départ en DEEE")
        verbose_name_plural = _("départs en DEEE")
        constraints = [
            models.CheckConstraint(condition=Q(weight_kg__gt=0), name="refurb_weee_weight_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.appliance.number} · {self.bordereau}"
