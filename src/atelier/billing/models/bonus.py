"""The repair bonus (« bonus réparation », QualiRépar) claimed from the eco-organism for an invoice that
deducted it from the customer's price, and what a credit note takes back of it."""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from atelier.billing.models.base import MONEY
from atelier.billing.models.invoices import Invoice
from atelier.core.models import User
from atelier.core.scoping import SiteScopedManager


class BonusClaimState(models.TextChoices):
    A_DEPOSER = "a_deposer", _("À déposer")
    DEPOSEE = "deposee", _("Déposée")
    PAYEE = "payee", _("Payée")
    A_RETIRER = "a_retirer", _("À retirer")
    RETIREE = "retiree", _("Retirée")


class BonusClaim(models.Model):
    """The shop's claim of one invoice's repair bonus from the eco-organism (one per invoice carrying a bonus).

    Created with the invoice, in its transaction. A credit note that takes the bonus back (the customer's new
    price no longer supports it) adds to `reversed_amount`: a claim not yet filed is reduced (what is left to
    file is `amount − reversed_amount`), a claim filed or paid is flagged « à retirer » until the shop has
    withdrawn it (or paid back the eco-organism). A workflow record: its state changes, unlike the invoice."""

    invoice = models.OneToOneField(
        Invoice, on_delete=models.PROTECT, related_name="bonus_claim", verbose_name=_("facture")
    )
    amount = models.DecimalField(_("bonus demandé (€)"), **MONEY)
    reversed_amount = models.DecimalField(_("bonus repris par avoir (€)"), **MONEY, default=Decimal("0.00"))
    state = models.CharField(
        _("état"), max_length=10, choices=BonusClaimState.choices, default=BonusClaimState.A_DEPOSER
    )
    label = models.CharField(_("éco-organisme et label"), max_length=200)
    created_at = models.DateTimeField(_("créée le"))
    filed_at = models.DateTimeField(_("déposée le"), null=True, blank=True)
    paid_at = models.DateTimeField(_("payée le"), null=True, blank=True)
    reversed_at = models.DateTimeField(_("reprise le"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("retirée le"), null=True, blank=True)
    updated_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("par")
    )

    site_path = "invoice__site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("demande de bonus réparation")
        verbose_name_plural = _("demandes de bonus réparation")
        # the accountant's page lists the claims still open (to file, awaited, to withdraw): by their state,
        # not by reading every claim ever made
        indexes = [models.Index(fields=["state", "created_at", "id"], name="billing_bonusclaim_state")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="billing_bonusclaim_amount_positive"),
            models.CheckConstraint(
                condition=Q(reversed_amount__gte=0) & Q(reversed_amount__lte=models.F("amount")),
                name="billing_bonusclaim_reversed_within_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.invoice} · {self.amount} € · {self.get_state_display()}"

    @property
    def to_claim(self) -> Decimal:
        """What the eco-organism owes for this invoice once the reversals are taken into account."""
        return self.amount - self.reversed_amount
