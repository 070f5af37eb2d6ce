"""Supplier orders and their lines (received into a location by the purchasing services)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atelier.core.models import Site
from atelier.core.scoping import SiteScopedManager
from atelier.stock.choices import SupplierOrderStatus
from atelier.stock.models.catalogue import MONEY, Part, Supplier
from atelier.stock.models.ledger import QTY


class SupplierOrder(models.Model):
    site_path = "site"
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+", verbose_name=_("site"))
    supplier = models.ForeignKey(
        Supplier, on_delete=models.PROTECT, related_name="orders", verbose_name=_("fournisseur")
    )
    number = models.CharField(_("n° de commande"), max_length=40)
    status = models.CharField(
        _("statut"), max_length=10, choices=SupplierOrderStatus.choices, default=SupplierOrderStatus.COMMANDEE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("par")
    )
    created_at = models.DateTimeField(_("passée le"), default=timezone.now)
    note = models.TextField(_("remarque"), blank=True)

    objects = SiteScopedManager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("commande fournisseur")
        verbose_name_plural = _("commandes fournisseur")

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        """Ordered, not (fully) received: lines can still be received or the order cancelled."""
        return self.status in (SupplierOrderStatus.COMMANDEE, SupplierOrderStatus.PARTIELLE)


class SupplierOrderLine(models.Model):
    site_path = "order__site"
    order = models.ForeignKey(
        SupplierOrder, on_delete=models.CASCADE, related_name="lines", verbose_name=_("commande")
    )
    part = models.ForeignKey(Part, on_delete=models.PROTECT, related_name="+", verbose_name=_("pièce"))
    quantity = models.DecimalField(_("quantité commandée"), **QTY)
    received = models.DecimalField(_("quantité reçue"), **QTY, default=0)
    unit_price_ht = models.DecimalField(_("prix unitaire HT (€)"), **MONEY, default=0)
    repair_order = models.ForeignKey(
        "quotes.RepairOrder",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pour l'ordre de réparation"),
    )

    objects = SiteScopedManager()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("ligne de commande fournisseur")
        verbose_name_plural = _("lignes de commande fournisseur")
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="stock_orderline_positive"),
            models.CheckConstraint(
                condition=models.Q(received__gte=0, received__lte=models.F("quantity")),
                name="stock_orderline_received_ok",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.part.reference}"

    @property
    def outstanding(self):
        return self.quantity - self.received
