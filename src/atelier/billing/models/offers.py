"""Advice sheets per product family, complementary suggestions and the offers made on a dossier."""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atelier.billing.choices import OfferKind
from atelier.billing.models.base import MONEY
from atelier.billing.models.invoices import Invoice
from atelier.core.choices import VatKind
from atelier.core.models import User
from atelier.core.scoping import SiteScopedManager
from atelier.customers.choices import ProductFamily
from atelier.repairs.models import RepairCase


class AdviceSheet(models.Model):
    """Advice for a product family: use, settings, maintenance to make the appliance last."""

    family = models.CharField(
        _("famille de produit"), max_length=25, choices=ProductFamily.choices, unique=True
    )
    title = models.CharField(_("titre"), max_length=150)
    use = models.TextField(_("bon usage"))
    settings = models.TextField(_("réglages"))
    maintenance = models.TextField(_("entretien"))

    class Meta:
        ordering = ["family"]
        verbose_name = _("fiche conseils")
        verbose_name_plural = _("fiches conseils")

    def __str__(self) -> str:
        return self.title


class Suggestion(models.Model):
    """A complementary product or service that fits a family (and, optionally, a kind of repair)."""

    family = models.CharField(_("famille de produit"), max_length=25, choices=ProductFamily.choices)
    kind = models.CharField(_("type"), max_length=8, choices=OfferKind.choices)
    designation = models.CharField(_("désignation"), max_length=200)
    why = models.CharField(_("pourquoi le proposer"), max_length=255)
    unit_price_ht = models.DecimalField(_("prix unitaire HT (€)"), **MONEY)
    vat_kind = models.CharField(_("TVA"), max_length=20, choices=VatKind.choices, default=VatKind.NORMAL)
    is_active = models.BooleanField(_("proposée"), default=True)

    class Meta:
        ordering = ["family", "designation"]
        verbose_name = _("suggestion complémentaire")
        verbose_name_plural = _("suggestions complémentaires")
        constraints = [models.CheckConstraint(condition=Q(unit_price_ht__gte=0), name="billing_sugg_price")]

    def __str__(self) -> str:
        return self.designation


class Offer(models.Model):
    """A suggestion offered to the customer on a dossier and their answer; accepted ones are invoiced."""

    case = models.ForeignKey(
        RepairCase, on_delete=models.PROTECT, related_name="offers", verbose_name=_("dossier")
    )
    suggestion = models.ForeignKey(
        Suggestion, on_delete=models.PROTECT, related_name="+", verbose_name=_("offre")
    )
    designation = models.CharField(_("désignation"), max_length=200)
    quantity = models.DecimalField(_("quantité"), max_digits=7, decimal_places=2, default=Decimal("1"))
    unit_price_ht = models.DecimalField(_("prix unitaire HT (€)"), **MONEY)
    vat_rate = models.DecimalField(_("taux de TVA (%)"), max_digits=5, decimal_places=2)
    is_goods = models.BooleanField(_("bien vendu"), default=True)
    accepted = models.BooleanField(_("acceptée"), default=False)
    decided_at = models.DateTimeField(_("le"), default=timezone.now)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("par"))
    invoice = models.ForeignKey(
        Invoice,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("facturée sur"),
    )

    site_path = "case__site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["case", "pk"]
        verbose_name = _("proposition complémentaire")
        verbose_name_plural = _("propositions complémentaires")
        constraints = [
            models.UniqueConstraint(fields=["case", "suggestion"], name="billing_offer_once_per_case"),
        ]

    def __str__(self) -> str:
        return self.designation
