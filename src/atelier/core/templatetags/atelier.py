"""Template filters for French display of money and phone numbers (built in to every template)."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import number_format

from atelier.core.permissions import may_open as _may_open
from atelier.core.validators import format_phone

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
def has_role(user, role: str) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_role(role))


@register.filter
def may_open(user, menu: str) -> bool:
    """`user|may_open:"stock"`: the main menu's entries by role (core.permissions.MENU_ROLES)."""
    return _may_open(user, menu)
