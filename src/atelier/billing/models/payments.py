"""Money received or given back on a dossier, payment anomalies and accepted unpaid balances."""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atelier.billing.choices import AnomalyKind, PaymentKind, PaymentMethod
from atelier.billing.models.base import MONEY, Immutable
from atelier.billing.models.invoices import Invoice
from atelier.core.models import Site, User
from atelier.core.scoping import SiteScopedManager
from atelier.repairs.models import RepairCase


class Payment(Immutable):
    """Money received for a dossier (deposit or payment), by one method; a mixed payment is several rows.

    A refund to the customer (after a credit note) is a row of its own with a negative amount, so every sum of
    payments (paid on a dossier, cash taken in a closure) is net of what was given back."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="payments", verbose_name=_("site"))
    case = models.ForeignKey(
        RepairCase, on_delete=models.PROTECT, related_name="payments", verbose_name=_("dossier")
    )
    invoice = models.ForeignKey(
        Invoice,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments",
        verbose_name=_("facture"),
    )
    kind = models.CharField(_("nature"), max_length=16, choices=PaymentKind.choices)
    method = models.CharField(_("moyen"), max_length=10, choices=PaymentMethod.choices)
    amount = models.DecimalField(_("montant (€)"), **MONEY)
    tendered = models.DecimalField(_("espèces remises (€)"), **MONEY, null=True, blank=True)
    change_given = models.DecimalField(_("monnaie rendue (€)"), **MONEY, default=Decimal("0.00"))
    reference = models.CharField(_("référence"), max_length=80, blank=True)
    payer_resident = models.BooleanField(_("domicile fiscal en France"), default=True)
    for_business = models.BooleanField(_("paiement professionnel"), default=False)
    at = models.DateTimeField(_("reçu le"))
    received_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("par"))

    immutable_message = _("Un paiement enregistré ne se modifie pas : enregistrez une anomalie ou un avoir.")

    site_path = "site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("paiement")
        verbose_name_plural = _("paiements")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind=PaymentKind.REMBOURSEMENT) & Q(amount__lt=0))
                | (~Q(kind=PaymentKind.REMBOURSEMENT) & Q(amount__gt=0)),
                name="billing_payment_sign_by_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.amount} €"


class PaymentAnomaly(models.Model):
    case = models.ForeignKey(
        RepairCase, on_delete=models.PROTECT, related_name="payment_anomalies", verbose_name=_("dossier")
    )
    kind = models.CharField(_("anomalie"), max_length=16, choices=AnomalyKind.choices)
    method = models.CharField(_("moyen"), max_length=10, choices=PaymentMethod.choices, blank=True)
    amount = models.DecimalField(_("montant (€)"), **MONEY, null=True, blank=True)
    note = models.TextField(_("précisions"), blank=True)
    at = models.DateTimeField(_("le"), default=timezone.now)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("par"))

    site_path = "case__site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["-at"]
        verbose_name = _("anomalie de paiement")
        verbose_name_plural = _("anomalies de paiement")

    def __str__(self) -> str:
        return self.get_kind_display()


class UnpaidBalance(Immutable):
    """An unpaid balance accepted at closing: why, and who follows it up.

    Append-only: recording the dossier's balance again (another amount, another person, the balance settled)
    writes a new row; the dossier's current record is its latest (`ordering`)."""

    case = models.ForeignKey(
        RepairCase, on_delete=models.PROTECT, related_name="unpaid_balances", verbose_name=_("dossier")
    )
    amount = models.DecimalField(_("reste dû (€)"), **MONEY)
    reason = models.TextField(_("motif"))
    assigned_to = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="unpaid_balances", verbose_name=_("suivi par")
    )
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("par"))
    at = models.DateTimeField(_("le"), default=timezone.now)

    immutable_message = _(
        "Un reste dû enregistré ne se modifie ni ne se supprime : enregistrez-en un nouveau sur le dossier."
    )

    site_path = "case__site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("reste dû")
        verbose_name_plural = _("restes dus")

    def __str__(self) -> str:
        return f"{self.case} : {self.amount} €"
