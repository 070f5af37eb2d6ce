"""Money and VAT arithmetic: Decimal only, rounding to the cent made explicit (ROUND_HALF_UP, French usage).

VAT is computed on each line and rounded there; a rate's VAT is the sum of its lines' VAT, so a document's
lines, its VAT breakdown and its totals always add up to the cent. Floats are refused at the door.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from atelier.core.errors import AtelierError

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


def parse_amount(value, *, field: str = "amount", zero_allowed: bool = False) -> Decimal:
    """An amount typed by a user (form, API, import): comma or point, spaces allowed, two decimals at most,
    above zero (or zero, for a deposit or fee that may be nil); an AtelierError in French otherwise."""
    try:
        amount = Decimal(
            str(value).replace(",", ".").replace(" ", "").replace("\u202f", "").replace("\u00a0", "")
        )
    except (InvalidOperation, ValueError):
        raise AtelierError(_("Montant illisible : %(v)s") % {"v": value}, field=field) from None
    if not amount.is_finite() or amount != amount.quantize(CENT):
        raise AtelierError(_("Un montant s'écrit en euros et centimes (ex. 12,50)."), field=field)
    if amount < 0 or (amount == 0 and not zero_allowed):
        raise AtelierError(
            _("Le montant ne peut pas être négatif.")
            if zero_allowed
            else _("Le montant doit être supérieur à zéro."),
            field=field,
        )
    if amount >= Decimal("10000000"):
        raise AtelierError(_("Montant trop élevé."), field=field)
    return amount.quantize(CENT)


def fr_amount(value, *, grouped: bool = False) -> str:
    """12.5 → '12,50' (grouped: 1234.5 → '1 234,50', no-break space): an amount in a French sentence; the
    `euros` template filter is its twin in templates."""
    text = f"{to_decimal(value):,.2f}" if grouped else f"{to_decimal(value):.2f}"
    return text.replace(",", "\u00a0").replace(".", ",")


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
