import datetime

import pytest

from atelier.reception import selectors, services
from atelier.reception.models import ReceptionSettings

pytestmark = pytest.mark.django_db


def at(t0, minutes):
    return t0 + datetime.timedelta(minutes=minutes)


def serve(accueil, counter, t0, start, duration, **take_kwargs):
    """A ticket taken at `start`, called at once, served `duration` minutes later."""
    ticket = take_kwargs.pop("take")(start, **take_kwargs)
    services.ticket_call(actor=accueil, ticket=ticket, counter=counter, reason="test", at=at(t0, start))
    return services.ticket_serve(actor=accueil, ticket=ticket, at=at(t0, start + duration))


def test_service_time_is_the_mean_of_the_reason_once_measured_enough(take, accueil, counter, site, t0):
    for i, duration in enumerate([4, 6, 8, 10, 12]):
        serve(accueil, counter, t0, i * 20, duration, take=take, reason="depot")
    for i in range(4):  # four measures only: not enough, the default applies
        serve(accueil, counter, t0, 200 + i * 20, 2, take=take, reason="retrait")
    assert selectors.service_minutes(site, now=at(t0, 300)) == {"depot": 8.0}
    # older than the measure window: left out
    assert selectors.service_minutes(site, now=at(t0, 15 * 24 * 60)) == {}


def test_queue_state_orders_and_estimates_each_ticket_and_a_newcomer(
    take, accueil, counter, counter2, site, handicap, t0
):
    ReceptionSettings.objects.create(site=site, default_service_minutes=5)
    for i in range(5):
        serve(accueil, counter, t0, i * 10, 9, take=take, reason="devis")
    a = take(100, reason="devis")
    b = take(101, reason="retrait")
    c = take(102, reason="depot", priority=handicap)
    state = selectors.queue_state(site, now=at(t0, 103))
    assert [t.pk for t in state.waiting] == [c.pk, a.pk, b.pk]
    # two counters: c (5 default) then a (9 measured) then b (5): 0, 5/2, 14/2, and 19/2 for a newcomer
    assert [t.expected_wait for t in state.waiting] == [0, 3, 7]
    assert (state.newcomer_wait, state.waiting_count, state.open_counters) == (10, 3, 2)


def test_display_board_shows_numbers_and_counters_only(take, accueil, counter, site, customer, t0):
    first = take(0)
    take(1)
    take(2, channel="telephone", caller_number="0611223344")
    services.ticket_call_next(actor=accueil, counter=counter)
    services.ticket_attach_customer(actor=accueil, ticket=first, customer=customer)
    board = selectors.display_board(site)
    assert board == {
        "called": [{"code": "001", "counter": "Guichet 1", "current": True}],
        "waiting": ["002"],
        "waiting_count": 1,
        "newcomer_wait": 6,
    }


def test_site_measures_over_a_day(take, accueil, counter, site, t0):
    ReceptionSettings.objects.create(site=site, wait_target_minutes=4)
    waits = [2, 4, 6, 8]
    tickets = [take(i * 60) for i in range(4)]
    for ticket, wait in zip(tickets, waits, strict=True):
        start = (ticket.arrived_at - t0).total_seconds() / 60
        services.ticket_call(
            actor=accueil, ticket=ticket, counter=counter, reason="t", at=at(t0, start + wait)
        )
    services.ticket_serve(actor=accueil, ticket=tickets[0], at=at(t0, 10))
    services.ticket_no_show(actor=accueil, ticket=tickets[1], at=at(t0, 70))
    services.ticket_redirect(actor=accueil, ticket=tickets[2], destination="atelier", at=at(t0, 130))
    call = take(30, reason="devis", channel="telephone", caller_number="masqué")
    services.ticket_redirect(actor=accueil, ticket=call, destination="constructeur", at=at(t0, 35))
    take(200, reason="achat")  # still waiting
    m = selectors.site_measures(site, date_from=t0.date(), date_to=t0.date())
    assert (m["total"], m["calls"], m["called"], m["no_shows"]) == (6, 1, 4, 1)
    assert [(p["hour"], p["count"]) for p in m["per_hour"]] == [
        (9, 2),
        (10, 1),
        (11, 1),
        (12, 2),
    ]
    assert m["per_reason"][0] == {"label": "Dépôt d'un appareil", "count": 4}
    assert (m["wait_median"], m["wait_p90"], m["target"], m["p90_over_target"]) == (5.0, 7.4, 4, True)
    assert m["no_show_rate"] == 25.0
    assert {r["label"]: r["count"] for r in m["redirected"] if r["count"]} == {
        "Atelier": 1,
        "Service technique constructeur": 1,
    }


def test_hour_chart_scales_bars_to_the_busiest_hour():
    chart = selectors.hour_chart([{"hour": 9, "count": 2}, {"hour": 10, "count": 4}], width=236, height=220)
    assert [(b["hour"], b["h"], b["y"]) for b in chart["bars"]] == [(9, 90.0, 102.0), (10, 180.0, 12.0)]
    assert chart["max"] == 4


def test_waits_read_in_minutes_then_hours():
    from atelier.reception.templatetags.reception import wait

    assert [wait(0), wait(7), wait(59), wait(60), wait(125)] == [
        "0 min",
        "7 min",
        "59 min",
        "1 h 00",
        "2 h 05",
    ]
