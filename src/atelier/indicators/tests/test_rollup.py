"""The roll-up (RollupFigures): month rows for the whole months of a period, day rows for its edges, rebuilt by
the nightly job from the day rows; the pages read it and must give exactly what the live computation gives."""

import datetime

import pytest
from django.db.models import Sum

from atelier.indicators import aggregate
from atelier.indicators.aggregate import Scope
from atelier.indicators.models import DailyFigures, RollupFigures
from atelier.indicators.tests.handbuilt import make_world

pytestmark = pytest.mark.django_db

D = datetime.date
GROUPS = (None, "location", "month", "site", "family", "technician")
PERIODS = {
    "month boundary inside": (D(2025, 2, 15), D(2025, 3, 31)),  # 14 days of February, March whole
    "whole months": (D(2025, 2, 1), D(2025, 3, 31)),
    "one whole month": (D(2025, 3, 1), D(2025, 3, 31)),
    "edges only": (D(2025, 2, 25), D(2025, 3, 8)),
    # month rows minus the few day rows outside: February minus 01–02/02; March minus 30–31/03
    "month minus its first days": (D(2025, 2, 3), D(2025, 3, 31)),
    "month minus its last days": (D(2025, 3, 1), D(2025, 3, 29)),
    # March minus 01–07/03: C3's reason of « non réparable » is taken off entirely (absent, not 0)
    "a reason taken off": (D(2025, 3, 8), D(2025, 3, 31)),
}


@pytest.fixture
def world():
    return make_world()


def _everything(scope: Scope, period) -> dict:
    return {
        group: dict(
            aggregate.figures(scope, *period, group=group, distributions=group in (None, "location", "site"))
        )
        for group in GROUPS
    }


def test_the_rollup_holds_exact_month_and_day_rows(world):
    site = world["site"].pk
    aggregate.refresh_range(site, D(2025, 2, 1), D(2025, 3, 31))
    march = RollupFigures.objects.filter(site_id=site, span="mois", start=D(2025, 3, 1), dimension="")
    assert sorted(march.values_list("location", "received", "finished", "repaired", "ftf_returned")) == [
        ("atelier", 4, 4, 2, 1),  # received C1, C3, C4, C5; back C1, C3, C4, C6; C1 came back
        ("domicile", 1, 1, 1, 0),  # C2
    ]
    workshop = march.get(location="atelier")
    assert workshop.turnaround == {"3": 2, "7": 1, "10": 1}  # C3, C4: 3 days; C1: 7; C6: 10
    assert workshop.reasons == {"Pièce introuvable": 1}
    assert workshop.causes == {"Pompe de vidange bloquée": 1}
    february = RollupFigures.objects.get(site_id=site, span="mois", start=D(2025, 2, 1), dimension="")
    assert (february.received, february.finished) == (1, 0)  # C6 received on 20/02
    # by technician: T1 handed back C1, C3, C6; T2 C2, C4
    by_tech = dict(
        RollupFigures.objects.filter(site_id=site, span="mois", start=D(2025, 3, 1), dimension="technicien")
        .values("value")
        .annotate(n=Sum("finished"))
        .values_list("value", "n")
    )
    assert by_tech == {str(world["t1"].pk): 3, str(world["t2"].pk): 2}
    # the month rows are the sums of the day rows
    days = RollupFigures.objects.filter(site_id=site, span="jour", start__month=3, dimension="")
    assert days.aggregate(n=Sum("finished"))["n"] == 5
    assert days.filter(start=D(2025, 3, 10)).get().finished == 1  # C1


@pytest.mark.parametrize("name", list(PERIODS))
def test_stored_equals_live_for_every_grouping(world, name):
    site = world["site"].pk
    scope = Scope((site,))
    period = PERIODS[name]
    live = _everything(scope, period)
    aggregate.refresh_range(site, D(2025, 2, 1), D(2025, 3, 31))
    stored = _everything(scope, period)
    assert stored == live
    # handed back in March: C6 (02/03), C2 (06/03), C3, C4 (07/03), then C1 (10/03)
    expected_finished = {"edges only": 4, "a reason taken off": 1}.get(name, 5)
    assert stored["month"][D(2025, 3, 1)].counts["finished"] == expected_finished
    expected_received = {
        "month boundary inside": 6,
        "whole months": 6,
        "one whole month": 5,
        "edges only": 4,
        "month minus its first days": 6,
        "month minus its last days": 5,
        "a reason taken off": 1,  # C5 (20/03)
    }
    assert stored[None][None].counts["received"] == expected_received[name]  # C6 (20/02); C1–C4 before 08/03
    if name == "a reason taken off":
        assert (stored[None][None].reasons, stored[None][None].turnaround) == ({}, {7: 1})  # C1 only


def test_a_later_night_rewrites_the_month_it_touches(world):
    site = world["site"].pk
    aggregate.refresh_range(site, D(2025, 2, 1), D(2025, 3, 19))  # C5 (the return of C1) not yet stored
    march = RollupFigures.objects.get(
        site_id=site, span="mois", start=D(2025, 3, 1), dimension="", location="atelier"
    )
    assert (march.received, march.ftf_returned) == (3, 0)
    aggregate.refresh_day(site, D(2025, 3, 20))
    aggregate.refresh_day(site, D(2025, 3, 20))  # the same night twice: replaced, not added
    march = RollupFigures.objects.get(
        site_id=site, span="mois", start=D(2025, 3, 1), dimension="", location="atelier"
    )
    assert (march.received, march.repeats, march.ftf_returned) == (4, 1, 1)
    assert march.causes == {"Pompe de vidange bloquée": 1}


