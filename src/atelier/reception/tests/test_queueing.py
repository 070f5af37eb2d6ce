"""Property tests of the queue rules: whatever the arrivals, every ticket is called, a priority never makes
anyone wait behind a ticket that arrived more than MAX_BOOST_MINUTES after them, and estimates are sane."""

import datetime
import math

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atelier.core.models import NumberSequence
from atelier.reception import services
from atelier.reception.models import MAX_BOOST_MINUTES, Ticket
from atelier.reception.queueing import expected_waits, percentile, queue_order, rank_at

T0 = datetime.datetime(2026, 3, 10, 8, 0, tzinfo=datetime.UTC)
BOOSTS = st.sampled_from([0, 0, 0, 5, 20, MAX_BOOST_MINUTES])

# A day at the counter: arrivals (minute, boost) and, between them, how many customers the counters call.
arrivals = st.lists(st.tuples(st.integers(0, 600), BOOSTS), min_size=1, max_size=60)
calls_between = st.lists(st.integers(0, 3), min_size=60, max_size=60)


class T:
    def __init__(self, pk, minute, boost):
        self.pk, self.minute, self.boost = pk, minute, boost
        self.arrived_at = T0 + datetime.timedelta(minutes=minute)
        self.rank_at = rank_at(self.arrived_at, boost)


def simulate(arrived: list[tuple[int, int]], calls: list[int]) -> list[T]:
    """Arrivals in time order; after each one the counters call some customers; at closing time they call
    everyone left. Returns the tickets in the order they were called."""
    tickets = [T(pk, minute, boost) for pk, (minute, boost) in enumerate(sorted(arrived), start=1)]
    waiting: list[T] = []
    called: list[T] = []
    for ticket, n in zip(tickets, calls, strict=False):
        waiting.append(ticket)
        for _ in range(n):
            if waiting:
                nxt = queue_order(waiting)[0]
                waiting.remove(nxt)
                called.append(nxt)
    called.extend(queue_order(waiting))
    return called


@given(arrivals, calls_between)
def test_every_ticket_is_called_exactly_once(arrived, calls):
    called = simulate(arrived, calls)
    assert sorted(t.pk for t in called) == list(range(1, len(arrived) + 1))


@given(arrivals, calls_between)
def test_no_ticket_is_called_after_one_that_arrived_more_than_the_bound_later(arrived, calls):
    called = simulate(arrived, calls)
    for i, earlier_called in enumerate(called):
        for later_called in called[i + 1 :]:
            assert earlier_called.arrived_at - later_called.arrived_at <= datetime.timedelta(
                minutes=MAX_BOOST_MINUTES
            )


@given(arrivals, calls_between)
def test_without_priorities_it_is_first_come_first_served(arrived, calls):
    called = simulate([(minute, 0) for minute, _ in arrived], calls)
    assert [t.pk for t in called] == sorted(t.pk for t in called)


service = st.dictionaries(st.sampled_from(["depot", "retrait", "devis"]), st.floats(0.5, 60), max_size=3)
reasons = st.lists(st.sampled_from(["depot", "retrait", "devis", "achat"]), max_size=40)


@given(reasons, service, st.integers(1, 30), st.integers(1, 50))
def test_expected_waits_start_at_zero_grow_along_the_queue_and_end_with_the_newcomer(
    queue, measured, default, counters
):
    waits = expected_waits(queue, service_minutes=measured, default_minutes=default, counters=counters)
    assert len(waits) == len(queue) + 1
    assert waits[0] == 0
    assert waits == sorted(waits)
    total = sum(measured.get(r, default) for r in queue)
    assert waits[-1] == math.ceil(round(total / counters, 6))


@given(reasons, service, st.integers(1, 30), st.integers(1, 49))
def test_an_extra_counter_never_lengthens_a_wait(queue, measured, default, counters):
    fewer = expected_waits(queue, service_minutes=measured, default_minutes=default, counters=counters)
    more = expected_waits(queue, service_minutes=measured, default_minutes=default, counters=counters + 1)
    assert all(m <= f for m, f in zip(more, fewer, strict=True))


@given(st.lists(st.floats(0, 1000), min_size=1, max_size=50))
def test_percentiles_lie_between_the_extremes_in_order(values):
    p50, p90 = percentile(values, 50), percentile(values, 90)
    assert min(values) <= p50 <= p90 <= max(values)


def test_percentile_of_nothing_is_none_and_of_known_values_exact():
    assert percentile([], 90) is None
    assert percentile([2, 4, 6, 8], 50) == 5.0
    assert percentile([2, 4, 6, 8], 90) == pytest.approx(7.4)


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.tuples(st.integers(0, 120), st.sampled_from([None, "handicap", "rendez-vous"])), max_size=12)
)
def test_call_next_in_the_database_follows_the_same_order(site, accueil, counter, rules, arrived):
    Ticket.objects.all().delete()
    NumberSequence.objects.all().delete()
    taken = [
        services.ticket_take(
            actor=accueil,
            site=site,
            reason="depot",
            priority=rules.get(code),
            at=datetime.datetime(2026, 3, 10, 9, 0, tzinfo=timezone.get_current_timezone())
            + datetime.timedelta(minutes=minute),
        )
        for minute, code in arrived
    ]
    expected = [t.pk for t in queue_order(taken)]
    called = [services.ticket_call_next(actor=accueil, counter=counter).pk for _ in taken]
    assert called == expected
