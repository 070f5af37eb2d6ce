"""Supplier returns: a defective new part goes back to its supplier under the supplier's warranty, with the
credit expected, the part's serials, and its states (à envoyer → envoyée → avoir reçu | refusée)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atelier.core.models import Site
from atelier.core.scoping import SiteScopedManager
from atelier.stock.choices import SupplierReturnState
from atelier.stock.models.catalogue import MONEY, Part, Supplier
from atelier.stock.models.ledger import QTY


class SupplierReturn(models.Model):
    """One return of a defective new part to its supplier. The part left the stock when it was fitted (or is
    counted as defective): the return moves no stock, it follows the credit the supplier owes."""

    site_path = "site"
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+", verbose_name=_("site"))
    supplier = models.ForeignKey(
        Supplier, on_delete=models.PROTECT, related_name="returns", verbose_name=_("fournisseur")
    )
    part = models.ForeignKey(Part, on_delete=models.PROTECT, related_name="+", verbose_name=_("pièce"))
    quantity = models.DecimalField(_("quantité"), **QTY, default=1)
    serials = models.CharField(_("n° de série de la pièce"), max_length=255)
    fault = models.TextField(_("défaut constaté"))
    case = models.ForeignKey(
        "repairs.RepairCase",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dossier où la pièce a été posée"),
    )
    expected_credit = models.DecimalField(_("avoir attendu HT (€)"), **MONEY)
    state = models.CharField(
        _("état"), max_length=12, choices=SupplierReturnState.choices, default=SupplierReturnState.A_ENVOYER
    )
    supplier_reference = models.CharField(_("n° de retour chez le fournisseur"), max_length=80, blank=True)
    credit_received = models.DecimalField(_("avoir reçu HT (€)"), **MONEY, null=True, blank=True)
    credit_reference = models.CharField(_("n° de l'avoir du fournisseur"), max_length=80, blank=True)
    refusal_reason = models.TextField(_("motif du refus"), blank=True)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("par")
    )
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    closed_at = models.DateTimeField(_("clos le"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("clos par"),
    )

    objects = SiteScopedManager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("retour fournisseur")
        verbose_name_plural = _("retours fournisseur")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="stock_return_quantity_positive"),
            models.CheckConstraint(
                condition=Q(expected_credit__gte=0), name="stock_return_credit_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(credit_received__isnull=True) | Q(credit_received__gte=0),
                name="stock_return_received_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.part.reference} → {self.supplier}"
