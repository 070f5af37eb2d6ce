"""Catalogue, ledger, reservations, supplier orders and inventory: exact quantities, French refusals."""

from decimal import Decimal as D

import pytest

from atelier.core.errors import AtelierError, PermissionRefused
from atelier.repairs.models import CaseEvent
from atelier.stock import services
from atelier.stock.choices import PartStatus, ReservationStatus, SupplierOrderStatus
from atelier.stock.models import CodificationRule, PartSupplier, Reservation, StockBalance, StockMove
from atelier.stock.selectors import parts_to_order, stock_level


def _receive(actor, part, location, qty):
    return services.move_record(
        actor=actor, part=part, location=location, kind="reception", quantity=qty, reason=""
    )


def _balance(part, location):
    b = StockBalance.objects.get(part=part, location=location)
    return (b.on_hand, b.reserved)


# ---------------------------------------------------------------- catalogue


def test_a_new_reference_gets_its_internal_code_and_waits_for_a_second_person(site, magasinier, magasinier2):
    CodificationRule.objects.create(
        site=site, pattern="{famille}-{type}-{etat}-{sequence}", sequence_digits=4
    )
    part = services.part_create(
        actor=magasinier,
        site=site,
        reference=" bsh-00145212 ",
        designation="Pompe de vidange",
        price_ht=D("48.90"),
        purchase_price_ht=D("29.10"),
        kind="moteur",
        family="lave_linge",
        compatible_brands="Bosch, Siemens",
        other_references=[("145212", "Bosch", False), ("EQ-145212", "Universel", True)],
    )
    assert (part.reference, part.internal_code, part.status) == ("BSH-00145212", "LL-MOT-N-0001", "a_valider")
    assert sorted(part.references.values_list("reference", "is_equivalent")) == [
        ("145212", False),
        ("EQ-145212", True),
    ]
    with pytest.raises(AtelierError, match="deuxième personne"):
        services.move_record(
            actor=magasinier, part=part, location=_shelf(site), kind="reception", quantity=1, reason=""
        )
    with pytest.raises(AtelierError, match="Une autre personne que son auteur"):
        services.part_validate(part=part, actor=magasinier)
    part = services.part_validate(part=part, actor=magasinier2)
    assert (part.status, part.validated_by) == (PartStatus.VALIDEE, magasinier2)
    second = services.part_create(
        actor=magasinier, site=site, reference="X-2", designation="Joint", price_ht=1, kind="consommable"
    )
    assert second.internal_code == "GE-CON-N-0002"


def _shelf(site):
    from atelier.stock.models import StockLocation

    return StockLocation.objects.get_or_create(site=site, code="A1", defaults={"name": "A1"})[0]


def test_duplicate_reference_and_used_part_without_grade_are_refused(site, magasinier, pump):
    with pytest.raises(AtelierError, match="La référence POMPE-123 existe déjà."):
        services.part_create(actor=magasinier, site=site, reference="pompe-123", designation="X", price_ht=1)
    with pytest.raises(AtelierError, match="grade"):
        services.part_create(
            actor=magasinier, site=site, reference="P-OCC", designation="X", price_ht=1, condition="occasion"
        )


def test_technician_cannot_create_a_reference_but_reports_an_anomaly(site, technicien, magasinier, pump):
    with pytest.raises(PermissionRefused, match="rôle ne permet pas"):
        services.part_create(actor=technicien, site=site, reference="P-9", designation="X", price_ht=1)
    anomaly = services.anomaly_report(
        part=pump, actor=technicien, site=site, description="Photo d'une autre pompe"
    )
    services.anomaly_resolve(anomaly=anomaly, actor=magasinier, resolution="Photo corrigée")
    anomaly.refresh_from_db()
    assert anomaly.resolved_by == magasinier


def test_supplier_link_keeps_ref_price_and_lead_time(pump, supplier, magasinier):
    services.part_supplier_set(
        part=pump,
        actor=magasinier,
        supplier=supplier,
        supplier_ref="PP-145",
        price_ht=D("27.50"),
        lead_time_days=3,
    )
    assert list(PartSupplier.objects.values_list("supplier_ref", "price_ht", "lead_time_days")) == [
        ("PP-145", D("27.50"), 3)
    ]


