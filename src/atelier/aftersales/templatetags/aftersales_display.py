"""Display of the JSON kept on a claim (covers and answers store ISO dates)."""

import datetime

from django import template

register = template.Library()


@register.filter
def isodate(value):
    """« 2026-04-10 » → a date (shown dd/mm/yyyy with |date); any other text is returned as it is."""
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return value
