"""Writes of the stock: catalogue and codification, the ledger (moves and their balance rows), reservations,
supplier orders and receptions, inventory counts.

Every quantity change goes through `_post_move` or `_reserve_on`, which lock the (part, location) balance row
with select_for_update, check it, then write the move and the new balance in the caller's transaction: the
balance is always the sum of the moves, and the database's CHECK (on_hand ≥ reserved ≥ 0) is the last guard.
"""

import re
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.core.choices import Role
from atelier.core.errors import AtelierError, PermissionRefused
from atelier.core.models import Site, User
from atelier.core.permissions import require_role, require_site
from atelier.core.services import sequence_next
from atelier.repairs.choices import CaseStatus, WorkLocation
from atelier.stock.choices import (
    InventoryStatus,
    LocationKind,
    MoveKind,
    PartCondition,
    PartStatus,
    ReservationStatus,
    SupplierOrderStatus,
)
from atelier.stock.models import (
    CodificationRule,
    InventoryCount,
    InventoryLine,
    Part,
    PartAnomaly,
    PartReference,
    PartSupplier,
    ReorderPoint,
    Reservation,
    StockBalance,
    StockLocation,
    StockMove,
    Supplier,
    SupplierOrder,
    SupplierOrderLine,
)

MANAGERS = (Role.MAGASINIER, Role.RESPONSABLE_SAV)
CONSUMERS = (Role.MAGASINIER, Role.RESPONSABLE_SAV, Role.TECHNICIEN)
RESERVERS = (Role.MAGASINIER, Role.RESPONSABLE_SAV, Role.TECHNICIEN, Role.ACCUEIL)

# Signs of the manual moves: what enters, what leaves (a transfer and an inventory carry their own sign).
ENTRIES = {MoveKind.RECEPTION, MoveKind.RETOUR, MoveKind.DEMONTAGE}
EXITS = {MoveKind.CONSOMMATION, MoveKind.REBUT}

FAMILY_CODES = {
    "lave_linge": "LL",
    "lave_vaisselle": "LV",
    "seche_linge": "SL",
}


def fmt_qty(value: Decimal) -> str:
    """2 rather than 2.00 in messages."""
    value = Decimal(value)
    return f"{value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()}"


def _quantity(value, *, field: str = "quantity", allow_zero: bool = False) -> Decimal:
    try:
        qty = Decimal(str(value).replace(",", ".").strip())
    except (InvalidOperation, ValueError):
        raise AtelierError(_("La quantité doit être un nombre."), field=field) from None
    if not qty.is_finite():
        raise AtelierError(_("La quantité doit être un nombre."), field=field)
    if qty < 0 or (qty == 0 and not allow_zero):
        raise AtelierError(_("La quantité doit être positive."), field=field)
    if qty != qty.quantize(Decimal("0.01")) or qty >= Decimal("10000000"):
        raise AtelierError(_("Quantité invalide (deux décimales au plus)."), field=field)
    return qty


def _usable(part: Part) -> None:
    if not part.is_active:
        raise AtelierError(_("La pièce %(ref)s n'est plus active.") % {"ref": part.reference})
    if part.status != PartStatus.VALIDEE:
        raise AtelierError(
            _("La référence %(ref)s doit être validée par une deuxième personne avant d'être utilisée.")
            % {"ref": part.reference}
        )


# ---------------------------------------------------------------- catalogue and codification


def _code_piece(value: str, length: int = 3) -> str:
    letters = re.sub(r"[^A-Z0-9]", "", value.upper().replace("_", ""))
    return letters[:length] or "X"


def internal_code_next(*, site: Site, family: str, kind: str, condition: str) -> str:
    """Next internal code from the site's rule (default {famille}-{type}-{sequence}), numbered per site."""
    rule = CodificationRule.objects.filter(site=site).first()
    pattern = rule.pattern if rule else "{famille}-{type}-{sequence}"
    digits = rule.sequence_digits if rule else 6
    number = sequence_next(site=site, kind="code_piece", year=0)
    values = {
        "famille": FAMILY_CODES.get(family) or _code_piece(family or "GEN", 2),
        "type": _code_piece(kind or "autre"),
        "etat": {"neuf": "N", "reconditionne": "R", "occasion": "O"}.get(condition, "N"),
        "site": site.code,
        "sequence": f"{number:0{digits}d}",
    }
    try:
        return pattern.format(**values)
    except (KeyError, IndexError, ValueError):
        raise AtelierError(
            _(
                "La règle de codification du site est invalide : utilisez {famille}, {type}, {etat}, {site} "
                "et {sequence}."
            )
        ) from None


