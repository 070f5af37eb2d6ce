"""Demo stock: suppliers, shelves and a van per technician on each site, stock of the demo parts received three
weeks ago, reorder points, a supplier order partly received, and reservations for the demo repair orders.

Everything goes through the stock services (the ledger stays the sum of its moves). Created once: a second run
finds the suppliers and does nothing.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from atelier.core.errors import AtelierError
from atelier.quotes.models import RepairOrder, RepairOrderPart
from atelier.repairs.choices import CaseStatus, WorkLocation
from atelier.repairs.models import RepairCase
from atelier.stock import selectors, services
from atelier.stock.choices import Availability
from atelier.stock.models import CodificationRule, Part, PartSupplier, StockLocation, Supplier

SUPPLIERS = (
    ("Pièces Pro Distribution", "commandes@pieces-pro.example.fr", "+33148000000"),
    ("Euro Pièces Ménager", "pro@europieces.example.fr", "+33472000000"),
    ("Reconditionnés du Rhône", "contact@recond-rhone.example.fr", "+33478000000"),
)
SHELVES = (
    ("A", "Rayon A – hydraulique et moteurs"),
    ("B", "Rayon B – électronique et écrans"),
    ("C", "Rayon C – consommables"),
)
KEEPERS = {"PAR1": "magasinier", "LYO1": "reseau"}
TECHNICIANS = {"PAR1": ("technicien", "technicien2"), "LYO1": ("technicien.lyon",)}


def _shelf_for(part: Part) -> str:
    return {"electronique": "B", "ecran": "B", "consommable": "C"}.get(part.kind, "A")


def load(*, sites, users, rng) -> dict[str, int]:
    if Supplier.objects.filter(name=SUPPLIERS[0][0]).exists():
        return {"mouvements de stock": 0}
    suppliers = [Supplier.objects.create(name=n, email=e, phone=p) for n, e, p in SUPPLIERS]
    parts = list(Part.objects.filter(is_active=True).order_by("reference"))
    three_weeks_ago = timezone.now() - datetime.timedelta(days=21)
    counts = {
        "emplacements de stock": 0,
        "mouvements de stock": 0,
        "réservations de pièces": 0,
        "commandes fournisseur": 0,
    }

    for part in parts:
        used = part.condition != "neuf"
        supplier = suppliers[2] if used else suppliers[rng.randrange(2)]
        cost = (part.price_ht * Decimal("0.6")).quantize(Decimal("0.01"))
        PartSupplier.objects.get_or_create(
            part=part,
            supplier=supplier,
            defaults={
                "supplier_ref": f"{supplier.name[:2].upper()}-{part.reference}",
                "price_ht": cost,
                "lead_time_days": part.lead_time_days or 2,
                "is_preferred": True,
            },
        )
        if part.purchase_price_ht is None:
            Part.objects.filter(pk=part.pk).update(purchase_price_ht=cost)

    for code, site in sites.items():
        keeper = users[KEEPERS[code]]
        CodificationRule.objects.get_or_create(site=site, defaults={"pattern": "{famille}-{type}-{sequence}"})
        shelves = {}
        for letter, name in SHELVES:
            shelves[letter], created = StockLocation.objects.get_or_create(
                site=site, code=letter, defaults={"name": name}
            )
            counts["emplacements de stock"] += created
        vans = services.vans_ensure(
            actor=keeper, site=site, technicians=[users[u] for u in TECHNICIANS[code] if u in users]
        )
        counts["emplacements de stock"] += len(vans)
        for part in parts:
            if not part.internal_code and code == "PAR1":
                part.internal_code = services.internal_code_next(
                    site=site,
                    family=part.family or part.reference[:2],
                    kind=part.kind,
                    condition=part.condition,
                )
                Part.objects.filter(pk=part.pk).update(internal_code=part.internal_code)
            if part.availability != Availability.EN_STOCK:
                if rng.random() < 0.5:
                    services.reorder_point_set(
                        actor=keeper, part=part, site=site, minimum=1, order_quantity=2
                    )
                continue
            quantity = rng.randint(3, 6) if code == "PAR1" else rng.randint(1, 3)
            services.move_record(
                actor=keeper,
                part=part,
                location=shelves[_shelf_for(part)],
                kind="reception",
                quantity=quantity,
                reason="Stock initial",
                at=three_weeks_ago,
            )
            counts["mouvements de stock"] += 1
            services.reorder_point_set(actor=keeper, part=part, site=site, minimum=2, order_quantity=4)
            if vans and rng.random() < 0.4:
                services.transfer(
                    actor=keeper,
                    part=part,
                    source=shelves[_shelf_for(part)],
                    destination=vans[rng.randrange(len(vans))],
                    quantity=1,
                    reason="Dotation du véhicule",
                    at=three_weeks_ago + datetime.timedelta(hours=2),
                )
                counts["mouvements de stock"] += 2

        # Reservations for the repair orders whose parts are on the shelf; an order to the supplier for the
        # others (dossiers waiting for parts), partly received so the page of orders has a bit of everything.
        waiting = []
        for order in (
            RepairOrder.objects.filter(case__site=site).select_related("case").order_by("created_at")
        ):
            if order.case.status in (CaseStatus.EN_ATELIER, CaseStatus.PLANIFIE, CaseStatus.EN_REPARATION):
                try:
                    counts["réservations de pièces"] += len(
                        services.reserve_for_order(order=order, actor=keeper)
                    )
                except AtelierError:
                    continue
            elif order.case.status == CaseStatus.ATTENTE_PIECES:
                waiting.append(order)
        for index, order in enumerate(waiting[:3]):
            try:
                services.supplier_order_for_repair_order(
                    actor=keeper, order=order, supplier=suppliers[index % 2]
                )
            except AtelierError:
                continue
            counts["commandes fournisseur"] += 1
        # A replenishment order from the parts-to-order page, partly received: parts no waiting dossier needs
        # (a reception serves waiting dossiers first and would write on their timelines).
        needed = set(RepairOrderPart.objects.filter(order__in=waiting).values_list("part_id", flat=True))
        low = [r for r in selectors.parts_to_order(site) if r.part_id not in needed][:3]
        catalogue = Part.objects.in_bulk([r.part_id for r in low])
        lines = [(catalogue[r.part_id], r.suggested) for r in low]
        if len(lines) >= 2:
            replenishment = services.supplier_order_create(
                actor=keeper, site=site, supplier=suppliers[0], lines=lines, at=three_weeks_ago
            )
            counts["commandes fournisseur"] += 1
            first = replenishment.lines.order_by("pk").first()
            services.supplier_order_receive(
                actor=keeper,
                order=replenishment,
                location=shelves["A"],
                quantities={first.pk: first.quantity},
            )
            counts["mouvements de stock"] += 1
        counts["pièces posées"] = counts.get("pièces posées", 0) + _fitted(site, shelves, keeper)
    return counts


def _fitted(site, shelves, keeper) -> int:
    """The parts of the accepted quote fitted on the dossiers repaired but not yet invoiced: received for the
    dossier the day before the repair (put in the technician's van for a home visit), consumed at the repair.
    The counter can then issue their invoice, which checks the parts used against the signed quote."""
    from atelier.billing.selectors import accepted_quote, quoted_parts

    fitted = 0
    cases = (
        RepairCase.objects.filter(
            site=site, status__in=[CaseStatus.REPARE, CaseStatus.PRET], technician__isnull=False
        )
        .select_related("technician")
        .order_by("pk")
    )
    for case in cases:
        quote = accepted_quote(case)
        repaired = case.events.filter(to_status=CaseStatus.REPARE).order_by("-at").first()
        if quote is None or repaired is None or selectors.consumed_on_case(case):
            continue
        wanted = quoted_parts(quote)
        parts = Part.objects.in_bulk(list(wanted))
        van = selectors.van_location(case.technician, site)
        received = repaired.at - datetime.timedelta(days=1)
        try:
            with transaction.atomic():  # all the dossier's parts, or none
                for part_id, quantity in wanted.items():
                    part, shelf = parts[part_id], shelves[_shelf_for(parts[part_id])]
                    reason = f"Pour le dossier {case.number}"
                    services.move_record(
                        actor=keeper,
                        part=part,
                        location=shelf,
                        kind="reception",
                        quantity=quantity,
                        reason=reason,
                        at=received,
                    )
                    where = shelf
                    if case.location == WorkLocation.DOMICILE and van is not None:
                        services.transfer(
                            actor=keeper,
                            part=part,
                            source=shelf,
                            destination=van,
                            quantity=quantity,
                            reason=reason,
                            at=received + datetime.timedelta(hours=1),
                        )
                        where = van
                    services.move_record(
                        actor=case.technician,
                        part=part,
                        location=where,
                        kind="consommation",
                        quantity=quantity,
                        reason=f"Pièce posée (dossier {case.number})",
                        case=case,
                        at=repaired.at,
                    )
        except AtelierError:
            continue
        fitted += len(wanted)
    return fitted