def test_a_page_of_whole_months_reads_the_month_rows(world, django_assert_num_queries):
    site = world["site"].pk
    aggregate.refresh_range(site, D(2025, 2, 1), D(2025, 3, 31))
    RollupFigures.objects.filter(span="jour").update(finished=1000)  # proves the day rows are not read
    total = aggregate.total(Scope((site,)), D(2025, 3, 1), D(2025, 3, 31))
    assert total.counts["finished"] == 5
    edges = aggregate.total(Scope((site,)), D(2025, 2, 28), D(2025, 3, 31))
    assert (
        edges.counts["finished"]
        == 5 + 1000 * RollupFigures.objects.filter(span="jour", start=D(2025, 2, 28), dimension="").count()
    )


# ---- the network's rows (no site): every site's rows summed, for a chain manager who sees them all ----


@pytest.fixture
def network():
    first, second = make_world("HB1"), make_world("HB2")
    return (first["site"].pk, second["site"].pk)


def _store_both(sites):
    for site in sites:
        aggregate.refresh_range(site, D(2025, 2, 1), D(2025, 3, 31))


def test_the_network_rows_are_the_sum_of_the_sites_rows(network):
    _store_both(network)
    # the days that carry rows (a day with none before and none after changed nothing)
    days_with_rows = set(DailyFigures.objects.values_list("day", flat=True))
    assert len(days_with_rows) == 9
    assert set(aggregate.StaleNetworkDay.objects.values_list("day", flat=True)) == days_with_rows
    assert aggregate.rebuild_network() > 0
    assert aggregate.StaleNetworkDay.objects.count() == 0
    march = RollupFigures.objects.get(
        site__isnull=True, span="mois", start=D(2025, 3, 1), dimension="", location="atelier"
    )
    # each site alone: received 4, handed back 4, repaired 2, one return (the test above); two sites: twice
    assert (march.received, march.finished, march.repaired, march.ftf_returned) == (8, 8, 4, 2)
    assert march.turnaround == {"3": 4, "7": 2, "10": 2}
    assert march.reasons == {"Pièce introuvable": 2}
    by_family = RollupFigures.objects.filter(
        site__isnull=True, span="mois", start=D(2025, 3, 1), dimension="famille"
    )
    assert by_family.aggregate(n=Sum("finished"))["n"] == 10  # both places, both sites


@pytest.mark.parametrize("name", list(PERIODS))
def test_the_network_rows_give_what_the_sites_rows_give(network, name):
    scope = Scope(network)
    period = PERIODS[name]
    live = _everything(scope, period)
    _store_both(network)
    from_sites = _everything(scope, period)  # days stale: the sites' rows
    aggregate.rebuild_network()
    assert aggregate._network_applies(scope, aggregate.last_computed(network), *period)
    from_network = _everything(scope, period)
    assert from_sites == live
    assert from_network == live


def test_the_network_rows_are_read_only_when_they_are_exact(network):
    scope, march = Scope(network), (D(2025, 3, 1), D(2025, 3, 31))
    _store_both(network)
    aggregate.rebuild_network()
    RollupFigures.objects.filter(site__isnull=True).update(finished=1000)  # the network's rows, made visible
    assert aggregate.total(scope, *march).counts["finished"] == 2000  # atelier + domicile: read
    # one site alone never reads them
    assert aggregate.total(Scope(network[:1]), *march).counts["finished"] == 5
    # a night of one site marks its days: the sites' rows until the job sums them again
    aggregate.refresh_day(network[0], D(2025, 3, 20))
    assert aggregate.total(scope, *march).counts["finished"] == 10
    # a period outside the changed months still reads them
    february = (D(2025, 2, 1), D(2025, 2, 28))
    assert aggregate.total(scope, *february).counts["finished"] == 1000  # its one row (atelier)
    aggregate.rebuild_network()
    assert aggregate.total(scope, *march).counts["finished"] == 10  # summed again: exact
    # two sites stored up to different nights: the sites' rows
    RollupFigures.objects.filter(site__isnull=True).update(finished=1000)
    aggregate.refresh_day(network[1], D(2025, 4, 1))
    aggregate.rebuild_network()
    RollupFigures.objects.filter(site__isnull=True).update(finished=1000)
    assert aggregate.total(scope, *march).counts["finished"] == 10


def test_a_site_outside_the_scope_with_stored_figures_keeps_the_network_rows_unread(network):
    third = make_world("HB3")["site"].pk
    _store_both((*network, third))
    aggregate.rebuild_network()
    RollupFigures.objects.filter(site__isnull=True).update(finished=1000)
    march = (D(2025, 3, 1), D(2025, 3, 31))
    assert aggregate.total(Scope(network), *march).counts["finished"] == 10  # HB3 is in the network's rows
    assert aggregate.total(Scope((*network, third)), *march).counts["finished"] == 2000
