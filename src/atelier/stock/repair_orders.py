"""The repair orders as the stock sees them, without importing the app that owns them.

Repair orders and their lines belong to the quotes app, which imports stock (its lines point at parts);
stock never imports quotes back. Stock states here what it needs, a `RepairOrderSource`, and quotes
registers one from its AppConfig.ready() (`atelier/quotes/stock_link.py`). Every read of repair orders the
stock makes is written once below, with the user's sites taken from `Site.objects.visible_to(user)`.
"""

from __future__ import annotations

from typing import Protocol

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from atelier.core.models import Site
from atelier.repairs.choices import CaseStatus
from atelier.stock.choices import ReservationStatus


class RepairOrderSource(Protocol):
    """What the stock reads of repair orders (duck-typed: attributes, not imports)."""

    def orders(self) -> QuerySet:
        """Every repair order: `number`, `case`, `technician`, `tools`, `created_at`, its lines as `parts`."""

    def lines(self) -> QuerySet:
        """Every repair-order line: `order`, `part`, `quantity`; its reservations as `reservations`."""


_source: RepairOrderSource | None = None


def register(source: RepairOrderSource) -> None:
    """Called once by the app owning the repair orders (quotes) from its AppConfig.ready()."""
    global _source
    _source = source


def source() -> RepairOrderSource:
    if _source is None:
        raise ImproperlyConfigured("Aucune source d'ordres de réparation : l'app quotes doit s'enregistrer.")
    return _source


def _visible_sites(user) -> QuerySet:
    return Site.objects.visible_to(user)


def orders_of_case(case) -> QuerySet:
    """The repair orders of a dossier, oldest first."""
    return source().orders().filter(case=case).select_related("technician").order_by("created_at", "pk")


def lines_of_case(case, part) -> QuerySet:
    """The lines of the dossier's repair orders for one part, in order."""
    return source().lines().filter(order__case=case, part=part).select_related("order").order_by("pk")


def visible_order_or_404(user, pk):
    """A repair order of one of the user's sites, else 404 (also for an id that is not a number)."""
    qs = source().orders().select_related("case__site", "case__appliance", "case__customer", "technician")
    try:
        return get_object_or_404(qs.filter(case__site__in=_visible_sites(user)), pk=pk)
    except (ValueError, TypeError):
        raise Http404 from None


def visible_line_or_404(user, pk):
    """A repair-order line of one of the user's sites, else 404."""
    qs = source().lines().select_related("order__case__site", "part")
    try:
        return get_object_or_404(qs.filter(order__case__site__in=_visible_sites(user)), pk=pk)
    except (ValueError, TypeError):
        raise Http404 from None


def line_of_order_or_404(order, pk):
    """One line of this repair order, else 404."""
    try:
        return get_object_or_404(order.parts.all(), pk=pk)
    except (ValueError, TypeError):
        raise Http404 from None


def waiting_lines(site, *, part_ids=None) -> QuerySet:
    """Lines of the site's dossiers « en attente de pièces », oldest order first."""
    qs = source().lines().filter(order__case__site=site, order__case__status=CaseStatus.ATTENTE_PIECES)
    if part_ids is not None:
        qs = qs.filter(part_id__in=part_ids)
    return qs.select_related("order__case", "part").order_by("order__created_at", "order_id", "pk")


def waiting_orders(user) -> QuerySet:
    """Repair orders of the user's dossiers « en attente de pièces » holding an active reservation."""
    return (
        source()
        .orders()
        .filter(
            case__site__in=_visible_sites(user),
            case__status=CaseStatus.ATTENTE_PIECES,
            parts__reservations__status=ReservationStatus.ACTIVE,
        )
        .select_related("case__customer", "case__appliance", "case__site", "technician", "case__technician")
        .distinct()
        .order_by("created_at")
    )
