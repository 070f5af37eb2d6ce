"""Reads of the catalogue and the stock, always within the user's sites.

`order_parts_ready`, `consumed_on_case` and `van_location` are read by other apps (repairs steps, planning,
billing): they never raise and answer sensibly on an empty stock.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import DecimalField, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from atelier.core.models import Site, User
from atelier.stock import repair_orders
from atelier.stock.choices import (
    Availability,
    LocationKind,
    MoveKind,
    PartStatus,
    ReservationStatus,
    SupplierOrderStatus,
)
from atelier.stock.models import (
    InventoryCount,
    Part,
    PartAnomaly,
    ReorderPoint,
    Reservation,
    StockBalance,
    StockLocation,
    StockMove,
    SupplierOrder,
    SupplierOrderLine,
)

ZERO = Decimal(0)
QTY_FIELD = DecimalField(max_digits=12, decimal_places=2)


def _fmt(value: Decimal) -> str:
    value = Decimal(value)
    return str(value.quantize(Decimal(1))) if value == value.to_integral() else str(value.normalize())


# ---------------------------------------------------------------- read by other apps


def van_location(user, site) -> StockLocation | None:
    """The van of this technician on this site, or None."""
    if user is None or site is None:
        return None
    return StockLocation.objects.filter(
        site=site, kind=LocationKind.VEHICULE, technician=user, is_active=True
    ).first()


def consumed_on_case(case) -> dict[int, Decimal]:
    """Part id → quantity consumed on the dossier (consumption exits minus returns to stock)."""
    rows = (
        StockMove.objects.filter(case=case, kind__in=[MoveKind.CONSOMMATION, MoveKind.RETOUR])
        .values("part_id")
        .annotate(total=Sum("quantity"))
    )
    # Consumption moves are negative, returns positive: consumed = −(sum).
    return {row["part_id"]: -row["total"] for row in rows if row["total"] and row["total"] < 0}


def order_part_states(order) -> list[dict]:
    """Each part line of a repair order with its stock state, the one truth shown by the order (repairs side)
    and by the storekeeper's page: reservations, reserved, consumed, missing quantities and a French label."""
    reservations = list(
        Reservation.objects.filter(order_part__order=order)
        .exclude(status=ReservationStatus.ANNULEE)
        .select_related("part", "location", "order_part")
    )
    states = []
    for line in order.parts.select_related("part").order_by("pk"):
        mine = [r for r in reservations if r.order_part_id == line.pk]
        reserved = sum((r.remaining for r in mine if r.is_held), Decimal(0))
        consumed = sum((r.consumed for r in mine), Decimal(0))
        missing = max(Decimal(line.quantity) - reserved - consumed, Decimal(0))
        if missing == 0:
            label = _("Posée sur le dossier") if reserved == 0 else _("Réservée en stock")
        elif reserved or consumed:
            label = _("Manquante : %(n)s (le reste est réservé)") % {"n": _fmt(missing)}
        else:
            label = _("Manquante")
        states.append(
            {
                "line": line,
                "reservations": mine,
                "reserved": reserved,
                "consumed": consumed,
                "missing": missing,
                "label": label,
            }
        )
    return states


def order_parts_ready(order) -> tuple[bool, str]:
    """True when every part of the repair order is reserved for it (or consumed already, or on hand in the
    van of its technician); else False and what is missing, in French."""
    try:
        lines = list(order.parts.select_related("part").order_by("pk"))
    except Exception:  # noqa: BLE001 — read by other apps' step checks: never raise
        return False, _("Pièces de l'ordre illisibles.")
    if not lines:
        return True, ""
    held: dict[int, Decimal] = defaultdict(Decimal)
    for reservation in Reservation.objects.filter(order_part__order=order).exclude(
        status=ReservationStatus.ANNULEE
    ):
        held[reservation.order_part_id] += (
            reservation.quantity if reservation.status == ReservationStatus.ACTIVE else reservation.consumed
        )
    technician = order.technician or getattr(order.case, "technician", None)
    van = van_location(technician, order.case.site) if technician else None
    in_van: dict[int, Decimal] = {}
    if van is not None:
        in_van = {
            b.part_id: b.on_hand - b.reserved
            for b in StockBalance.objects.filter(location=van, part_id__in=[line.part_id for line in lines])
        }
    missing = []
    for line in lines:
        lacking = Decimal(line.quantity) - held[line.pk]
        if lacking > 0 and in_van.get(line.part_id, ZERO) > 0:
            taken = min(lacking, in_van[line.part_id])
            in_van[line.part_id] -= taken
            lacking -= taken
        if lacking > 0:
            word = _("manquante") if lacking <= 1 else _("manquantes")
            missing.append(f"{_fmt(lacking)} × {line.part.reference} {word}")
    if missing:
        return False, " ; ".join(missing)
    return True, ""


