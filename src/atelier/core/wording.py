"""French wording of counts and measures in sentences built in Python (templates: the `frplural` and
`decimal` filters of core/templatetags/atelier.py).

French puts 0 and 1 in the singular (« 0 pièce laissée », « 1 an », « 3 ans »); ngettext falls back on the
English rule while French is the source language, so give it `plural_count(n)`:
`ngettext("%(n)s an", "%(n)s ans", plural_count(n)) % {"n": n}`. Decimals take a comma: `decimal(63.9)` → « 63,9 ».
"""

from django.utils.formats import number_format
from django.utils.translation import get_language


def plural_count(n) -> int:
    """The count to hand ngettext: French's rule (plural from 2) while French is shown, the number otherwise."""
    if (get_language() or "fr").startswith("fr"):
        return 1 if abs(n) < 2 else 2
    return n


def decimal(value, places: int = 1) -> str:
    """63.9 → '63,9'; 1234.5 → '1 234,5'; 7.0 → '7' (the active language's separators)."""
    rounded = round(float(value), places)
    return number_format(
        rounded, places if rounded != int(rounded) else 0, use_l10n=True, force_grouping=True
    )
