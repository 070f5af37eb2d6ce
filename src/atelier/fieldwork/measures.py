"""Reading a measurement typed on the tablet (« 0,12 Ω », « 250 MΩ », « 480 µA ») into its stored unit.

Refused, in French: no number, a negative value, no unit, a unit unknown or of the wrong quantity (mA for a
resistance), a value outside what the instrument can show.
"""

import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from atelier.core.errors import AtelierError
from atelier.fieldwork.choices import MEASURE_UNIT, Measure

# Multipliers to the base unit (Ω or A); typed spellings are first brought to these (see _normalise).
RESISTANCE_UNITS = {
    "mΩ": Decimal("0.001"),
    "Ω": Decimal(1),
    "kΩ": Decimal(1000),
    "MΩ": Decimal(1_000_000),
    "GΩ": Decimal(1_000_000_000),
}
CURRENT_UNITS = {"µA": Decimal("0.000001"), "mA": Decimal("0.001"), "A": Decimal(1)}
STORED = {"Ω": Decimal(1), "MΩ": Decimal(1_000_000), "mA": Decimal("0.001")}
# The most an instrument shows for each measure, in the stored unit: beyond it the figure is a typing error.
PLAUSIBLE_MAX = {
    Measure.PE_RESISTANCE: Decimal(1000),
    Measure.INSULATION: Decimal(1_000_000),
    Measure.PE_CURRENT: Decimal(1000),
    Measure.TOUCH_CURRENT: Decimal(1000),
}
_PATTERN = re.compile(r"^\s*([<>]?)\s*(-?[0-9]+(?:[.,][0-9]+)?)\s*([^\s0-9]*)\s*$")


def _units_for(measure: str) -> dict[str, Decimal]:
    return CURRENT_UNITS if MEASURE_UNIT[measure] == "mA" else RESISTANCE_UNITS


def _normalise(unit: str) -> str:
    """« ohm », « kohm », « uA », « MA »… to the symbols above; « mΩ » and « MΩ » keep their case."""
    for spelling in ("Ohms", "ohms", "Ohm", "ohm", "ω"):
        unit = unit.replace(spelling, "Ω")
    unit = unit.replace("μ", "µ").replace("u", "µ").replace("U", "µ")
    if unit[:1] == "K":
        unit = "k" + unit[1:]
    if unit.lower() in ("a", "ma", "µa"):
        unit = unit[:-1].lower() + "A" if len(unit) > 1 else "A"
    return unit


def parse_measure(text: str, measure: str) -> Decimal:
    """The value in the measure's stored unit (Ω, MΩ or mA); AtelierError with a French message if wrong."""
    label = Measure(measure).label
    raw = (text or "").strip()
    if not raw:
        raise AtelierError(_("Saisissez la mesure « %(m)s ».") % {"m": label}, field=measure)
    match = _PATTERN.match(raw)
    if not match:
        raise AtelierError(
            _("« %(raw)s » n'est pas une mesure lisible pour « %(m)s » (ex. %(ex)s).")
            % {"raw": raw, "m": label, "ex": _example(measure)},
            field=measure,
        )
    _sign, number, unit = match.groups()
    try:
        value = Decimal(number.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern only lets numbers through
        raise AtelierError(_("« %(raw)s » n'est pas un nombre.") % {"raw": raw}, field=measure) from None
    if value < 0:
        raise AtelierError(
            _("« %(m)s » ne peut pas être négative (%(raw)s).") % {"m": label, "raw": raw}, field=measure
        )
    if not unit:
        raise AtelierError(
            _("Précisez l'unité de « %(m)s » (ex. %(ex)s).") % {"m": label, "ex": _example(measure)},
            field=measure,
        )
    units = _units_for(measure)
    factor = units.get(_normalise(unit))
    if factor is None:
        other = RESISTANCE_UNITS if units is CURRENT_UNITS else CURRENT_UNITS
        if _normalise(unit) in other:
            kind = _("un courant") if units is CURRENT_UNITS else _("une résistance")
            raise AtelierError(
                _("« %(unit)s » n'est pas une unité pour « %(m)s », qui est %(kind)s (ex. %(ex)s).")
                % {"unit": unit, "m": label, "kind": kind, "ex": _example(measure)},
                field=measure,
            )
        raise AtelierError(
            _("Unité « %(unit)s » inconnue pour « %(m)s » : utilisez %(units)s.")
            % {"unit": unit, "m": label, "units": ", ".join(units)},
            field=measure,
        )
    stored = Decimal(format((value * factor / STORED[MEASURE_UNIT[measure]]).normalize(), "f"))
    if stored > PLAUSIBLE_MAX[measure]:
        raise AtelierError(
            _(
                "%(raw)s est hors de la plage plausible pour « %(m)s » (au plus %(max)s %(unit)s) : vérifiez la "
                "saisie."
            )
            % {"raw": raw, "m": label, "max": PLAUSIBLE_MAX[measure], "unit": MEASURE_UNIT[measure]},
            field=measure,
        )
    return stored


def _example(measure: str) -> str:
    return {
        Measure.PE_RESISTANCE: "0,12 Ω",
        Measure.INSULATION: "250 MΩ",
        Measure.PE_CURRENT: "0,8 mA",
        Measure.TOUCH_CURRENT: "120 µA",
    }[measure]
