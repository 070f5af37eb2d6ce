"""Third-party payers on an invoice: who pays which part of which line (a manufacturer, an insurer, the shop's
goodwill), as the invoice services read it.

Billing does not know what a payer is: the after-sales app registers a provider (`PROVIDERS`, filled in its
`apps.ready()`), which turns a dossier's split into `PayerPart`s, one per payer and invoice line, and is told
which B2B invoices were issued. `invoice_issue` (services.py) then
- keeps the customer's invoice whole (every line at its full price) and takes each payer's share back with a
  negative line « tiers » per payer and VAT rate, so the customer's totals are what the customer owes;
- issues each invoiced payer its own B2B invoice, in the same sequence, journal and Factur-X path.
A share is cut from the line's TTC: its HT is the line's HT pro rata, rounded half up to the cent, its VAT the
rest of the share (so HT + VAT is exactly the share, and the customer's part takes what remains of both).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

from atelier.core.money import CENT

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class PayerPart:
    """One payer's share of one line of the dossier's invoice."""

    payer_key: int  # the provider's payer id
    label: str  # « Whirlpool France (garantie fabricant) »: how the customer's invoice names it
    buyer: dict  # identity copied on the payer's B2B invoice; empty for the shop's goodwill
    invoiced: bool  # False: the shop's own goodwill, a reduction of the customer's invoice, no invoice
    position: int  # the line's rank in the invoice draft, from 1
    designation: str
    is_goods: bool
    kind: str  # the line's kind (devis, complement)
    vat_rate: Decimal
    ttc: Decimal
    ht: Decimal
    vat: Decimal


def share_amounts(*, line_ht: Decimal, line_vat: Decimal, share_ttc: Decimal) -> tuple[Decimal, Decimal]:
    """(HT, VAT) of a share of a line's TTC: HT pro rata of the line's HT, rounded half up to the cent; VAT the
    rest, so both add up to the share exactly. A whole line gives the line's own HT and VAT."""
    line_ttc = line_ht + line_vat
    if share_ttc == line_ttc:
        return line_ht, line_vat
    if not line_ttc:
        return ZERO, ZERO
    ht = (line_ht * share_ttc / line_ttc).quantize(CENT, rounding=ROUND_HALF_UP)
    return ht, share_ttc - ht


class Provider(Protocol):
    def parts(self, case, lines: list) -> list[PayerPart]: ...

    def issued(self, *, case, invoice, payer_invoices: dict, actor) -> None: ...


PROVIDERS: list[Provider] = []


def parts_for(case, lines: list) -> list[PayerPart]:
    """Every payer's share of the draft's lines (none when no provider knows the dossier)."""
    found: list[PayerPart] = []
    for provider in PROVIDERS:
        found.extend(provider.parts(case, lines))
    return found


def tell_issued(*, case, invoice, payer_invoices: dict, actor) -> None:
    for provider in PROVIDERS:
        provider.issued(case=case, invoice=invoice, payer_invoices=payer_invoices, actor=actor)


def by_payer(parts: list[PayerPart]) -> dict[int, list[PayerPart]]:
    """Parts grouped per payer, payers in the order they first appear, lines in order."""
    grouped: dict[int, list[PayerPart]] = {}
    for part in sorted(parts, key=lambda p: p.position):
        grouped.setdefault(part.payer_key, []).append(part)
    return grouped


def by_rate(parts: list[PayerPart]) -> list[tuple[Decimal, Decimal, Decimal]]:
    """(rate, HT, VAT) of a payer's parts, per VAT rate, by rate."""
    rows: dict[Decimal, list[Decimal]] = {}
    for part in parts:
        ht, vat = rows.get(part.vat_rate, [ZERO, ZERO])
        rows[part.vat_rate] = [ht + part.ht, vat + part.vat]
    return [(rate, ht, vat) for rate, (ht, vat) in sorted(rows.items())]
