"""The ledger: locations, moves and their balance rows, transfers, the reorder points' figures.

Every quantity change goes through `_post_move` (or the reservations' `_reserve`), which locks the
(part, location) balance row, checks it, then writes the move and the new balance in the caller's
transaction: the balance is always the sum of the moves, and the database's CHECK (on_hand ≥ reserved ≥ 0)
is the last guard.
"""

from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.core.access import may, require_step
from atelier.core.errors import AtelierError, PermissionRefused
from atelier.core.locking import lock_rows
from atelier.core.models import Site, User
from atelier.core.permissions import require_site
from atelier.stock.choices import LocationKind, MoveKind
from atelier.stock.models import Part, ReorderPoint, StockBalance, StockLocation, StockMove
from atelier.stock.selectors import reorder_point_figures
from atelier.stock.services.common import _quantity, _usable, fmt_qty

# Signs of the manual moves: what enters, what leaves (a transfer and an inventory carry their own sign).
ENTRIES = {MoveKind.RECEPTION, MoveKind.RETOUR, MoveKind.DEMONTAGE}
EXITS = {MoveKind.CONSOMMATION, MoveKind.REBUT}


@transaction.atomic
def location_create(
    *, actor: User, site: Site, code: str, name: str, kind: str = LocationKind.ETAGERE, technician=None
) -> StockLocation:
    require_step(actor, "stock.manage", site=site)
    require_site(actor, site)
    code = code.strip().upper()
    if not code:
        raise AtelierError(_("Indiquez le code de l'emplacement."), field="code")
    if StockLocation.objects.filter(site=site, code=code).exists():
        raise AtelierError(
            _("L'emplacement %(code)s existe déjà sur ce site.") % {"code": code}, field="code"
        )
    if kind == LocationKind.VEHICULE and technician is None:
        raise AtelierError(_("Un véhicule appartient à un technicien."), field="technician")
    if (
        technician is not None
        and StockLocation.objects.filter(
            site=site, kind=LocationKind.VEHICULE, technician=technician
        ).exists()
    ):
        raise AtelierError(_("Ce technicien a déjà un véhicule sur ce site."), field="technician")
    location = StockLocation(
        site=site, code=code, name=name.strip() or code, kind=kind, technician=technician
    )
    location.full_clean()
    location.save()
    return location


def vans_ensure(*, actor: User, site: Site, technicians) -> list[StockLocation]:
    """A van location per technician of the site (idempotent), used by the demo and the admin."""
    vans = []
    for tech in technicians:
        van, _created = StockLocation.objects.get_or_create(
            site=site,
            kind=LocationKind.VEHICULE,
            technician=tech,
            defaults={
                "code": f"VEH-{tech.username.upper()}"[:30],
                "name": _("Véhicule de %(n)s") % {"n": tech},
            },
        )
        vans.append(van)
    return vans


def _lock_balances(part: Part, locations: list[StockLocation]) -> list[StockBalance]:
    """The part's balance rows at these locations (created at zero the first time), locked in key order."""
    for location in locations:
        StockBalance.objects.get_or_create(
            part=part, location=location, defaults={"site_id": location.site_id}
        )
    return lock_rows(StockBalance.objects.filter(part=part, location__in=[loc.pk for loc in locations]))


def _lock_balance(part: Part, location: StockLocation) -> StockBalance:
    return _lock_balances(part, [location])[0]


def reorder_point_refresh(*, part_id: int, site_id: int) -> None:
    """Recompute the copies kept on a reorder point from the balance rows and the open orders."""
    available, on_order = reorder_point_figures(part_id=part_id, site_id=site_id)
    ReorderPoint.objects.filter(part_id=part_id, site_id=site_id).update(
        available=available, on_order=on_order
    )


@transaction.atomic
def reorder_point_set(*, actor: User, part: Part, site: Site, minimum, order_quantity) -> ReorderPoint:
    """Create or change the reorder point of a part on a site; a new one starts from the site's figures."""
    require_step(actor, "stock.manage", site=site)
    require_site(actor, site)
    minimum = _quantity(minimum, field="minimum", allow_zero=True)
    order_quantity = _quantity(order_quantity, field="order_quantity")
    point, created = ReorderPoint.objects.update_or_create(
        part=part, site=site, defaults={"minimum": minimum, "order_quantity": order_quantity}
    )
    if created:
        reorder_point_refresh(part_id=part.pk, site_id=site.pk)
        point.refresh_from_db()
    return point


def _track(*, part_id: int, site_id: int, available=Decimal(0), on_order=Decimal(0)) -> None:
    """Carry a change of available / on order to the part's reorder point on the site, if it has one."""
    if available or on_order:
        ReorderPoint.objects.filter(part_id=part_id, site_id=site_id).update(
            available=F("available") + available, on_order=F("on_order") + on_order
        )


