"""Display helpers of the customer screens."""

from django import template

register = template.Library()


@register.filter
def nowrap(value) -> str:
    """Join words with no-break spaces, so '06 12 34 56 78' never breaks across lines in a narrow column."""
    return str(value).replace(" ", "\u00a0") if value else ""
