"""Money and VAT arithmetic: Decimal only, rounding to the cent made explicit (ROUND_HALF_UP, French usage).

VAT is computed on each line and rounded there; a rate's VAT is the sum of its lines' VAT, so a document's
lines, its VAT breakdown and its totals always add up to the cent. Floats are refused at the door.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
HUNDRED = Decimal("100")


def to_decimal(value) -> Decimal:
    """A Decimal from a Decimal, an int or a string; a float is refused (it has already lost cents)."""
    if isinstance(value, bool) or isinstance(value, float):
        raise TypeError(f"Montant en virgule flottante refusé : {value!r}")
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int | str):
        return Decimal(value)
    raise TypeError(f"Montant de type inattendu : {type(value).__name__}")


def round_cents(value) -> Decimal:
    return to_decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def vat_of(amount_ht, rate_percent) -> Decimal:
    """VAT on an amount excluding tax at a rate in percent (20, 5.5), rounded to the cent."""
    return round_cents(to_decimal(amount_ht) * to_decimal(rate_percent) / HUNDRED)


@dataclass(frozen=True)
class LineAmounts:
    """One priced line: quantity × unit price excl. tax, rounded, and its VAT rounded on the line."""

    quantity: Decimal
    unit_price_ht: Decimal
    vat_rate: Decimal

    @property
    def total_ht(self) -> Decimal:
        return round_cents(to_decimal(self.quantity) * to_decimal(self.unit_price_ht))

    @property
    def vat(self) -> Decimal:
        return vat_of(self.total_ht, self.vat_rate)

    @property
    def total_ttc(self) -> Decimal:
        return self.total_ht + self.vat


@dataclass(frozen=True)
class VatBreakdownRow:
    rate: Decimal
    base_ht: Decimal
    vat: Decimal


@dataclass(frozen=True)
class Totals:
    total_ht: Decimal
    total_vat: Decimal
    total_ttc: Decimal
    by_rate: tuple[VatBreakdownRow, ...]


def totals(lines: Iterable[LineAmounts]) -> Totals:
    """Totals of priced lines, with the VAT per rate (sum of the lines' rounded VAT), ordered by rate."""
    bases: dict[Decimal, Decimal] = {}
    vats: dict[Decimal, Decimal] = {}
    for line in lines:
        rate = to_decimal(line.vat_rate).normalize()
        bases[rate] = bases.get(rate, Decimal("0.00")) + line.total_ht
        vats[rate] = vats.get(rate, Decimal("0.00")) + line.vat
    rows = tuple(VatBreakdownRow(rate, bases[rate], vats[rate]) for rate in sorted(bases))
    total_ht = sum((r.base_ht for r in rows), Decimal("0.00"))
    total_vat = sum((r.vat for r in rows), Decimal("0.00"))
    return Totals(total_ht, total_vat, total_ht + total_vat, rows)
