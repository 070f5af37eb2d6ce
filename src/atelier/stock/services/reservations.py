"""Reservations for repair-order lines: hold, cancel, release, consume on the dossier."""

from decimal import Decimal

from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.core.access import require_step
from atelier.core.errors import AtelierError
from atelier.core.locking import lock, lock_rows
from atelier.core.models import User
from atelier.core.permissions import require_site
from atelier.repairs.choices import WorkLocation
from atelier.stock import repair_orders
from atelier.stock.choices import LocationKind, MoveKind, ReservationStatus
from atelier.stock.models import Part, Reservation, StockBalance, StockLocation, StockMove
from atelier.stock.services.common import _quantity, _usable, fmt_qty
from atelier.stock.services.ledger import _lock_balance, _post_move, _track


def _order_site(order):
    return order.case.site


def _needed(order_part) -> Decimal:
    """What the repair order's line still needs reserved: its quantity minus held and consumed reservations."""
    held = sum(
        (r.quantity if r.status == ReservationStatus.ACTIVE else r.consumed)
        for r in order_part.reservations.exclude(status=ReservationStatus.ANNULEE)
    )
    return Decimal(order_part.quantity) - Decimal(held)


def _reserve(
    *, order_part, actor: User, quantity: Decimal | None, partial: bool, location=None
) -> list[Reservation]:
    part = order_part.part
    order = order_part.order
    site = _order_site(order)
    needed = _needed(order_part)
    qty = needed if quantity is None else quantity
    if qty <= 0:
        if quantity is None:
            return []
        raise AtelierError(_("La quantité doit être positive."), field="quantity")
    if qty > needed:
        raise AtelierError(
            _("L'ordre n'a besoin que de %(n)s × %(ref)s de plus.")
            % {"n": fmt_qty(needed), "ref": part.reference},
            field="quantity",
        )
    # Lock every balance row of the part on the site (in pk order): concurrent reservations queue here and
    # each sees what the previous one left.
    balances = StockBalance.objects.filter(part=part, site=site, location__is_active=True)
    if location is not None:
        balances = balances.filter(location=location)
    rows = sorted(
        lock_rows(balances, related=["location"]),
        key=lambda b: (b.location.kind != LocationKind.ETAGERE, -(b.on_hand - b.reserved)),
    )
    free = sum((b.on_hand - b.reserved for b in rows), Decimal(0))
    if free < qty and not partial:
        raise AtelierError(
            _(
                "Plus assez de %(ref)s disponible sur le site %(site)s : %(free)s disponible(s), %(asked)s demandée(s)."
            )
            % {
                "ref": part.reference,
                "site": site.code,
                "free": fmt_qty(max(free, Decimal(0))),
                "asked": fmt_qty(qty),
            }
        )
    made = []
    left = qty
    for balance in rows:
        take = min(left, balance.on_hand - balance.reserved)
        if take <= 0:
            continue
        StockBalance.objects.filter(pk=balance.pk).update(reserved=F("reserved") + take)
        _track(part_id=part.pk, site_id=site.pk, available=-take)
        made.append(
            Reservation.objects.create(
                order_part=order_part, part=part, location=balance.location, quantity=take, created_by=actor
            )
        )
        left -= take
        if left <= 0:
            break
    return made


@transaction.atomic
def reserve_for_order_part(*, order_part, actor: User, quantity=None, location=None) -> list[Reservation]:
    """Hold parts on the order's site for one line of a repair order; all or nothing."""
    require_step(actor, "stock.reserve")
    require_site(actor, _order_site(order_part.order))
    _usable(order_part.part)
    qty = None if quantity in (None, "") else _quantity(quantity)
    return _reserve(order_part=order_part, actor=actor, quantity=qty, partial=False, location=location)


@transaction.atomic
def reserve_for_order(*, order, actor: User) -> list[Reservation]:
    """Reserve every line of the repair order that is still missing; refused as a whole if one cannot be."""
    require_step(actor, "stock.reserve")
    require_site(actor, _order_site(order))
    made = []
    for order_part in order.parts.select_related("part").order_by("part_id", "pk"):
        _usable(order_part.part)
        made.extend(_reserve(order_part=order_part, actor=actor, quantity=None, partial=False))
    return made


@transaction.atomic
def reservation_cancel(*, reservation: Reservation, actor: User, at=None) -> Reservation:
    """Release what is left of a reservation (the consumed part stays consumed)."""
    require_step(actor, "stock.reserve", site=reservation.location.site)
    require_site(actor, reservation.location.site)
    fresh = lock(reservation)
    if fresh.status != ReservationStatus.ACTIVE:
        raise AtelierError(_("Cette réservation n'est plus active."))
    return _release(fresh, at=at)


def _release(fresh: Reservation, *, at=None) -> Reservation:
    balance = _lock_balance(fresh.part, fresh.location)
    StockBalance.objects.filter(pk=balance.pk).update(reserved=F("reserved") - fresh.remaining)
    _track(part_id=fresh.part_id, site_id=fresh.location.site_id, available=fresh.remaining)
    fresh.status = ReservationStatus.ANNULEE if fresh.consumed == 0 else ReservationStatus.CONSOMMEE
    fresh.quantity = fresh.quantity if fresh.consumed == 0 else fresh.consumed
    fresh.closed_at = at or timezone.now()
    fresh.save(update_fields=["status", "quantity", "closed_at"])
    return fresh


