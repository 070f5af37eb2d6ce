"""The rules of the queue as pure functions, shared by the services, the selectors and the property tests.

Order: a ticket is ranked at its arrival time minus the advance (boost) of its priority rule, ties broken by
arrival order (pk). Since a boost is at most MAX_BOOST_MINUTES, a ticket is never called after one that arrived
more than MAX_BOOST_MINUTES after it: the starvation bound documented in docs/reception.md.

Wait: the expected wait of a ticket is the measured service time of every ticket ahead of it, shared among the
open counters.
"""

import datetime
import math
from collections.abc import Iterable, Mapping, Sequence


def rank_at(arrived_at: datetime.datetime, boost_minutes: int) -> datetime.datetime:
    return arrived_at - datetime.timedelta(minutes=boost_minutes)


def queue_order(tickets: Iterable, *, rank=lambda t: t.rank_at, key=lambda t: t.pk) -> list:
    """The waiting tickets in the order they are to be called."""
    return sorted(tickets, key=lambda t: (rank(t), key(t)))


def expected_waits(
    reasons: Sequence[str], *, service_minutes: Mapping[str, float], default_minutes: float, counters: int
) -> list[int]:
    """Expected wait in whole minutes (rounded up) of each ticket of a queue given in call order, followed by
    the expected wait of a newcomer (one more item than `reasons`)."""
    counters = max(1, counters)
    waits: list[int] = []
    ahead = 0.0
    for reason in reasons:
        waits.append(math.ceil(round(ahead / counters, 6)))
        ahead += service_minutes.get(reason, default_minutes)
    waits.append(math.ceil(round(ahead / counters, 6)))
    return waits


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0–100) by linear interpolation between closest ranks; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    low = math.floor(pos)
    high = math.ceil(pos)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)
