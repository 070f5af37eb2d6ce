"""Inventory counts of a site or one location, and their counted lines."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atelier.core.models import Site
from atelier.core.scoping import SiteScopedManager
from atelier.stock.choices import InventoryStatus
from atelier.stock.models.catalogue import Part
from atelier.stock.models.ledger import QTY, StockLocation


class InventoryCount(models.Model):
    site_path = "site"
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+", verbose_name=_("site"))
    location = models.ForeignKey(
        StockLocation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("emplacement"),
        help_text=_("Vide : tout le site."),
    )
    status = models.CharField(
        _("statut"), max_length=10, choices=InventoryStatus.choices, default=InventoryStatus.EN_COURS
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("ouvert par")
    )
    created_at = models.DateTimeField(_("ouvert le"), default=timezone.now)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("validé par"),
    )
    validated_at = models.DateTimeField(_("validé le"), null=True, blank=True)

    objects = SiteScopedManager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("inventaire")
        verbose_name_plural = _("inventaires")

    def __str__(self) -> str:
        return f"Inventaire {self.pk} ({self.site.code})"


class InventoryLine(models.Model):
    site_path = "count__site"
    count = models.ForeignKey(
        InventoryCount, on_delete=models.CASCADE, related_name="lines", verbose_name=_("inventaire")
    )
    part = models.ForeignKey(Part, on_delete=models.PROTECT, related_name="+", verbose_name=_("pièce"))
    location = models.ForeignKey(
        StockLocation, on_delete=models.PROTECT, related_name="+", verbose_name=_("emplacement")
    )
    expected = models.DecimalField(_("attendu"), **QTY)
    counted = models.DecimalField(_("compté"), **QTY, null=True, blank=True)

    objects = SiteScopedManager()

    class Meta:
        ordering = ["location", "part__reference"]
        constraints = [
            models.UniqueConstraint(fields=["count", "part", "location"], name="stock_inventoryline_unique"),
            models.CheckConstraint(
                condition=models.Q(counted__gte=0) | models.Q(counted__isnull=True),
                name="stock_inventory_counted_ok",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.part.reference} @ {self.location.code}"

    @property
    def difference(self):
        return None if self.counted is None else self.counted - self.expected
