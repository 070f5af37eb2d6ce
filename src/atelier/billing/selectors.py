"""Reads of billing: what a dossier owes, what it would be invoiced, the journal and closures, per site."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum

from atelier.billing.choices import DocumentKind, LineKind
from atelier.billing.models import ClosingRulesStart, Invoice, Offer, Payment
from atelier.core.money import LineAmounts, Totals, totals
from atelier.core.scoping import visible_or_404
from atelier.quotes.choices import LineKind as QuoteLineKind
from atelier.quotes.choices import QuoteStatus
from atelier.quotes.models import Quote

ZERO = Decimal("0.00")


def invoice_get(*, user, pk: int) -> Invoice:
    qs = Invoice.objects.select_related("case", "site", "credited", "quote")
    return visible_or_404(qs, user, pk=pk)


def invoices_for(user):
    return Invoice.objects.visible_to(user).select_related("case", "site")


def accepted_quote(case) -> Quote | None:
    """The latest accepted version of the dossier's quote (what the customer signed)."""
    return case.quotes.filter(status=QuoteStatus.ACCEPTE).order_by("-version").first()


def refused_quote_with_fee(case) -> Quote | None:
    return case.quotes.filter(status=QuoteStatus.REFUSE, diagnosis_fee_ht__gt=0).order_by("-version").first()


def quoted_parts(quote: Quote) -> dict[int, Decimal]:
    parts: dict[int, Decimal] = {}
    for line in quote.lines.filter(kind=QuoteLineKind.PIECE, part__isnull=False):
        if line.part_id is None:  # excluded by the filter; narrows the type
            continue
        parts[line.part_id] = parts.get(line.part_id, ZERO) + line.quantity
    return parts


def consumed_parts(case) -> dict[int, Decimal] | None:
    """Parts the stock recorded as used on the dossier; None while the stock app does not record them."""
    from atelier.stock import selectors as stock_selectors

    reader = getattr(stock_selectors, "consumed_on_case", None)
    if reader is None:
        return None
    return {part: Decimal(qty) for part, qty in reader(case).items() if Decimal(qty) != 0}


@dataclass
class DraftLine:
    kind: str
    designation: str
    quantity: Decimal
    unit_price_ht: Decimal
    vat_rate: Decimal
    is_goods: bool = False
    offer: Offer | None = None

    @property
    def amounts(self) -> LineAmounts:
        return LineAmounts(self.quantity, self.unit_price_ht, self.vat_rate)

    @property
    def total_ht(self) -> Decimal:
        return self.amounts.total_ht


@dataclass
class Draft:
    """What the dossier's invoice would hold now, and why it cannot be issued yet (French reasons)."""

    quote: Quote | None
    lines: list[DraftLine] = field(default_factory=list)
    bonus_amount: Decimal = ZERO
    bonus_label: str = ""
    refusals: list[str] = field(default_factory=list)
    deductions: list = field(default_factory=list)  # deposits.Deduction: deposit invoices to take back

    @property
    def totals(self) -> Totals:
        return totals(line.amounts for line in self.lines)

    @property
    def deposits_ttc(self) -> Decimal:
        return sum((d.ttc for d in self.deductions), ZERO)


def invoice_draft(case, *, check_parts: bool = True) -> Draft:
    from django.utils.translation import gettext as _

    quote = accepted_quote(case)
    draft = Draft(quote=quote)
    if quote is not None:
        for line in quote.lines.all():
            draft.lines.append(
                DraftLine(
                    LineKind.DEVIS,
                    line.designation,
                    line.quantity,
                    line.unit_price_ht,
                    line.vat_rate,
                    is_goods=line.kind == QuoteLineKind.PIECE,
                )
            )
        if quote.bonus_amount:
            draft.bonus_amount = quote.bonus_amount
            rate = quote.bonus_rate
            label = case.site.bonus_labels.order_by("-valid_from").first()
            draft.bonus_label = _("Bonus réparation QualiRépar%(cat)s%(label)s") % {
                "cat": f" ({rate.category})" if rate else "",
                "label": f", label n° {label.label_number}" if label else "",
            }
        consumed = consumed_parts(case) if check_parts else None
        quoted = quoted_parts(quote)
        if consumed is not None and consumed != quoted:
            draft.refusals.append(_parts_difference(quoted, consumed))
    elif (refused := refused_quote_with_fee(case)) is not None:
        draft.quote = refused
        draft.lines.append(
            DraftLine(
                LineKind.DEVIS,
                _("Forfait diagnostic (devis %(n)s refusé)") % {"n": refused.number},
                Decimal("1"),
                refused.diagnosis_fee_ht,
                _normal_rate(case),
            )
        )
    for offer in case.offers.filter(accepted=True, invoice__isnull=True):
        draft.lines.append(
            DraftLine(
                LineKind.COMPLEMENT,
                offer.designation,
                offer.quantity,
                offer.unit_price_ht,
                offer.vat_rate,
                is_goods=offer.is_goods,
                offer=offer,
            )
        )
    if not draft.lines:
        draft.refusals.append(_("rien à facturer : aucun devis accepté ni vente complémentaire acceptée"))
    from atelier.billing.deposits import deposit_deductions

    draft.deductions = deposit_deductions(case)
    return draft


def _normal_rate(case) -> Decimal:
    from django.utils import timezone

    from atelier.core.choices import VatKind
    from atelier.core.models import VatRate

    return VatRate.in_force(VatKind.NORMAL, timezone.localdate())


