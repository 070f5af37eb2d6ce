"""Counters booking the last places of a half-day at once: the capacity row lock lets exactly the capacity
through, the others are told the slot is full."""

import datetime
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from atelier.core.errors import AtelierError
from atelier.customers.models import Customer
from atelier.planning import services
from atelier.planning.models import DropOff, DropOffCapacity

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks (SELECT … FOR UPDATE) are a PostgreSQL matter; SQLite serialises writers",
    ),
    pytest.mark.django_db(transaction=True),
]

COUNTERS = 6


def test_six_counters_two_places(site, accueil):
    DropOffCapacity.objects.create(site=site, family="lave_linge", slot="matin", capacity=2)
    customers = [
        Customer.objects.create(site=site, last_name=f"Course{i}", phone=f"+3361234560{i}")
        for i in range(COUNTERS)
    ]
    day = timezone.localdate() + datetime.timedelta(days=1)
    barrier = threading.Barrier(COUNTERS)
    outcomes: list = []

    def book(customer):
        try:
            barrier.wait()
            outcomes.append(
                services.dropoff_book(
                    actor=accueil, site=site, day=day, slot="matin", family="lave_linge", customer=customer
                ).pk
            )
        except AtelierError as exc:
            outcomes.append(exc.message)
        except BaseException as exc:  # reported by the test, a thread must not die silently
            outcomes.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=book, args=(c,)) for c in customers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    booked = [o for o in outcomes if isinstance(o, int)]
    refused = [o for o in outcomes if not isinstance(o, int)]
    assert len(booked) == 2
    assert refused == [
        f"Créneau complet : 2 lave-linge déjà attendus le {day:%d/%m/%Y} (matin). Proposez une autre demi-journée."
    ] * (COUNTERS - 2)
    assert DropOff.objects.filter(day=day).count() == 2