@transaction.atomic
def release_order(*, order, actor: User, at=None) -> int:
    """Release every active reservation of a repair order (its dossier was cancelled or declared not
    repairable): called from the step's transaction, which already checked who may take it."""
    count = 0
    for reservation in lock_rows(
        Reservation.objects.filter(order_part__order=order, status=ReservationStatus.ACTIVE)
    ):
        _release(reservation, at=at)
        count += 1
    return count


@transaction.atomic
def consume_for_order_part(*, order_part, actor: User, quantity=None, at=None) -> list[StockMove]:
    """The technician fits the part: its reservations become exits « consommation sur dossier »."""
    require_step(actor, "stock.consume")
    order = order_part.order
    require_site(actor, _order_site(order))
    reservations = lock_rows(
        Reservation.objects.filter(order_part=order_part, status=ReservationStatus.ACTIVE),
        related=["location", "part"],
    )
    reserved = sum((r.remaining for r in reservations), Decimal(0))
    qty = reserved if quantity in (None, "") else _quantity(quantity)
    if qty <= 0:
        raise AtelierError(_("Aucune pièce réservée pour cette ligne : réservez-la d'abord."))
    if qty > reserved:
        raise AtelierError(
            _("Vous ne pouvez pas consommer plus que la quantité réservée (%(n)s).")
            % {"n": fmt_qty(reserved)},
            field="quantity",
        )
    moves = []
    left = qty
    when = at or timezone.now()
    for reservation in reservations:
        take = min(left, reservation.remaining)
        if take <= 0:
            continue
        moves.append(
            _post_move(
                part=reservation.part,
                location=reservation.location,
                kind=MoveKind.CONSOMMATION,
                quantity=-take,
                actor=actor,
                reason=_("Ordre %(n)s") % {"n": order.number},
                at=when,
                case=order.case,
                repair_order=order,
                from_reserved=take,
            )
        )
        reservation.consumed += take
        if reservation.remaining == 0:
            reservation.status = ReservationStatus.CONSOMMEE
            reservation.closed_at = when
        reservation.save(update_fields=["consumed", "status", "closed_at"])
        left -= take
        if left <= 0:
            break
    return moves


@transaction.atomic
def consume_for_case(*, actor: User, case, part: Part, quantity, at=None) -> list[StockMove]:
    """The technician fitted `quantity` of `part` on the dossier: taken first from the dossier's reservations,
    then from the technician's van, then (bench jobs) from the site's shelves. All or nothing."""
    from atelier.stock.selectors import van_location

    require_step(actor, "stock.consume", site=case.site)
    require_site(actor, case.site)
    left = _quantity(quantity)
    moves: list[StockMove] = []
    lines = repair_orders.lines_of_case(case, part)
    for line in lines:
        reserved = Reservation.objects.filter(order_part=line, status=ReservationStatus.ACTIVE).aggregate(
            n=Sum(F("quantity") - F("consumed"))
        )["n"] or Decimal(0)
        if reserved > 0 and left > 0:
            take = min(left, reserved)
            moves += consume_for_order_part(order_part=line, actor=actor, quantity=take, at=at)
            left -= take
    if left <= 0:
        return moves
    van = van_location(actor, case.site)
    if case.location == WorkLocation.DOMICILE:
        # On a home visit the part can only come from the technician's van.
        sources, where = ([van], van.code) if van is not None else ([], _("aucun véhicule à votre nom"))
    else:
        shelves = StockLocation.objects.filter(site=case.site, kind=LocationKind.ETAGERE, is_active=True)
        free = {
            b.location_id: b.on_hand - b.reserved
            for b in StockBalance.objects.filter(part=part, location__in=shelves)
        }
        sources = sorted((s for s in shelves if free.get(s.pk, 0) > 0), key=lambda s: -free[s.pk])
        where = _("stock de l'atelier")
    for location in sources:
        balance = StockBalance.objects.filter(part=part, location=location).first()
        take = min(left, (balance.on_hand - balance.reserved) if balance else Decimal(0))
        if take <= 0:
            continue
        moves.append(
            _post_move(
                part=part,
                location=location,
                kind=MoveKind.CONSOMMATION,
                quantity=-take,
                actor=actor,
                reason=_("Pièce posée (dossier %(n)s)") % {"n": case.number},
                at=at,
                case=case,
            )
        )
        left -= take
        if left <= 0:
            return moves
    raise AtelierError(
        _(
            "Il manque %(n)s × %(ref)s (%(where)s) : réservez la pièce ou faites-la transférer avant de la "
            "noter comme posée."
        )
        % {"n": fmt_qty(left), "ref": part.reference, "where": where},
        field="parts",
    )


@transaction.atomic
def release_case(*, case, actor: User, at=None) -> int:
    """Release the reservations of every repair order of a dossier (cancelled or declared not repairable)."""
    return sum(release_order(order=order, actor=actor, at=at) for order in repair_orders.orders_of_case(case))
