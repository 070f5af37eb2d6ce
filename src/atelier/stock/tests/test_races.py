"""Twenty counters and technicians reserve the last five pumps at once: exactly five get one."""

import threading

import pytest
from django.db import connection, connections

from atelier.core.errors import AtelierError
from atelier.stock import services
from atelier.stock.models import Reservation, StockBalance


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks are a PostgreSQL matter; SQLite serialises writers with BEGIN IMMEDIATE",
)
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_reservations_for_five_units(make_order, pump, shelf, shelf2, magasinier):
    services.move_record(actor=magasinier, part=pump, location=shelf, kind="reception", quantity=3, reason="")
    services.move_record(
        actor=magasinier, part=pump, location=shelf2, kind="reception", quantity=2, reason=""
    )
    order = make_order([(pump, 1)] * 20)
    lines = list(order.parts.all())
    barrier = threading.Barrier(20)
    lock = threading.Lock()
    succeeded, refused, errors = [], [], []

    def worker(line):
        try:
            barrier.wait()
            services.reserve_for_order_part(order_part=line, actor=magasinier)
            with lock:
                succeeded.append(line.pk)
        except AtelierError as exc:
            with lock:
                refused.append(exc.message)
        except BaseException as exc:  # reported below, a thread must not die silently
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(line,)) for line in lines]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(succeeded) == 5
    assert len(refused) == 15
    assert set(refused) == {
        "Plus assez de POMPE-123 disponible sur le site PAR1 : 0 disponible(s), 1 demandée(s)."
    }
    assert Reservation.objects.count() == 5
    assert sorted(StockBalance.objects.values_list("on_hand", "reserved")) == [(2, 2), (3, 3)]