# ---------------------------------------------------------------- ledger


def test_moves_keep_the_balance_and_refuse_bad_quantities(pump, shelf, van, magasinier, technicien):
    _receive(magasinier, pump, shelf, 5)
    services.transfer(actor=technicien, part=pump, source=shelf, destination=van, quantity=2)
    services.move_record(
        actor=magasinier, part=pump, location=shelf, kind="rebut", quantity=1, reason="Cassée"
    )
    assert (_balance(pump, shelf), _balance(pump, van)) == ((D(2), D(0)), (D(2), D(0)))
    assert list(StockMove.objects.order_by("pk").values_list("kind", "quantity")) == [
        ("reception", D(5)),
        ("transfert", D(-2)),
        ("transfert", D(2)),
        ("rebut", D(-1)),
    ]
    for qty, message in [(-1, "positive"), ("abc", "nombre"), (0, "positive"), ("1.234", "deux décimales")]:
        with pytest.raises(AtelierError, match=message):
            _receive(magasinier, pump, shelf, qty)
    with pytest.raises(AtelierError, match="L'emplacement de départ et celui d'arrivée sont le même."):
        services.transfer(actor=magasinier, part=pump, source=shelf, destination=shelf, quantity=1)
    with pytest.raises(
        AtelierError, match="Stock insuffisant de POMPE-123 à l'emplacement A1 : 2 disponible"
    ):
        services.move_record(
            actor=magasinier, part=pump, location=shelf, kind="rebut", quantity=3, reason="x"
        )
    with pytest.raises(AtelierError, match="motif"):
        services.move_record(
            actor=magasinier, part=pump, location=shelf, kind="rebut", quantity=1, reason=" "
        )
    assert StockMove.objects.count() == 4


def test_other_site_is_refused(pump, other_shelf, magasinier):
    with pytest.raises(PermissionRefused, match="ne fait pas partie des vôtres"):
        _receive(magasinier, pump, other_shelf, 1)


def test_return_more_than_consumed_is_refused(make_order, pump, shelf, magasinier, technicien):
    order = make_order([(pump, 1)])
    with pytest.raises(AtelierError, match="consommé sur le dossier \\(0\\)"):
        services.move_record(
            actor=technicien,
            part=pump,
            location=shelf,
            kind="retour",
            quantity=1,
            reason="x",
            case=order.case,
        )


# ---------------------------------------------------------------- reservations


def test_reserve_consume_and_cancel(make_order, pump, shelf, shelf2, magasinier, technicien, site):
    _receive(magasinier, pump, shelf, 1)
    _receive(magasinier, pump, shelf2, 2)
    order = make_order([(pump, 2)])
    line = order.parts.get()
    made = services.reserve_for_order_part(order_part=line, actor=magasinier)
    assert sorted((r.location.code, r.quantity) for r in made) == [("B2", D(2))]
    assert stock_level(pump, site) == {"on_hand": D(3), "reserved": D(2), "available": D(1)}
    with pytest.raises(AtelierError, match="L'ordre n'a besoin que de 0 × POMPE-123 de plus."):
        services.reserve_for_order_part(order_part=line, actor=magasinier, quantity=1)
    with pytest.raises(
        AtelierError, match="Vous ne pouvez pas consommer plus que la quantité réservée \\(2\\)."
    ):
        services.consume_for_order_part(order_part=line, actor=technicien, quantity=3)
    services.consume_for_order_part(order_part=line, actor=technicien, quantity=1)
    assert _balance(pump, shelf2) == (D(1), D(1))
    reservation = Reservation.objects.get()
    services.reservation_cancel(reservation=reservation, actor=magasinier)
    reservation.refresh_from_db()
    assert (reservation.status, reservation.quantity, reservation.consumed) == (
        ReservationStatus.CONSOMMEE,
        1,
        1,
    )
    assert stock_level(pump, site) == {"on_hand": D(2), "reserved": D(0), "available": D(2)}
    move = StockMove.objects.get(kind="consommation")
    assert (move.quantity, move.case, move.repair_order, move.reason) == (
        D(-1),
        order.case,
        order,
        "Ordre " + order.number,
    )