def _post_move(
    *,
    part: Part,
    location: StockLocation,
    kind: str,
    quantity: Decimal,
    actor: User,
    reason: str = "",
    at=None,
    case=None,
    repair_order=None,
    order_line=None,
    from_reserved: Decimal = Decimal(0),
) -> StockMove:
    """Write one move and its balance under the row lock; an exit never takes reserved parts unless it is
    the consumption of that reservation (`from_reserved`)."""
    balance = _lock_balance(part, location)
    if quantity < 0:
        free = balance.on_hand - balance.reserved + from_reserved
        if -quantity > free:
            raise AtelierError(
                _(
                    "Stock insuffisant de %(ref)s à l'emplacement %(loc)s : %(free)s disponible(s), "
                    "%(asked)s demandée(s)."
                )
                % {
                    "ref": part.reference,
                    "loc": location.code,
                    "free": fmt_qty(free),
                    "asked": fmt_qty(-quantity),
                }
            )
    move = StockMove.objects.create(
        part=part,
        location=location,
        site=location.site,
        kind=kind,
        quantity=quantity,
        reason=reason.strip()[:255],
        actor=actor,
        at=at or timezone.now(),
        case=case,
        repair_order=repair_order,
        supplier_order_line=order_line,
    )
    StockBalance.objects.filter(pk=balance.pk).update(
        on_hand=F("on_hand") + quantity, reserved=F("reserved") - from_reserved
    )
    _track(part_id=part.pk, site_id=location.site_id, available=quantity + from_reserved)
    return move


@transaction.atomic
def move_record(
    *,
    actor: User,
    part: Part,
    location: StockLocation,
    kind: str,
    quantity,
    reason: str,
    case=None,
    at=None,
) -> StockMove:
    """A manual entry or exit: reception without order, return, disassembly (entries), scrapping, consumption
    on a dossier without reservation (exits). Quantities are typed positive; the kind gives the sign."""
    require_step(
        actor,
        "stock.consume" if kind in (MoveKind.CONSOMMATION, MoveKind.RETOUR) else "stock.manage",
        site=location.site,
    )
    require_site(actor, location.site)
    qty = _quantity(quantity)
    if kind not in ENTRIES | EXITS:
        raise AtelierError(_("Ce type de mouvement se fait depuis son propre écran."), field="kind")
    if not reason.strip() and kind in (MoveKind.REBUT, MoveKind.RETOUR, MoveKind.DEMONTAGE):
        raise AtelierError(_("Indiquez le motif du mouvement."), field="reason")
    if kind == MoveKind.CONSOMMATION and case is None:
        raise AtelierError(_("Une consommation se fait sur un dossier."), field="case")
    if case is not None and case.site_id != location.site_id:
        raise AtelierError(_("Le dossier n'est pas de ce site."), field="case")
    if kind in ENTRIES and kind != MoveKind.RETOUR:
        _usable(part)
    if kind == MoveKind.RETOUR and case is not None:
        from atelier.stock.selectors import consumed_on_case

        consumed = consumed_on_case(case).get(part.pk, Decimal(0))
        if qty > consumed:
            raise AtelierError(
                _("On ne peut rendre que ce qui a été consommé sur le dossier (%(n)s).")
                % {"n": fmt_qty(consumed)},
                field="quantity",
            )
    signed = qty if kind in ENTRIES else -qty
    return _post_move(
        part=part, location=location, kind=kind, quantity=signed, actor=actor, reason=reason, at=at, case=case
    )


@transaction.atomic
def transfer(
    *,
    actor: User,
    part: Part,
    source: StockLocation,
    destination: StockLocation,
    quantity,
    reason: str = "",
    at=None,
) -> tuple[StockMove, StockMove]:
    """From a shelf to a van, between sites…: one exit and one entry of kind transfert, both or neither."""
    require_step(actor, "stock.consume", site=source.site)
    require_site(actor, source.site)
    require_site(actor, destination.site)  # another site's shelves and vans are not offered, nor taken
    qty = _quantity(quantity)
    if source.pk == destination.pk:
        raise AtelierError(_("L'emplacement de départ et celui d'arrivée sont le même."), field="destination")
    if destination.site_id != source.site_id and not may(actor, "stock.manage", source.site):
        raise PermissionRefused(_("Un transfert entre sites est fait par le magasinier."))
    # Lock both rows at once, in key order, so two opposite transfers cannot deadlock.
    _lock_balances(part, [source, destination])
    reason = reason or _("%(a)s → %(b)s") % {"a": source, "b": destination}
    out = _post_move(
        part=part, location=source, kind=MoveKind.TRANSFERT, quantity=-qty, actor=actor, reason=reason, at=at
    )
    into = _post_move(
        part=part,
        location=destination,
        kind=MoveKind.TRANSFERT,
        quantity=qty,
        actor=actor,
        reason=reason,
        at=at,
    )
    return out, into


@transaction.atomic
def consume_without_case(
    *, actor: User, part: Part, location: StockLocation, quantity, reason: str, at=None
) -> StockMove:
    """A consumption that belongs to no dossier — a part fitted to one of the shop's own appliances during its
    refurbishment (refurbishment app): the same exit line as on a dossier, its reason naming what it went
    into, under the balance's row lock."""
    require_step(actor, "stock.consume", site=location.site)
    require_site(actor, location.site)
    qty = _quantity(quantity)
    if not (reason or "").strip():
        raise AtelierError(_("Indiquez le motif du mouvement."), field="reason")
    return _post_move(
        part=part,
        location=location,
        kind=MoveKind.CONSOMMATION,
        quantity=-qty,
        actor=actor,
        reason=reason,
        at=at,
    )
