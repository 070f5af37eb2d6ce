import threading

import pytest
from django.db import connection, connections

from atelier.core.services import sequence_next
from atelier.core.tests.factories import SiteFactory


def test_sequence_counts_per_site_kind_and_year(site, other_site):
    assert [sequence_next(site=site, kind="dossier", year=2026) for _ in range(3)] == [1, 2, 3]
    assert sequence_next(site=site, kind="dossier", year=2027) == 1
    assert sequence_next(site=site, kind="facture", year=2026) == 1
    assert sequence_next(site=other_site, kind="dossier", year=2026) == 1
    assert sequence_next(site=site, kind="dossier", year=2026) == 4


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks are a PostgreSQL matter; SQLite serialises writers with BEGIN IMMEDIATE",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_counters_never_hand_out_the_same_number_twice():
    """Eight real connections take 25 numbers each at once: 200 distinct numbers, no gap."""
    site = SiteFactory(code="RACE")
    taken: list[int] = []
    lock = threading.Lock()
    barrier = threading.Barrier(8)
    errors: list[BaseException] = []

    def worker():
        try:
            barrier.wait()
            for _ in range(25):
                value = sequence_next(site=site, kind="dossier", year=2026)
                with lock:
                    taken.append(value)
        except BaseException as exc:  # reported below, a thread must not die silently
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(taken) == list(range(1, 201))