def test_reserve_refuses_more_than_available_and_writes_nothing(make_order, pump, belt, shelf, magasinier):
    _receive(magasinier, pump, shelf, 1)
    order = make_order([(pump, 1), (belt, 1)])
    with pytest.raises(
        AtelierError, match="Plus assez de COURROIE-1 disponible sur le site PAR1 : 0 disponible"
    ):
        services.reserve_for_order(order=order, actor=magasinier)
    assert Reservation.objects.count() == 0
    assert _balance(pump, shelf) == (D(1), D(0))


def test_reserved_parts_cannot_leave_by_another_way(make_order, pump, shelf, van, magasinier):
    _receive(magasinier, pump, shelf, 1)
    services.reserve_for_order(order=make_order([(pump, 1)]), actor=magasinier)
    with pytest.raises(AtelierError, match="0 disponible"):
        services.transfer(actor=magasinier, part=pump, source=shelf, destination=van, quantity=1)


# ---------------------------------------------------------------- supplier orders


def test_partial_reception_serves_the_oldest_waiting_dossier_first(
    make_order, pump, shelf, supplier, magasinier, site
):
    older = make_order([(pump, 1)])
    newer = make_order([(pump, 2)])
    order = services.supplier_order_for_repair_order(actor=magasinier, order=newer, supplier=supplier)
    assert order.number.startswith("CF-PAR1-") and order.number.endswith("-000001")
    line = order.lines.get()
    assert (line.quantity, line.repair_order) == (D(2), newer)
    result = services.supplier_order_receive(
        actor=magasinier, order=order, location=shelf, quantities={line.pk: 1}
    )
    order.refresh_from_db()
    assert order.status == SupplierOrderStatus.PARTIELLE
    # The unit bought for `newer` goes to it first, even though `older` waits too.
    assert result["served"] == []
    assert Reservation.objects.get().order_part.order == newer
    result = services.supplier_order_receive(
        actor=magasinier, order=order, location=shelf, quantities={line.pk: "1"}
    )
    assert [c.pk for c in result["served"]] == [newer.case.pk]
    assert CaseEvent.objects.filter(case=newer.case, kind="note").last().note == (
        f"Pièces reçues et réservées pour l'ordre {newer.number} : le dossier peut reprendre."
    )
    order.refresh_from_db()
    assert order.status == SupplierOrderStatus.RECUE
    with pytest.raises(AtelierError, match="soldée"):
        services.supplier_order_receive(
            actor=magasinier, order=order, location=shelf, quantities={line.pk: 1}
        )
    # A stock order (for no dossier in particular) serves the oldest waiting dossier.
    third = make_order([(pump, 1)])
    stock_order = services.supplier_order_create(
        actor=magasinier, site=site, supplier=supplier, lines=[(pump, 1)]
    )
    result = services.supplier_order_receive(
        actor=magasinier, order=stock_order, location=shelf, quantities={stock_order.lines.get().pk: 1}
    )
    assert [c.pk for c in result["served"]] == [older.case.pk]
    assert not Reservation.objects.filter(order_part__order=third).exists()


def test_reception_over_the_outstanding_quantity_is_refused(pump, shelf, supplier, magasinier, site):
    order = services.supplier_order_create(actor=magasinier, site=site, supplier=supplier, lines=[(pump, 2)])
    line = order.lines.get()
    with pytest.raises(AtelierError, match="POMPE-123 : 3 reçue\\(s\\) mais 2 restant à recevoir."):
        services.supplier_order_receive(
            actor=magasinier, order=order, location=shelf, quantities={line.pk: 3}
        )
    assert StockMove.objects.count() == 0


