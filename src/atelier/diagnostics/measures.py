"""Measurement values: parsing, units that can be compared, and the conformity verdict."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from atelier.core.errors import AtelierError
from atelier.knowledge.choices import NON_NEGATIVE_UNITS, CheckUnit

# Units of one quantity, with their factor to the base unit: a resistance read in kΩ is compared with an
# expected range in Ω. Units outside a group only compare with themselves.
FACTORS = {
    "ohm": ("ohm", Decimal(1)),
    "kohm": ("ohm", Decimal(1000)),
    "mohm": ("ohm", Decimal(1_000_000)),
    "V": ("V", Decimal(1)),
    "mV": ("V", Decimal("0.001")),
}
LIMIT = Decimal("1e9")  # above the model's 12 digits (3 decimals): a typing error, not a measure


def parse_value(raw, *, field: str, label: str, places: str = "0.001") -> Decimal | None:
    """A decimal typed the French way (« 24,5 ») or None when blank; anything else is refused in French."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, float):
        raw = str(raw)
    try:
        value = Decimal(str(raw).strip().replace(" ", "").replace(",", "."))
    except InvalidOperation:
        raise AtelierError(
            _("%(label)s : « %(raw)s » n'est pas un nombre.") % {"label": label, "raw": raw}, field=field
        ) from None
    if not value.is_finite() or abs(value) >= LIMIT:
        raise AtelierError(_("%(label)s : valeur invraisemblable.") % {"label": label}, field=field)
    return value.quantize(Decimal(places))


def same_quantity(a: str, b: str) -> bool:
    return a == b or (a in FACTORS and b in FACTORS and FACTORS[a][0] == FACTORS[b][0])


def convert(value: Decimal | None, *, from_unit: str, to_unit: str) -> Decimal | None:
    if value is None or from_unit == to_unit:
        return value
    return (value * FACTORS[from_unit][1] / FACTORS[to_unit][1]).quantize(Decimal("0.001"))


def check_value(value: Decimal, unit: str) -> None:
    if unit not in CheckUnit.values:
        raise AtelierError(_("Unité inconnue : « %(unit)s ».") % {"unit": unit}, field="unit")
    if unit in NON_NEGATIVE_UNITS and value < 0:
        raise AtelierError(
            _("Une valeur en %(unit)s ne peut pas être négative : vérifiez la mesure.")
            % {"unit": CheckUnit(unit).label},
            field="value",
        )


def verdict(value: Decimal, low: Decimal | None, high: Decimal | None) -> bool | None:
    """True when within the expected range (bounds included), False outside, None without a range."""
    if low is None and high is None:
        return None
    return (low is None or value >= low) and (high is None or value <= high)
