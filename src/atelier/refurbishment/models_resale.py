"""Resale of second-life appliances (issue 20, point 5): the legal guarantee of conformity for goods sold used
(a dated figure: duration and presumption period, with its legal basis) and each sale as it was made — price,
customer, the wording allowed, the grade, the guarantees and the appliance's past, copied at the sale (they
must read later as they were printed), and the billing invoice issued for it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atelier.core.scoping import SiteScopedManager
from atelier.refurbishment.choices_procedures import SaleWording

MONEY = {"max_digits": 10, "decimal_places": 2}


class UsedGoodsGuarantee(models.Model):
    """The legal guarantee of conformity of goods sold used, in force from a date (data, not code): how long
    it lasts and how long a defect is presumed to have existed at delivery (C. conso. L217-3, L217-7)."""

    valid_from = models.DateField(_("pour les ventes à partir du"), unique=True)
    months = models.PositiveSmallIntegerField(_("durée de la garantie légale (mois)"))
    presumption_months = models.PositiveSmallIntegerField(_("présomption d'antériorité du défaut (mois)"))
    legal_basis = models.CharField(_("fondement"), max_length=255)

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("garantie légale des biens d'occasion")
        verbose_name_plural = _("garanties légales des biens d'occasion")
        constraints = [
            models.CheckConstraint(condition=Q(months__gt=0), name="refurb_guarantee_months_positive"),
            models.CheckConstraint(
                condition=Q(presumption_months__gt=0) & Q(presumption_months__lte=models.F("months")),
                name="refurb_guarantee_presumption_within",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.months} mois / {self.presumption_months} mois ({self.valid_from:%d/%m/%Y})"


class ApplianceSale(models.Model):
    """One sale of a second-life appliance: the ledger's sale line, the invoice, and what was said to the buyer."""

    site_path = "appliance__site"
    appliance = models.ForeignKey(
        "refurbishment.StockAppliance",
        on_delete=models.PROTECT,
        related_name="sales",
        verbose_name=_("appareil"),
    )
    move = models.OneToOneField(
        "refurbishment.ApplianceMove", on_delete=models.PROTECT, related_name="+", verbose_name=_("mouvement")
    )
    refurbishment = models.ForeignKey(
        "refurbishment.Refurbishment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reconditionnement"),
    )
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="+", verbose_name=_("client")
    )
    price = models.DecimalField(_("prix TTC (€)"), **MONEY)
    wording = models.CharField(_("mention de vente"), max_length=25, choices=SaleWording.choices)
    grade = models.CharField(_("grade"), max_length=120, blank=True)
    legal_guarantee = models.TextField(_("garantie légale de conformité"))
    commercial_guarantee = models.TextField(_("garantie commerciale"), blank=True)
    # the appliance's past as printed: ["Tri du 02/12/2026 : fonctionnement validé", …]
    history = models.JSONField(_("historique"), default=list)
    invoice = models.OneToOneField(
        "billing.Invoice",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appliance_sale",
        verbose_name=_("facture"),
    )
    sold_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sold_at = models.DateTimeField(_("vendu le"), default=timezone.now)

    objects = SiteScopedManager()

    class Meta:
        ordering = ["-sold_at", "-pk"]
        verbose_name = _("vente d'appareil")
        verbose_name_plural = _("ventes d'appareils")
        constraints = [models.CheckConstraint(condition=Q(price__gt=0), name="refurb_sale_price_positive")]

    def __str__(self) -> str:
        return f"{self.appliance.number} · {self.price} €"
