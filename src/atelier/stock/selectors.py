"""Reads of the parts catalogue."""

from django.db.models import QuerySet

from atelier.stock.choices import Availability
from atelier.stock.models import Part


def part_list(*, active_only: bool = True) -> QuerySet[Part]:
    qs = Part.objects.select_related("equivalent_of")
    return qs.filter(is_active=True) if active_only else qs


def part_alternatives(part: Part) -> list[Part]:
    """Parts that can replace this one and can be had: same base reference, other condition or supplier."""
    base = part.equivalent_of or part
    qs = (
        Part.objects.filter(is_active=True)
        .exclude(pk=part.pk)
        .exclude(availability=Availability.INDISPONIBLE)
    )
    return list(qs.filter(equivalent_of=base) | qs.filter(pk=base.pk))