# ---------------------------------------------------------------- catalogue


def part_list(
    *, active_only: bool = True, query: str = "", status: str = "", kind: str = "", condition: str = ""
) -> QuerySet[Part]:
    qs = Part.objects.select_related("equivalent_of")
    if active_only:
        qs = qs.filter(is_active=True)
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if condition:
        qs = qs.filter(condition=condition)
    if query:
        qs = qs.filter(
            Q(reference__icontains=query)
            | Q(internal_code__icontains=query)
            | Q(designation__icontains=query)
            | Q(brand__icontains=query)
            | Q(references__reference__icontains=query)
        ).distinct()
    return qs


def part_alternatives(part: Part) -> list[Part]:
    """Parts that can replace this one and can be had: same base reference, other condition or supplier."""
    base = part.equivalent_of or part
    qs = (
        Part.objects.filter(is_active=True)
        .exclude(pk=part.pk)
        .exclude(availability=Availability.INDISPONIBLE)
    )
    return list(qs.filter(equivalent_of=base) | qs.filter(pk=base.pk))


def parts_to_validate(user: User) -> QuerySet[Part]:
    return Part.objects.filter(status=PartStatus.A_VALIDER).exclude(created_by=user).order_by("pk")


def anomaly_list(user: User, *, open_only: bool = True) -> QuerySet[PartAnomaly]:
    qs = PartAnomaly.objects.visible_to(user).select_related("part", "reported_by", "site")
    return qs.filter(resolved_at__isnull=True) if open_only else qs


# ---------------------------------------------------------------- stock


def location_list(user: User, *, site: Site | None = None) -> QuerySet[StockLocation]:
    qs = StockLocation.objects.visible_to(user).filter(is_active=True).select_related("site", "technician")
    return qs.filter(site=site) if site else qs


def stock_level(part: Part, site: Site) -> dict[str, Decimal]:
    """On hand, reserved and available of one part on one site (sum of its balance rows)."""
    totals = StockBalance.objects.filter(site=site, part=part).aggregate(
        on_hand=Coalesce(Sum("on_hand"), Value(ZERO), output_field=QTY_FIELD),
        reserved=Coalesce(Sum("reserved"), Value(ZERO), output_field=QTY_FIELD),
    )
    totals["available"] = totals["on_hand"] - totals["reserved"]
    return totals


def balance_list(
    user: User, *, site: Site | None = None, location=None, query: str = ""
) -> QuerySet[StockBalance]:
    qs = (
        StockBalance.objects.visible_to(user)
        .exclude(on_hand=0, reserved=0)
        .select_related("part", "location__site")
        .order_by("location__site__code", "location__code", "part__reference")
    )
    if site:
        qs = qs.filter(site=site)
    if location:
        qs = qs.filter(location=location)
    if query:
        qs = qs.filter(
            Q(part__reference__icontains=query)
            | Q(part__internal_code__icontains=query)
            | Q(part__designation__icontains=query)
        )
    return qs


def move_list(
    user: User,
    *,
    site: Site | None = None,
    part: Part | None = None,
    location=None,
    kind: str = "",
    case=None,
) -> QuerySet[StockMove]:
    qs = StockMove.objects.visible_to(user).select_related("part", "location__site", "actor", "case")
    if site:
        qs = qs.filter(site=site)
    if part:
        qs = qs.filter(part=part)
    if location:
        qs = qs.filter(location=location)
    if kind:
        qs = qs.filter(kind=kind)
    if case:
        qs = qs.filter(case=case)
    return qs


@dataclass(frozen=True)
class PartLine:
    id: int
    reference: str
    designation: str


