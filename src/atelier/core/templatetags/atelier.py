"""Template filters for French display of money and phone numbers (built in to every template)."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import number_format

from atelier.core.access import may as _may
from atelier.core.menu import menu_for
from atelier.core.validators import format_phone
from atelier.core.wording import decimal as _decimal
from atelier.core.wording import plural_count

register = template.Library()


@register.filter
def euros(value) -> str:
    """1234.5 → '1 234,50 €' (no-break spaces, from Django's French number format)."""
    if value is None or value == "":
        return ""
    amount = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{number_format(amount, 2, use_l10n=True, force_grouping=True)}\u00a0€"


@register.filter
def phone(value: str) -> str:
    return format_phone(value)


@register.filter
def may(user, code: str) -> bool:
    """`user|may:"quotes.decide"`: whether the user may perform the step on one of their sites (core.access);
    a button or link is shown only then."""
    return _may(user, code)


@register.filter
def menu(user) -> list[dict]:
    """`user|menu`: the main menu's entries this user may open (core.menu.MENU)."""
    return menu_for(user)


@register.filter
def frplural(value, arg: str = "s") -> str:
    """Like `pluralize` but with French's rule: 0 and 1 singular. `{{ n|frplural }}`, `{{ n|frplural:"al,aux" }}`."""
    singular, _sep, plural = arg.rpartition(",") if "," in arg else ("", "", arg)
    try:
        many = plural_count(int(value)) > 1
    except (TypeError, ValueError):
        return ""
    return plural if many else singular


@register.filter
def decimal(value, places: int = 1) -> str:
    """63.9 → '63,9' (km, kg): `{{ route.km|decimal }}`."""
    if value is None or value == "":
        return ""
    return _decimal(value, int(places))


@register.filter
def grouped(value) -> str:
    """12345 → '12 345' for a figure people read (counts, kilometres); ids in links stay bare."""
    if value is None or value == "":
        return ""
    return number_format(value, use_l10n=True, force_grouping=True)
