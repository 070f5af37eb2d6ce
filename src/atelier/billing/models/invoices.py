"""Invoices, deposit invoices and credit notes, with their lines: immutable once issued."""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from atelier.billing.choices import DocumentKind, LineKind
from atelier.billing.models.base import MONEY, Immutable
from atelier.core.models import Site, User
from atelier.core.scoping import SiteScopedManager
from atelier.repairs.models import RepairCase


class Invoice(Immutable):
    """A facture, a facture d'acompte (deposit received before the work, CGI art. 289 I-1-c) or an avoir, with
    the seller's and buyer's identity copied at issue; never changed.

    The final invoice of a dossier deducts its deposit invoices with negative lines (kind « deduction », one per
    deposit and VAT rate): its totals are net of them, so a dossier's documents add up to what was sold once,
    VAT included, and `deposits_ttc` keeps what was deducted."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="invoices", verbose_name=_("site"))
    # empty only for the sale of a good outside any dossier (a second-life appliance: billing/goods.py)
    case = models.ForeignKey(
        RepairCase,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invoices",
        verbose_name=_("dossier"),
    )
    kind = models.CharField(
        _("type"), max_length=8, choices=DocumentKind.choices, default=DocumentKind.FACTURE
    )
    number = models.CharField(_("numéro"), max_length=40)
    issued_at = models.DateTimeField(_("émise le"))
    credited = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="credit_notes",
        verbose_name=_("facture corrigée"),
    )
    reason = models.TextField(_("motif de l'avoir"), blank=True)
    quote = models.ForeignKey(
        "quotes.Quote",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("devis"),
    )
    seller = models.JSONField(_("vendeur (copie)"))
    buyer = models.JSONField(_("client (copie)"))
    is_business = models.BooleanField(_("client professionnel"), default=False)
    total_ht = models.DecimalField(_("total HT (€)"), **MONEY)
    total_vat = models.DecimalField(_("TVA (€)"), **MONEY)
    total_ttc = models.DecimalField(_("total TTC (€)"), **MONEY)
    bonus_amount = models.DecimalField(_("bonus réparation déduit (€)"), **MONEY, default=Decimal("0.00"))
    bonus_label = models.CharField(_("bonus réparation"), max_length=200, blank=True)
    deposits_ttc = models.DecimalField(_("acomptes déduits TTC (€)"), **MONEY, default=Decimal("0.00"))
    # third-party payers (aftersales payers): on the customer's invoice, what they pay (lines « tiers »); on a
    # payer's own B2B invoice (and its credit notes), the customer's invoice it comes from
    third_party_ttc = models.DecimalField(
        _("pris en charge par des tiers TTC (€)"), **MONEY, default=Decimal("0.00")
    )
    main_invoice = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payer_invoices",
        verbose_name=_("facture du client (pour la facture d'un tiers payeur)"),
    )
    due_on = models.DateField(_("date d'échéance"))
    mentions = models.JSONField(_("mentions légales (copie)"), default=dict)
    issued_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("par"))

    immutable_message = _("Une facture émise ne peut être ni modifiée ni supprimée : établissez un avoir.")

    site_path = "site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("facture ou avoir")
        verbose_name_plural = _("factures et avoirs")
        # the invoice list's order (newest first), per site, per site and type, and across sites: a page of 50
        # is read in index order, never by sorting every invoice
        indexes = [
            models.Index(fields=["site", "issued_at", "id"], name="billing_invoice_site_issued"),
            models.Index(fields=["site", "kind", "issued_at", "id"], name="billing_invoice_site_kind"),
            models.Index(fields=["issued_at", "id"], name="billing_invoice_issued"),
            # an invoice's credit notes in their order: SQLite's statistics, counting the NULLs of `credited` as
            # one value, otherwise walk every invoice in issued order (issue 16's benchmark)
            models.Index(fields=["credited", "issued_at", "id"], name="billing_invoice_credited"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["site", "number"], name="billing_invoice_number_unique"),
            models.CheckConstraint(condition=Q(total_ttc__gte=0), name="billing_invoice_ttc_not_negative"),
            models.CheckConstraint(
                condition=Q(deposits_ttc__gte=0), name="billing_invoice_deposits_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(third_party_ttc__gte=0), name="billing_invoice_third_party_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def net_to_pay(self) -> Decimal:
        return self.total_ttc - self.bonus_amount

    @property
    def is_credit_note(self) -> bool:
        return self.kind == DocumentKind.AVOIR

    @property
    def is_deposit(self) -> bool:
        return self.kind == DocumentKind.ACOMPTE

    @property
    def gross_ttc(self) -> Decimal:
        """Total TTC of what the invoice sells, before the deposits already invoiced and the third-party payers'
        shares are deducted."""
        return self.total_ttc + self.deposits_ttc + self.third_party_ttc

    @property
    def is_payer_invoice(self) -> bool:
        """A third-party payer's B2B invoice (or its credit note): not the customer's to pay."""
        return self.main_invoice_id is not None


class InvoiceLine(Immutable):
    invoice = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, related_name="lines", verbose_name=_("facture")
    )
    position = models.PositiveSmallIntegerField(_("rang"))
    kind = models.CharField(_("origine"), max_length=12, choices=LineKind.choices)
    designation = models.CharField(_("désignation"), max_length=200)
    quantity = models.DecimalField(_("quantité"), max_digits=7, decimal_places=2)
    unit_price_ht = models.DecimalField(_("prix unitaire HT (€)"), **MONEY)
    vat_rate = models.DecimalField(_("taux de TVA (%)"), max_digits=5, decimal_places=2)
    total_ht = models.DecimalField(_("montant HT (€)"), **MONEY)
    vat = models.DecimalField(_("TVA (€)"), **MONEY)
    is_goods = models.BooleanField(_("bien vendu"), default=False)
    deposit = models.ForeignKey(
        Invoice,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deductions",
        verbose_name=_("facture d'acompte déduite"),
    )

    immutable_message = Invoice.immutable_message

    site_path = "invoice__site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["invoice", "position"]
        verbose_name = _("ligne de facture")
        verbose_name_plural = _("lignes de facture")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind=LineKind.DEDUCTION) & Q(deposit__isnull=False))
                | (~Q(kind=LineKind.DEDUCTION) & Q(deposit__isnull=True)),
                name="billing_line_deduction_names_its_deposit",
            ),
        ]

    def __str__(self) -> str:
        return self.designation