@transaction.atomic
def part_create(
    *,
    actor: User,
    site: Site,
    reference: str,
    designation: str,
    price_ht,
    kind: str = "autre",
    condition: str = PartCondition.NEUF,
    grade: str = "",
    family: str = "",
    brand: str = "",
    compatible_brands: str = "",
    compatible_models: str = "",
    purchase_price_ht=None,
    vat_kind: str = "normal",
    equivalent_of: Part | None = None,
    other_references: list[tuple[str, str, bool]] = (),
) -> Part:
    """A new reference, « à valider » until a second person checks it against its description."""
    require_role(actor, *MANAGERS)
    require_site(actor, site)
    reference = reference.strip().upper()
    if not reference:
        raise AtelierError(_("Indiquez la référence du fabricant."), field="reference")
    if Part.objects.filter(reference__iexact=reference).exists():
        raise AtelierError(_("La référence %(ref)s existe déjà.") % {"ref": reference}, field="reference")
    if condition == PartCondition.OCCASION and not grade:
        raise AtelierError(_("Indiquez le grade d'une pièce d'occasion."), field="grade")
    if condition != PartCondition.OCCASION and grade:
        raise AtelierError(_("Le grade ne concerne que les pièces d'occasion."), field="grade")
    part = Part(
        reference=reference,
        designation=designation.strip(),
        kind=kind,
        condition=condition,
        grade=grade,
        family=family,
        brand=brand.strip(),
        compatible_brands=compatible_brands.strip(),
        compatible_models=compatible_models.strip(),
        price_ht=price_ht,
        purchase_price_ht=purchase_price_ht,
        vat_kind=vat_kind,
        equivalent_of=equivalent_of,
        status=PartStatus.A_VALIDER,
        created_by=actor,
    )
    part.full_clean(exclude=["internal_code"])
    part.internal_code = internal_code_next(site=site, family=family, kind=kind, condition=condition)
    part.save()
    for ref, ref_brand, is_equivalent in other_references:
        if ref.strip():
            PartReference.objects.get_or_create(
                part=part,
                reference=ref.strip().upper(),
                defaults={"brand": ref_brand.strip(), "is_equivalent": is_equivalent},
            )
    return part


@transaction.atomic
def part_validate(*, part: Part, actor: User, accept: bool = True, at=None) -> Part:
    """The second person's check: the reference matches its description (or is refused)."""
    require_role(actor, *MANAGERS)
    fresh = Part.objects.select_for_update().get(pk=part.pk)
    if fresh.status != PartStatus.A_VALIDER:
        raise AtelierError(_("Cette référence n'est pas en attente de validation."))
    if fresh.created_by_id == actor.pk:
        raise AtelierError(_("Une autre personne que son auteur doit valider la référence."))
    fresh.status = PartStatus.VALIDEE if accept else PartStatus.REFUSEE
    fresh.is_active = accept
    fresh.validated_by = actor
    fresh.validated_at = at or timezone.now()
    fresh.save(update_fields=["status", "is_active", "validated_by", "validated_at"])
    return fresh


@transaction.atomic
def part_supplier_set(
    *, part: Part, actor: User, supplier: Supplier, supplier_ref: str, price_ht, lead_time_days: int = 0
) -> PartSupplier:
    require_role(actor, *MANAGERS)
    if Decimal(price_ht) < 0:
        raise AtelierError(_("Le prix ne peut pas être négatif."), field="price_ht")
    link, _created = PartSupplier.objects.update_or_create(
        part=part,
        supplier=supplier,
        defaults={
            "supplier_ref": supplier_ref.strip(),
            "price_ht": price_ht,
            "lead_time_days": lead_time_days,
        },
    )
    return link


@transaction.atomic
def anomaly_report(*, part: Part, actor: User, site: Site, description: str) -> PartAnomaly:
    """Anyone working on the site reports what is wrong with a reference; the stock keeper sees it at home."""
    require_site(actor, site)
    description = description.strip()
    if not description:
        raise AtelierError(_("Décrivez l'anomalie."), field="description")
    return PartAnomaly.objects.create(part=part, site=site, description=description, reported_by=actor)


@transaction.atomic
def anomaly_resolve(*, anomaly: PartAnomaly, actor: User, resolution: str) -> PartAnomaly:
    require_role(actor, *MANAGERS)
    require_site(actor, anomaly.site)
    if anomaly.resolved_at:
        raise AtelierError(_("Cette anomalie est déjà traitée."))
    if not resolution.strip():
        raise AtelierError(_("Indiquez la suite donnée."), field="resolution")
    anomaly.resolution = resolution.strip()
    anomaly.resolved_by = actor
    anomaly.resolved_at = timezone.now()
    anomaly.save(update_fields=["resolution", "resolved_by", "resolved_at"])
    return anomaly


