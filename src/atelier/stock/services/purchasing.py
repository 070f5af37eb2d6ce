"""Supplier orders and their receptions, which serve the dossiers waiting for the parts."""

from collections.abc import Sequence
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.core.access import require_step
from atelier.core.errors import AtelierError
from atelier.core.locking import lock
from atelier.core.models import Site, User
from atelier.core.params import as_id
from atelier.core.permissions import require_site
from atelier.core.services import sequence_next
from atelier.stock import repair_orders
from atelier.stock.choices import MoveKind, SupplierOrderStatus
from atelier.stock.models import Part, PartSupplier, StockLocation, Supplier, SupplierOrder, SupplierOrderLine
from atelier.stock.services.common import _quantity, _usable, fmt_qty
from atelier.stock.services.ledger import _post_move, _track
from atelier.stock.services.reservations import _needed, _order_site, _reserve


@transaction.atomic
def supplier_order_create(
    *, actor: User, site: Site, supplier: Supplier, lines: list[tuple], note: str = "", at=None
) -> SupplierOrder:
    """An order to a supplier; lines are (part, quantity) or (part, quantity, repair_order)."""
    require_step(actor, "stock.manage", site=site)
    require_site(actor, site)
    if not lines:
        raise AtelierError(_("La commande n'a aucune ligne."))
    checked = []
    for line in lines:
        part, qty, repair_order = (*line, None)[:3]
        _usable(part)
        checked.append((part, _quantity(qty), repair_order))
    when = at or timezone.now()
    year = timezone.localtime(when).year
    order = SupplierOrder.objects.create(
        site=site,
        supplier=supplier,
        number=f"CF-{site.code}-{year}-{sequence_next(site=site, kind='commande_fournisseur', year=year):06d}",
        created_by=actor,
        created_at=when,
        note=note.strip(),
    )
    for part, qty, repair_order in checked:
        link = PartSupplier.objects.filter(part=part, supplier=supplier).first()
        price = link.price_ht if link else (part.purchase_price_ht or Decimal(0))
        SupplierOrderLine.objects.create(
            order=order, part=part, quantity=qty, unit_price_ht=price, repair_order=repair_order
        )
        _track(part_id=part.pk, site_id=site.pk, on_order=qty)
    return order


@transaction.atomic
def supplier_order_for_repair_order(*, actor: User, order, supplier: Supplier) -> SupplierOrder:
    """Order what the repair order still misses (not reserved, not already on order for it)."""
    site = _order_site(order)
    lines = []
    for order_part in order.parts.select_related("part"):
        on_order = sum(
            (
                line.outstanding
                for line in SupplierOrderLine.objects.filter(
                    repair_order=order,
                    part=order_part.part,
                    order__status__in=[SupplierOrderStatus.COMMANDEE, SupplierOrderStatus.PARTIELLE],
                )
            ),
            Decimal(0),
        )
        missing = _needed(order_part) - on_order
        if missing > 0:
            lines.append((order_part.part, missing, order))
    if not lines:
        raise AtelierError(_("Rien à commander : les pièces de l'ordre sont réservées ou déjà commandées."))
    return supplier_order_create(
        actor=actor,
        site=site,
        supplier=supplier,
        lines=lines,
        note=_("Pour l'ordre %(n)s") % {"n": order.number},
    )


@transaction.atomic
def supplier_order_receive(
    *, actor: User, order: SupplierOrder, location: StockLocation, quantities: dict[int, object], at=None
) -> dict:
    """Receive some or all of the lines into a location, then serve the dossiers waiting for these parts.

    Returns {"moves": [...], "served": [RepairCase, ...]} (dossiers whose parts are now all reserved)."""
    require_step(actor, "stock.manage", site=order.site)
    require_site(actor, order.site)
    fresh = lock(order)
    if fresh.status in (SupplierOrderStatus.RECUE, SupplierOrderStatus.ANNULEE):
        raise AtelierError(_("Cette commande est soldée."))
    if location.site_id != fresh.site_id:
        raise AtelierError(_("L'emplacement n'est pas sur le site de la commande."), field="location")
    lines = {line.pk: line for line in fresh.lines.select_related("part")}
    todo = []
    for line_id, raw in quantities.items():
        if raw in (None, "", 0, "0"):
            continue
        line = lines.get(as_id(line_id))
        if line is None:
            raise AtelierError(_("Cette ligne n'est pas de la commande."))
        qty = _quantity(raw)
        if qty > line.outstanding:
            raise AtelierError(
                _("%(ref)s : %(q)s reçue(s) mais %(n)s restant à recevoir.")
                % {"ref": line.part.reference, "q": fmt_qty(qty), "n": fmt_qty(line.outstanding)}
            )
        todo.append((line, qty))
    if not todo:
        raise AtelierError(_("Indiquez au moins une quantité reçue."))
    when = at or timezone.now()
    moves = []
    for line, qty in todo:
        moves.append(
            _post_move(
                part=line.part,
                location=location,
                kind=MoveKind.RECEPTION,
                quantity=qty,
                actor=actor,
                reason=_("Commande %(n)s") % {"n": fresh.number},
                at=when,
                order_line=line,
            )
        )
        SupplierOrderLine.objects.filter(pk=line.pk).update(received=F("received") + qty)
        _track(part_id=line.part_id, site_id=fresh.site_id, on_order=-qty)
    outstanding = [line for line in fresh.lines.all() if line.outstanding > 0]
    fresh.status = SupplierOrderStatus.PARTIELLE if outstanding else SupplierOrderStatus.RECUE
    fresh.save(update_fields=["status"])
    served = serve_waiting_cases(
        actor=actor,
        site=fresh.site,
        parts=[line.part for line, _q in todo],
        first_orders=[line.repair_order_id for line, _q in todo if line.repair_order_id],
    )
    return {"moves": moves, "served": served}


def serve_waiting_cases(
    *, actor: User, site: Site, parts: list[Part], first_orders: Sequence[int] = ()
) -> list:
    """Reserve the received parts for the repair orders of dossiers « en attente de pièces », the order the
    parts were bought for first, then the oldest; each dossier whose parts are all there gets a note."""
    from atelier.repairs.services import case_add_note
    from atelier.stock.selectors import order_parts_ready

    part_ids = {p.pk for p in parts}
    waiting = repair_orders.waiting_lines(site, part_ids=part_ids)
    ordered = sorted(waiting, key=lambda op: op.order_id not in set(first_orders))
    touched = {}
    for order_part in ordered:
        if _needed(order_part) <= 0:
            continue
        if _reserve(order_part=order_part, actor=actor, quantity=None, partial=True):
            touched[order_part.order_id] = order_part.order
    served = []
    for order in touched.values():
        ready, _reason = order_parts_ready(order)
        if ready:
            case_add_note(
                case=order.case,
                actor=actor,
                note=_("Pièces reçues et réservées pour l'ordre %(n)s : le dossier peut reprendre.")
                % {"n": order.number},
            )
            served.append(order.case)
    return served


@transaction.atomic
def supplier_order_cancel(*, actor: User, order: SupplierOrder) -> SupplierOrder:
    require_step(actor, "stock.manage", site=order.site)
    require_site(actor, order.site)
    fresh = lock(order)
    if fresh.status != SupplierOrderStatus.COMMANDEE:
        raise AtelierError(_("Une commande déjà reçue (même en partie) ne s'annule plus."))
    fresh.status = SupplierOrderStatus.ANNULEE
    fresh.save(update_fields=["status"])
    for line in fresh.lines.all():
        _track(part_id=line.part_id, site_id=fresh.site_id, on_order=-line.outstanding)
    return fresh
