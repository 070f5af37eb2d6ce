"""Ledger invariants under any sequence of operations: on hand = sum of the moves, reserved = what active
reservations hold, available never below zero; a refused operation writes nothing."""

from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atelier.core.errors import AtelierError
from atelier.stock import selectors, services
from atelier.stock.choices import ReservationStatus
from atelier.stock.models import ReorderPoint, Reservation, StockBalance, StockMove

operations = st.lists(
    st.one_of(
        st.tuples(st.just("receive"), st.integers(0, 1), st.integers(-1, 4)),
        st.tuples(st.just("scrap"), st.integers(0, 1), st.integers(0, 4)),
        st.tuples(st.just("transfer"), st.integers(0, 1), st.integers(0, 4)),
        st.tuples(st.just("reserve"), st.integers(0, 2), st.integers(0, 3)),
        st.tuples(st.just("consume"), st.integers(0, 2), st.integers(0, 3)),
        st.tuples(st.just("cancel"), st.integers(0, 2), st.integers(0, 0)),
        st.tuples(st.just("count"), st.integers(0, 1), st.integers(0, 4)),
    ),
    max_size=14,
)


def _check_invariants():
    for point in ReorderPoint.objects.all():
        figures = selectors.reorder_point_figures(part_id=point.part_id, site_id=point.site_id)
        assert (point.available, point.on_order) == figures
    for balance in StockBalance.objects.all():
        moved = StockMove.objects.filter(part=balance.part_id, location=balance.location_id).aggregate(
            s=Sum("quantity")
        )["s"] or Decimal(0)
        held = sum(
            r.remaining
            for r in Reservation.objects.filter(
                part=balance.part_id, location=balance.location_id, status=ReservationStatus.ACTIVE
            )
        )
        assert balance.on_hand == moved
        assert balance.reserved == held
        assert balance.on_hand - balance.reserved >= 0


@pytest.fixture
def orders(make_order, pump, site):
    ReorderPoint.objects.create(part=pump, site=site, minimum=2, order_quantity=3)
    return [make_order([(pump, qty)]) for qty in (1, 2, 3)]


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations)
def test_any_sequence_of_operations_keeps_the_ledger_consistent(
    pump, shelf, shelf2, magasinier, technicien, site, orders, ops
):
    locations = [shelf, shelf2]
    with transaction.atomic():
        for op, index, qty in ops:
            moves_before = StockMove.objects.count()
            try:
                with transaction.atomic():
                    if op == "receive":
                        services.move_record(
                            actor=magasinier,
                            part=pump,
                            location=locations[index],
                            kind="reception",
                            quantity=qty,
                            reason="",
                        )
                    elif op == "scrap":
                        services.move_record(
                            actor=magasinier,
                            part=pump,
                            location=locations[index],
                            kind="rebut",
                            quantity=qty,
                            reason="Abîmée",
                        )
                    elif op == "transfer":
                        services.transfer(
                            actor=magasinier,
                            part=pump,
                            source=locations[index],
                            destination=locations[1 - index],
                            quantity=qty,
                        )
                    elif op == "reserve":
                        services.reserve_for_order_part(
                            order_part=orders[index].parts.get(), actor=magasinier, quantity=qty or None
                        )
                    elif op == "consume":
                        services.consume_for_order_part(
                            order_part=orders[index].parts.get(), actor=technicien, quantity=qty or None
                        )
                    elif op == "cancel":
                        for r in Reservation.objects.filter(
                            order_part__order=orders[index], status=ReservationStatus.ACTIVE
                        ):
                            services.reservation_cancel(reservation=r, actor=magasinier)
                    elif op == "count":
                        count = services.inventory_open(
                            actor=magasinier, site=site, location=locations[index]
                        )
                        services.inventory_count_line(
                            actor=magasinier, count=count, part=pump, location=locations[index], counted=qty
                        )
                        services.inventory_validate(actor=magasinier, count=count)
            except AtelierError:
                assert StockMove.objects.count() == moves_before
            _check_invariants()
        transaction.set_rollback(True)