# ---------------------------------------------------------------- locations


@transaction.atomic
def location_create(
    *, actor: User, site: Site, code: str, name: str, kind: str = LocationKind.ETAGERE, technician=None
) -> StockLocation:
    require_role(actor, *MANAGERS)
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


# ---------------------------------------------------------------- the ledger


def _lock_balance(part: Part, location: StockLocation) -> StockBalance:
    StockBalance.objects.get_or_create(part=part, location=location, defaults={"site_id": location.site_id})
    return StockBalance.objects.select_for_update().get(part=part, location=location)


def reorder_point_figures(*, part_id: int, site_id: int) -> tuple[Decimal, Decimal]:
    """Available (on hand − reserved) and on order of a part on a site, computed from the rows."""
    available = StockBalance.objects.filter(part_id=part_id, site_id=site_id).aggregate(
        total=Sum(F("on_hand") - F("reserved"))
    )["total"] or Decimal(0)
    on_order = SupplierOrderLine.objects.filter(
        part_id=part_id,
        order__site_id=site_id,
        order__status__in=[SupplierOrderStatus.COMMANDEE, SupplierOrderStatus.PARTIELLE],
    ).aggregate(total=Sum(F("quantity") - F("received")))["total"] or Decimal(0)
    return available, on_order


def reorder_point_refresh(*, part_id: int, site_id: int) -> None:
    available, on_order = reorder_point_figures(part_id=part_id, site_id=site_id)
    ReorderPoint.objects.filter(part_id=part_id, site_id=site_id).update(
        available=available, on_order=on_order
    )


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
    require_role(actor, *(CONSUMERS if kind in (MoveKind.CONSOMMATION, MoveKind.RETOUR) else MANAGERS))
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
    require_role(actor, *CONSUMERS)
    require_site(actor, source.site)
    qty = _quantity(quantity)
    if source.pk == destination.pk:
        raise AtelierError(_("L'emplacement de départ et celui d'arrivée sont le même."), field="destination")
    if (
        actor.has_role(Role.TECHNICIEN)
        and not actor.has_role(*MANAGERS)
        and destination.site_id != source.site_id
    ):
        raise PermissionRefused(_("Un transfert entre sites est fait par le magasinier."))
    # Lock both rows in a fixed order so two opposite transfers cannot deadlock.
    for loc in sorted([source, destination], key=lambda loc: loc.pk):
        _lock_balance(part, loc)
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


