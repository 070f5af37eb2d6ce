"""Inventory counts: open, count, validate (the differences become moves « inventaire »)."""

from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.core.access import require_step
from atelier.core.errors import AtelierError
from atelier.core.locking import lock
from atelier.core.models import Site, User
from atelier.core.permissions import require_site
from atelier.stock.choices import InventoryStatus, MoveKind
from atelier.stock.models import InventoryCount, InventoryLine, Part, StockBalance, StockLocation, StockMove
from atelier.stock.services.common import _quantity, fmt_qty
from atelier.stock.services.ledger import _lock_balance, _post_move


@transaction.atomic
def inventory_open(
    *, actor: User, site: Site, location: StockLocation | None = None, with_lines: bool = True
) -> InventoryCount:
    """A count of a site or one location: one line per part known there, expected = on hand now (an import
    of counted quantities opens it without lines and adds only what the file lists)."""
    require_step(actor, "stock.manage", site=site)
    require_site(actor, site)
    if location is not None and location.site_id != site.pk:
        raise AtelierError(_("L'emplacement n'est pas sur ce site."), field="location")
    open_counts = InventoryCount.objects.filter(site=site, status=InventoryStatus.EN_COURS)
    if open_counts.filter(Q(location__isnull=True) | Q(location=location) if location else Q()).exists():
        raise AtelierError(_("Un inventaire est déjà en cours pour cet emplacement."))
    count = InventoryCount.objects.create(site=site, location=location, created_by=actor)
    if not with_lines:
        return count
    balances = StockBalance.objects.filter(site=site).exclude(on_hand=0)
    if location is not None:
        balances = balances.filter(location=location)
    InventoryLine.objects.bulk_create(
        InventoryLine(count=count, part_id=b.part_id, location_id=b.location_id, expected=b.on_hand)
        for b in balances
    )
    return count


@transaction.atomic
def inventory_count_line(
    *, actor: User, count: InventoryCount, part: Part, location: StockLocation, counted
) -> InventoryLine:
    """Record what was counted (a part found that was not expected gets a new line)."""
    require_step(actor, "stock.manage", site=count.site)
    require_site(actor, count.site)
    if count.status != InventoryStatus.EN_COURS:
        raise AtelierError(_("Cet inventaire est validé."))
    if location.site_id != count.site_id or (count.location_id and location.pk != count.location_id):
        raise AtelierError(_("L'emplacement n'est pas dans cet inventaire."), field="location")
    qty = _quantity(counted, field="counted", allow_zero=True)
    line, _created = InventoryLine.objects.get_or_create(
        count=count, part=part, location=location, defaults={"expected": Decimal(0)}
    )
    line.counted = qty
    line.save(update_fields=["counted"])
    return line


@transaction.atomic
def inventory_validate(*, actor: User, count: InventoryCount, at=None) -> list[StockMove]:
    """Post the differences as moves « inventaire » so that on hand = counted; uncounted lines are left."""
    require_step(actor, "stock.manage", site=count.site)
    require_site(actor, count.site)
    fresh = lock(count)
    if fresh.status != InventoryStatus.EN_COURS:
        raise AtelierError(_("Cet inventaire est déjà validé."))
    when = at or timezone.now()
    moves = []
    for line in fresh.lines.filter(counted__isnull=False).select_related("part", "location"):
        balance = _lock_balance(line.part, line.location)
        if line.counted < balance.reserved:
            raise AtelierError(
                _(
                    "%(ref)s à %(loc)s : quantité comptée %(c)s, mais %(r)s en réservation ; "
                    "annulez d'abord des réservations."
                )
                % {
                    "ref": line.part.reference,
                    "loc": line.location.code,
                    "c": fmt_qty(line.counted),
                    "r": fmt_qty(balance.reserved),
                }
            )
        difference = line.counted - balance.on_hand
        if difference:
            moves.append(
                _post_move(
                    part=line.part,
                    location=line.location,
                    kind=MoveKind.INVENTAIRE,
                    quantity=difference,
                    actor=actor,
                    reason=_("Inventaire n° %(n)s") % {"n": fresh.pk},
                    at=when,
                )
            )
    fresh.status = InventoryStatus.VALIDE
    fresh.validated_by = actor
    fresh.validated_at = when
    fresh.save(update_fields=["status", "validated_by", "validated_at"])
    return moves


@transaction.atomic
def inventory_record_counts(
    *, actor: User, count: InventoryCount, counted: dict, validate: bool = False
) -> dict:
    """Record the counted quantities of the count's lines (line id → quantity), then validate it if asked;
    all or nothing. Returns {"validated": bool, "moves": [...]}."""
    require_step(actor, "stock.manage", site=count.site)
    require_site(actor, count.site)
    lines = {str(line.pk): line for line in count.lines.select_related("part", "location")}
    for key, raw in counted.items():
        line = lines.get(str(key))
        if line is None:
            raise AtelierError(_("Cette ligne n'est pas de l'inventaire."))
        inventory_count_line(actor=actor, count=count, part=line.part, location=line.location, counted=raw)
    if not validate:
        return {"validated": False, "moves": []}
    return {"validated": True, "moves": inventory_validate(actor=actor, count=count)}
