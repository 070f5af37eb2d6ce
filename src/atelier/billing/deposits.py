"""Deposit invoices (factures d'acompte): how a deposit splits into HT and VAT, and what the final invoice of
the dossier deducts. Reads and arithmetic only; the writes are in services (payment_take, invoice_issue).

A deposit received before a service is done makes its VAT due at once (CGI art. 269-2-c) and must be
invoiced (CGI art. 289 I-1-c). Its amount TTC is split at the VAT rates of the accepted quote, pro rata of the
quote's TTC per rate (largest remainder to the cent, so the parts add up exactly), or at the standard rate in
force when no quote is accepted yet. The final invoice takes each deposit invoice back, rate by rate, less the
credit notes issued on it, so its VAT is net of the VAT already invoiced.
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from atelier.billing.choices import DocumentKind, LineKind
from atelier.billing.models import Invoice
from atelier.core.money import CENT, HUNDRED

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class RatePart:
    """The share of an amount TTC at one VAT rate, split into HT and VAT (HT rounded, VAT = TTC − HT)."""

    rate: Decimal
    ht: Decimal
    vat: Decimal

    @property
    def ttc(self) -> Decimal:
        return self.ht + self.vat


def _ht_of(ttc: Decimal, rate: Decimal) -> Decimal:
    return (ttc * HUNDRED / (HUNDRED + rate)).quantize(CENT, rounding=ROUND_HALF_UP)


def split_ttc(amount: Decimal, weights: Mapping[Decimal, Decimal]) -> list[RatePart]:
    """Split `amount` TTC over VAT rates pro rata of `weights` (TTC per rate), to the cent, exactly.

    Each share is first rounded down; the cents left go to the largest remainders (then the largest weights),
    so the shares are never negative and always add up to `amount`. Zero shares are left out.
    """
    positive = {Decimal(rate): Decimal(w) for rate, w in weights.items() if Decimal(w) > 0}
    total = sum(positive.values(), ZERO)
    if not positive or total <= 0:
        raise ValueError("split_ttc needs at least one positive weight")
    exact = {rate: amount * w / total for rate, w in positive.items()}
    shares = {rate: value.quantize(CENT, rounding=ROUND_DOWN) for rate, value in exact.items()}
    left = int((amount - sum(shares.values(), ZERO)) / CENT)
    order = sorted(positive, key=lambda r: (exact[r] - shares[r], positive[r], r), reverse=True)
    for rate in order[:left]:
        shares[rate] += CENT
    return [
        RatePart(rate, _ht_of(ttc, rate), ttc - _ht_of(ttc, rate))
        for rate, ttc in sorted(shares.items())
        if ttc
    ]


def quote_weights(quote) -> dict[Decimal, Decimal]:
    """The accepted quote's TTC per VAT rate (its lines' HT + VAT)."""
    weights: dict[Decimal, Decimal] = {}
    for line in quote.lines.all():
        weights[line.vat_rate] = weights.get(line.vat_rate, ZERO) + line.total_ht + line.vat
    return weights


def deposit_parts(*, amount: Decimal, quote, on: datetime.date) -> list[RatePart]:
    """How a deposit of `amount` TTC splits: at the accepted quote's rates, else at the standard rate in force."""
    weights = quote_weights(quote) if quote is not None else {}
    if not any(w > 0 for w in weights.values()):
        from atelier.core.choices import VatKind
        from atelier.core.models import VatRate

        weights = {VatRate.in_force(VatKind.NORMAL, on): Decimal("1")}
    return split_ttc(amount, weights)


@dataclass(frozen=True)
class Deduction:
    """A deposit invoice as the final invoice takes it back: per VAT rate, less its credit notes."""

    deposit: Invoice
    parts: tuple[RatePart, ...]

    @property
    def ht(self) -> Decimal:
        return sum((p.ht for p in self.parts), ZERO)

    @property
    def vat(self) -> Decimal:
        return sum((p.vat for p in self.parts), ZERO)

    @property
    def ttc(self) -> Decimal:
        return self.ht + self.vat


def _per_rate(lines, sign: int, into: dict[Decimal, list[Decimal]]) -> None:
    for line in lines:
        ht, vat = into.setdefault(line.vat_rate, [ZERO, ZERO])
        into[line.vat_rate] = [ht + sign * line.total_ht, vat + sign * line.vat]


def remaining_parts(invoice: Invoice) -> tuple[RatePart, ...]:
    """What stands of an invoice or a deposit invoice per VAT rate: its lines (a final invoice's deduction
    lines included, so net of its deposits) less the lines of its credit notes."""
    rates: dict[Decimal, list[Decimal]] = {}
    _per_rate(invoice.lines.all(), 1, rates)
    for note in invoice.credit_notes.all():
        _per_rate(note.lines.all(), -1, rates)
    return tuple(RatePart(rate, ht, vat) for rate, (ht, vat) in sorted(rates.items()) if ht or vat)


def credit_parts(invoice: Invoice, amount: Decimal) -> list[RatePart]:
    """A credit note on an invoice (final or deposit), per VAT rate: all that stands when it takes all (each
    rate's base and VAT reversed to the cent), else pro rata of what stands per rate, the parts adding up to
    `amount` exactly (never more than stands at a rate)."""
    standing = remaining_parts(invoice)
    if amount == sum((p.ttc for p in standing), ZERO):
        return list(standing)
    return split_ttc(amount, {p.rate: p.ttc for p in standing})


def deposit_deductions(case) -> list[Deduction]:
    """Every deposit invoice of the dossier still standing (not wholly credited), oldest first."""
    deposits = (
        case.invoices.filter(kind=DocumentKind.ACOMPTE)
        .order_by("issued_at", "pk")
        .prefetch_related("lines", "credit_notes__lines")
    )
    out = []
    for deposit in deposits:
        parts = remaining_parts(deposit)
        if parts:
            out.append(Deduction(deposit, parts))
    return out


def deducted_on(deposit: Invoice) -> Invoice | None:
    """The final invoice, still standing (not wholly credited), that deducts this deposit invoice."""
    from atelier.billing.selectors import invoice_remaining

    finals = Invoice.objects.filter(
        kind=DocumentKind.FACTURE, lines__kind=LineKind.DEDUCTION, lines__deposit=deposit
    ).distinct()
    for final in finals.order_by("-issued_at", "-pk"):
        if invoice_remaining(final) > 0:
            return final
    return None


def deductions_of(invoice: Invoice) -> list[Deduction]:
    """The deduction block of an issued final invoice, read back from its lines (one entry per deposit)."""
    grouped: dict[int, tuple[Invoice, list[RatePart]]] = {}
    lines = invoice.lines.filter(kind=LineKind.DEDUCTION).select_related("deposit").order_by("position")
    for line in lines:
        deposit, parts = grouped.setdefault(line.deposit_id, (line.deposit, []))
        parts.append(RatePart(line.vat_rate, -line.total_ht, -line.vat))
    return [Deduction(deposit, tuple(parts)) for deposit, parts in grouped.values()]
