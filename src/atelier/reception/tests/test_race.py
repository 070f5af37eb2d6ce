import threading

import pytest
from django.db import connection, connections

from atelier.core.choices import Role
from atelier.core.tests.factories import SiteFactory, UserFactory
from atelier.reception.errors import QueueEmpty
from atelier.reception.models import Counter, Ticket
from atelier.reception.services import ticket_call_next, ticket_take

COUNTERS = 8
TICKETS = 120


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks are a PostgreSQL matter; SQLite serialises writers with BEGIN IMMEDIATE",
)
@pytest.mark.django_db(transaction=True)
def test_counters_calling_next_at_the_same_instant_never_get_the_same_ticket():
    """Eight counters on eight real connections call "next" at once until the queue is empty: each of the
    120 tickets is called exactly once, and each counter's calls are in the rules' order."""
    site = SiteFactory(code="RACE")
    user = UserFactory(username="race", roles=[Role.ACCUEIL], sites=[site])
    counters = [Counter.objects.create(site=site, name=f"Guichet {i}") for i in range(1, COUNTERS + 1)]
    for _ in range(TICKETS):
        ticket_take(actor=user, site=site, reason="depot")
    called: dict[int, list[int]] = {c.pk: [] for c in counters}
    errors: list[BaseException] = []
    barrier = threading.Barrier(COUNTERS)

    def worker(counter):
        try:
            barrier.wait()
            while True:
                try:
                    called[counter.pk].append(ticket_call_next(actor=user, counter=counter).pk)
                except QueueEmpty:
                    if not Ticket.objects.filter(site=site, status="en_attente").exists():
                        return
        except BaseException as exc:  # reported below, a thread must not die silently
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(c,)) for c in counters]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    everything = [pk for pks in called.values() for pk in pks]
    assert len(everything) == TICKETS
    assert sorted(everything) == sorted(Ticket.objects.filter(site=site).values_list("pk", flat=True))
    assert all(pks == sorted(pks) for pks in called.values())
    assert Ticket.objects.filter(site=site, status="appele").count() == TICKETS
    assert sum(1 for pks in called.values() if pks) > 1  # the counters really did work side by side