def _parts_difference(quoted: dict, consumed: dict) -> str:
    from django.utils.translation import gettext as _

    from atelier.stock.models import Part

    names = dict(Part.objects.filter(pk__in=set(quoted) | set(consumed)).values_list("pk", "reference"))
    gaps = []
    for part_id in sorted(set(quoted) | set(consumed)):
        q, c = quoted.get(part_id, ZERO), consumed.get(part_id, ZERO)
        if q != c:
            gaps.append(
                _("%(ref)s : %(q)s au devis, %(c)s utilisée(s)")
                % {"ref": names.get(part_id, part_id), "q": _qty(q), "c": _qty(c)}
            )
    return _(
        "les pièces utilisées diffèrent du devis signé (%(gaps)s) : faites accepter une nouvelle version du "
        "devis par le client avant de facturer"
    ) % {"gaps": ", ".join(gaps)}


def _qty(value: Decimal) -> str:
    return f"{value.normalize():f}".replace(".", ",")


def current_invoice(case) -> Invoice | None:
    """The dossier's (final) invoice; deposit invoices and credit notes are not it."""
    return customer_documents(case).filter(kind=DocumentKind.FACTURE).order_by("-issued_at", "-pk").first()


def customer_documents(case):
    """The dossier's invoices, deposit invoices and credit notes addressed to its customer: not the B2B
    invoices of third-party payers (aftersales payers) nor their credit notes."""
    return case.invoices.filter(main_invoice__isnull=True)


def credited_total(invoice: Invoice) -> Decimal:
    return invoice.credit_notes.aggregate(s=Sum("total_ttc"))["s"] or ZERO


def invoice_remaining(invoice: Invoice) -> Decimal:
    """What a credit note may still take back: the invoice's TTC less the credit notes already issued."""
    return invoice.total_ttc - credited_total(invoice)


def paid_total(case) -> Decimal:
    return Payment.objects.filter(case=case).aggregate(s=Sum("amount"))["s"] or ZERO


def amount_owed(case) -> Decimal:
    """Invoiced net to pay (after bonus) less credit notes net of the bonus they take back: what the customer
    owes in all. Deposit invoices count once: the final invoice is net of them, and the deposits paid are
    payments like the others. A credit note gives the customer back its amount less the bonus it reverses
    (that part was never paid by the customer, the eco-organism's claim is withdrawn instead)."""
    owed = ZERO
    for invoice in customer_documents(case):
        owed += -invoice.net_to_pay if invoice.is_credit_note else invoice.net_to_pay
    return owed


def bonus_reversed_by(invoice: Invoice, amount: Decimal) -> Decimal:
    """What a new credit note of `amount` TTC on `invoice` takes back of its repair bonus: the bonus is kept
    as long as the price left (the invoice's total after all its credit notes) supports it; the reversal is
    max(0, bonus − price left), cumulated over the successive credit notes (each takes the increase)."""
    if not invoice.bonus_amount:
        return ZERO
    notes = list(invoice.credit_notes.all())
    left = invoice.total_ttc - sum((n.total_ttc for n in notes), ZERO) - amount
    already = sum((n.bonus_amount for n in notes), ZERO)
    return max(max(invoice.bonus_amount - left, ZERO) - already, ZERO)


def bonus_claims_to_file(user):
    """Bonus claims the shop still has to file with the eco-organism, or whose payment it awaits."""
    from atelier.billing.models import BonusClaim, BonusClaimState

    return (
        BonusClaim.objects.visible_to(user)
        .filter(state__in=(BonusClaimState.A_DEPOSER, BonusClaimState.DEPOSEE))
        .select_related("invoice", "invoice__site", "invoice__case")
        .order_by("created_at", "pk")
    )


def bonus_claims_to_withdraw(user):
    """Bonus claims a credit note took back, to withdraw from the eco-organism (or to pay back)."""
    from atelier.billing.models import BonusClaim, BonusClaimState

    return (
        BonusClaim.objects.visible_to(user)
        .filter(state=BonusClaimState.A_RETIRER)
        .select_related("invoice", "invoice__site", "invoice__case")
        .order_by("reversed_at", "pk")
    )


def balance_due(case) -> Decimal:
    return amount_owed(case) - paid_total(case)


def rules_apply(case) -> bool:
    """The closing checks apply to every dossier, except those opened before the day a site that came from
    another system started billing in Atelier (ClosingRulesStart): those were invoiced over there."""
    from django.utils import timezone

    start = ClosingRulesStart.objects.filter(site_id=case.site_id).first()
    return start is None or timezone.localdate(case.received_at) >= start.since


def quote_operations(quote: Quote | None) -> tuple[bool, bool]:
    """(goods, services) of a quote's work: its parts are goods, the rest services (services when no quote)."""
    kinds = list(quote.lines.values_list("kind", flat=True)) if quote is not None else []
    return QuoteLineKind.PIECE in kinds, any(k != QuoteLineKind.PIECE for k in kinds) or not kinds


def operations_of(invoice: Invoice) -> tuple[bool, bool]:
    """(goods, services): what the document invoices. A final invoice says it line by line; a deposit invoice
    is for the accepted quote's work (parts are goods); a credit note takes back what its invoice sold."""
    if invoice.is_credit_note and invoice.credited_id and invoice.credited is not None:
        return operations_of(invoice.credited)
    if invoice.is_deposit:
        return quote_operations(invoice.quote)
    sold = [line for line in invoice.lines.all() if line.kind not in (LineKind.DEDUCTION, LineKind.TIERS)]
    goods = any(line.is_goods for line in sold)
    return goods, any(not line.is_goods for line in sold) or not goods