# ---------------------------------------------------------------- reservations


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
    balances = StockBalance.objects.select_for_update(of=("self",)).filter(
        part=part, site=site, location__is_active=True
    )
    if location is not None:
        balances = balances.filter(location=location)
    rows = sorted(
        balances.order_by("pk").select_related("location"),
        key=lambda b: (b.location.kind != "etagere", -(b.on_hand - b.reserved)),
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
    require_role(actor, *RESERVERS)
    require_site(actor, _order_site(order_part.order))
    _usable(order_part.part)
    qty = None if quantity in (None, "") else _quantity(quantity)
    return _reserve(order_part=order_part, actor=actor, quantity=qty, partial=False, location=location)


@transaction.atomic
def reserve_for_order(*, order, actor: User) -> list[Reservation]:
    """Reserve every line of the repair order that is still missing; refused as a whole if one cannot be."""
    require_role(actor, *RESERVERS)
    require_site(actor, _order_site(order))
    made = []
    for order_part in order.parts.select_related("part").order_by("part_id", "pk"):
        _usable(order_part.part)
        made.extend(_reserve(order_part=order_part, actor=actor, quantity=None, partial=False))
    return made


@transaction.atomic
def reservation_cancel(*, reservation: Reservation, actor: User, at=None) -> Reservation:
    """Release what is left of a reservation (the consumed part stays consumed)."""
    require_role(actor, *RESERVERS)
    require_site(actor, reservation.location.site)
    fresh = Reservation.objects.select_for_update().get(pk=reservation.pk)
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
    for reservation in Reservation.objects.select_for_update().filter(
        order_part__order=order, status=ReservationStatus.ACTIVE
    ):
        _release(reservation, at=at)
        count += 1
    return count


@transaction.atomic
def consume_for_order_part(*, order_part, actor: User, quantity=None, at=None) -> list[StockMove]:
    """The technician fits the part: its reservations become exits « consommation sur dossier »."""
    require_role(actor, *CONSUMERS)
    order = order_part.order
    require_site(actor, _order_site(order))
    reservations = list(
        Reservation.objects.select_for_update()
        .filter(order_part=order_part, status=ReservationStatus.ACTIVE)
        .select_related("location", "part")
        .order_by("pk")
    )
    reserved = sum((r.remaining for r in reservations), Decimal(0))
    qty = reserved if quantity in (None, "") else _quantity(quantity)
    if qty <= 0:
        raise AtelierError(_("Aucune pièce réservée pour cette ligne : réservez-la d'abord."))
    if qty > reserved:
        raise AtelierError(
            _("Vous ne pouvez pas consommer plus que réservé (%(n)s réservée(s)).")
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
    from atelier.quotes.models import RepairOrderPart
    from atelier.stock.selectors import van_location

    require_role(actor, *CONSUMERS)
    require_site(actor, case.site)
    left = _quantity(quantity)
    moves: list[StockMove] = []
    lines = RepairOrderPart.objects.filter(order__case=case, part=part).select_related("order").order_by("pk")
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


# ---------------------------------------------------------------- supplier orders and receptions


@transaction.atomic
def supplier_order_create(
    *, actor: User, site: Site, supplier: Supplier, lines: list[tuple], note: str = "", at=None
) -> SupplierOrder:
    """An order to a supplier; lines are (part, quantity) or (part, quantity, repair_order)."""
    require_role(actor, *MANAGERS)
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
                    repair_order=order, part=order_part.part, order__status__in=["commandee", "partielle"]
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
    require_role(actor, *MANAGERS)
    require_site(actor, order.site)
    fresh = SupplierOrder.objects.select_for_update().get(pk=order.pk)
    if fresh.status in (SupplierOrderStatus.RECUE, SupplierOrderStatus.ANNULEE):
        raise AtelierError(_("Cette commande est soldée."))
    if location.site_id != fresh.site_id:
        raise AtelierError(_("L'emplacement n'est pas sur le site de la commande."), field="location")
    lines = {line.pk: line for line in fresh.lines.select_related("part")}
    todo = []
    for line_id, raw in quantities.items():
        if raw in (None, "", 0, "0"):
            continue
        line = lines.get(int(line_id))
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


def serve_waiting_cases(*, actor: User, site: Site, parts: list[Part], first_orders: list[int] = ()) -> list:
    """Reserve the received parts for the repair orders of dossiers « en attente de pièces », the order the
    parts were bought for first, then the oldest; each dossier whose parts are all there gets a note."""
    from atelier.quotes.models import RepairOrderPart
    from atelier.repairs.services import case_add_note
    from atelier.stock.selectors import order_parts_ready

    part_ids = {p.pk for p in parts}
    waiting = (
        RepairOrderPart.objects.filter(
            part_id__in=part_ids, order__case__site=site, order__case__status=CaseStatus.ATTENTE_PIECES
        )
        .select_related("order__case", "part")
        .order_by("order__created_at", "order_id", "pk")
    )
    waiting = sorted(waiting, key=lambda op: op.order_id not in set(first_orders))
    touched = {}
    for order_part in waiting:
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
    require_role(actor, *MANAGERS)
    require_site(actor, order.site)
    fresh = SupplierOrder.objects.select_for_update().get(pk=order.pk)
    if fresh.status != SupplierOrderStatus.COMMANDEE:
        raise AtelierError(_("Une commande déjà reçue (même en partie) ne s'annule plus."))
    fresh.status = SupplierOrderStatus.ANNULEE
    fresh.save(update_fields=["status"])
    for line in fresh.lines.all():
        _track(part_id=line.part_id, site_id=fresh.site_id, on_order=-line.outstanding)
    return fresh


# ---------------------------------------------------------------- inventory


@transaction.atomic
def inventory_open(
    *, actor: User, site: Site, location: StockLocation | None = None, with_lines: bool = True
) -> InventoryCount:
    """A count of a site or one location: one line per part known there, expected = on hand now (an import
    of counted quantities opens it without lines and adds only what the file lists)."""
    require_role(actor, *MANAGERS)
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
    require_role(actor, *MANAGERS)
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
    require_role(actor, *MANAGERS)
    require_site(actor, count.site)
    fresh = InventoryCount.objects.select_for_update().get(pk=count.pk)
    if fresh.status != InventoryStatus.EN_COURS:
        raise AtelierError(_("Cet inventaire est déjà validé."))
    when = at or timezone.now()
    moves = []
    for line in fresh.lines.filter(counted__isnull=False).select_related("part", "location"):
        balance = _lock_balance(line.part, line.location)
        if line.counted < balance.reserved:
            raise AtelierError(
                _(
                    "%(ref)s à %(loc)s : %(c)s comptée(s) mais %(r)s réservée(s) ; annulez d'abord des réservations."
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