@dataclass(frozen=True)
class ToOrder:
    part_id: int
    part: PartLine
    minimum: Decimal
    order_quantity: Decimal
    available: Decimal
    on_order: Decimal

    @property
    def suggested(self) -> Decimal:
        """The order quantity, or more to get back to the minimum."""
        return max(self.order_quantity, self.minimum - self.available - self.on_order)


def parts_to_order(site: Site) -> list[ToOrder]:
    """Parts of the site whose available + on order is under their reorder point, by part reference.

    Available and on order are copies the services keep on the reorder point in the same transaction as the
    balances and orders (a property test checks them), so this is one index scan of the site's reorder points
    and one read of their parts by primary key, as plain tuples (a join sorted by reference made PostgreSQL
    walk the whole catalogue; model instances cost more than the queries)."""
    points = list(
        ReorderPoint.objects.filter(site=site)
        .annotate(projected=F("available") + F("on_order"))
        .filter(projected__lt=F("minimum"))
        .values_list("part_id", "minimum", "order_quantity", "available", "on_order")
    )
    parts = {
        row[0]: PartLine(*row)
        for row in _active_parts([p[0] for p in points]).values_list("id", "reference", "designation")
    }
    rows = [ToOrder(p[0], parts[p[0]], *p[1:]) for p in points if p[0] in parts]
    rows.sort(key=lambda row: row.part.reference)
    return rows


def _active_parts(ids: list[int]) -> QuerySet[Part]:
    """Active parts with these ids. On PostgreSQL the ids go as one array (`id = ANY(%s)`): for ~800 ids that is
    an index scan of 3 ms, where `IN (%s, %s, …)` costs 15 ms to send and plan (bench/stock measures it)."""
    parts = Part.objects.filter(is_active=True)
    if connection.vendor == "postgresql":
        return parts.extra(where=['"stock_part"."id" = ANY(%s)'], params=[ids])
    return parts.filter(pk__in=ids)


def waiting_order_parts(site: Site):
    """Repair-order lines of dossiers waiting for parts on the site, with what they still need."""
    return repair_orders.waiting_lines(site)


def supplier_order_list(user: User, *, site: Site | None = None, status: str = "") -> QuerySet[SupplierOrder]:
    qs = SupplierOrder.objects.visible_to(user).select_related("supplier", "site", "created_by")
    if site:
        qs = qs.filter(site=site)
    if status:
        qs = qs.filter(status=status)
    return qs


def reorder_point_figures(*, part_id: int, site_id: int) -> tuple[Decimal, Decimal]:
    """Available (on hand − reserved) and on order of a part on a site, computed from the rows."""
    available = (
        StockBalance.objects.filter(part_id=part_id, site_id=site_id).aggregate(
            total=Sum(F("on_hand") - F("reserved"))
        )["total"]
        or ZERO
    )
    on_order = (
        SupplierOrderLine.objects.filter(
            part_id=part_id,
            order__site_id=site_id,
            order__status__in=[SupplierOrderStatus.COMMANDEE, SupplierOrderStatus.PARTIELLE],
        ).aggregate(total=Sum(F("quantity") - F("received")))["total"]
        or ZERO
    )
    return available, on_order


def reservation_list(user: User) -> QuerySet[Reservation]:
    return Reservation.objects.visible_to(user)


def inventory_list(user: User) -> QuerySet[InventoryCount]:
    return InventoryCount.objects.visible_to(user).select_related("site", "location")


def order_reservations(order) -> QuerySet[Reservation]:
    return (
        Reservation.objects.filter(order_part__order=order)
        .exclude(status=ReservationStatus.ANNULEE)
        .select_related("part", "location", "order_part")
    )


def cases_ready_to_resume(user: User):
    """Dossiers « en attente de pièces » whose repair order now has all its parts (to move them on). The orders
    are first found by their keys alone: most of the time there is none (the home asks on every load), and the
    full query, nine tables joined for the panel's rows, took PostgreSQL ~9 ms to plan for nothing (issue 16)."""
    orders = repair_orders.waiting_orders(user)
    found = list(orders.values_list("pk", flat=True)[:200])
    if not found:
        return []
    return [order.case for order in orders.filter(pk__in=found) if order_parts_ready(order)[0]]