def test_parts_to_order_counts_available_and_on_order(pump, belt, shelf, supplier, magasinier, site):
    from atelier.stock.models import ReorderPoint

    ReorderPoint.objects.create(part=pump, site=site, minimum=3, order_quantity=5)
    ReorderPoint.objects.create(part=belt, site=site, minimum=2, order_quantity=1)
    _receive(magasinier, pump, shelf, 1)
    rows = parts_to_order(site)
    assert [(r.part.reference, r.available, r.on_order, r.suggested) for r in rows] == [
        ("COURROIE-1", D(0), D(0), D(2)),
        ("POMPE-123", D(1), D(0), D(5)),
    ]
    services.supplier_order_create(actor=magasinier, site=site, supplier=supplier, lines=[(pump, 5)])
    assert [r.part.reference for r in parts_to_order(site)] == ["COURROIE-1"]


# ---------------------------------------------------------------- inventory


def test_inventory_posts_the_differences_after_validation(pump, belt, shelf, magasinier, site):
    _receive(magasinier, pump, shelf, 4)
    count = services.inventory_open(actor=magasinier, site=site, location=shelf)
    assert list(count.lines.values_list("part__reference", "expected")) == [("POMPE-123", D(4))]
    services.inventory_count_line(actor=magasinier, count=count, part=pump, location=shelf, counted=3)
    services.inventory_count_line(actor=magasinier, count=count, part=belt, location=shelf, counted="2")
    assert StockMove.objects.filter(kind="inventaire").count() == 0
    with pytest.raises(AtelierError, match="positive"):
        services.inventory_count_line(actor=magasinier, count=count, part=belt, location=shelf, counted=-1)
    moves = services.inventory_validate(actor=magasinier, count=count)
    assert sorted((m.part.reference, m.quantity) for m in moves) == [
        ("COURROIE-1", D(2)),
        ("POMPE-123", D(-1)),
    ]
    assert (_balance(pump, shelf), _balance(belt, shelf)) == ((D(3), D(0)), (D(2), D(0)))
    with pytest.raises(AtelierError, match="déjà validé"):
        services.inventory_validate(actor=magasinier, count=count)


def test_a_part_fitted_on_a_bench_job_takes_its_reservation_first_then_the_fullest_shelf(
    make_order, pump, shelf, shelf2, magasinier, technicien, site
):
    _receive(magasinier, pump, shelf, 1)
    _receive(magasinier, pump, shelf2, 3)
    order = make_order([(pump, 1)])
    services.reserve_for_order_part(order_part=order.parts.get(), actor=magasinier)  # 1 reserved on B2
    moves = services.consume_for_case(actor=technicien, case=order.case, part=pump, quantity=3)
    assert [(m.location.code, m.quantity, m.repair_order_id) for m in moves] == [
        ("B2", D(-1), order.pk),
        ("B2", D(-2), None),
    ]
    assert (_balance(pump, shelf), _balance(pump, shelf2)) == ((D(1), D(0)), (D(0), D(0)))
    with pytest.raises(AtelierError, match="Il manque 1 × POMPE-123") as exc:
        services.consume_for_case(actor=technicien, case=order.case, part=pump, quantity=2)
    assert exc.value.message == (
        "Il manque 1 × POMPE-123 (stock de l'atelier) : réservez la pièce ou faites-la transférer avant de la "
        "noter comme posée."
    )
    assert _balance(pump, shelf) == (D(1), D(0))  # all or nothing: the one on A1 is still there


def test_a_new_reorder_point_starts_from_the_sites_figures(
    pump, shelf, supplier, magasinier, technicien, site
):
    _receive(magasinier, pump, shelf, 3)
    services.supplier_order_create(actor=magasinier, site=site, supplier=supplier, lines=[(pump, 2)])
    point = services.reorder_point_set(actor=magasinier, part=pump, site=site, minimum=5, order_quantity=4)
    assert (point.available, point.on_order, point.minimum) == (D(3), D(2), D(5))
    point = services.reorder_point_set(actor=magasinier, part=pump, site=site, minimum=1, order_quantity=4)
    assert (point.available, point.minimum) == (D(3), D(1))
    with pytest.raises(PermissionRefused, match="rôle"):
        services.reorder_point_set(actor=technicien, part=pump, site=site, minimum=1, order_quantity=1)
