"""The moves list reads a site's moves in the order of an index, never every move of its locations sorted
(issue 16: 620,000 moves sorted on disk to keep 50 at a million dossiers). See core.plans."""

import datetime
from decimal import Decimal as D

import pytest
from django.utils import timezone

from atelier.core.plans import explain, full_scans
from atelier.core.tests.factories import UserFactory
from atelier.stock import selectors, services
from atelier.stock.models import StockMove

pytestmark = pytest.mark.django_db

SHOWN = 50  # stock.views.common.PAGE_SIZE


@pytest.fixture
def moves(magasinier, pump, belt, shelf, van, other_shelf, other_site):
    """Receptions and exits on two sites, one a day, oldest first."""
    lyon = UserFactory(username="mag-lyon", roles=["magasinier"], sites=[other_site])
    start = timezone.now() - datetime.timedelta(days=30)
    for n, (actor, part, location, kind, qty) in enumerate(
        [
            (magasinier, pump, shelf, "reception", 5),
            (magasinier, belt, van, "reception", 2),
            (lyon, pump, other_shelf, "reception", 4),
            (magasinier, pump, shelf, "rebut", 1),
            (lyon, pump, other_shelf, "rebut", 2),
        ]
    ):
        services.move_record(
            actor=actor,
            part=part,
            location=location,
            kind=kind,
            quantity=qty,
            reason="cassée" if kind == "rebut" else "",
            at=start + datetime.timedelta(days=n),
        )


def test_each_move_carries_the_site_of_its_location(moves):
    assert sorted((m.location.code, m.site.code, m.quantity) for m in StockMove.objects.all()) == [
        ("A1", "LYO1", D("-2.00")),
        ("A1", "LYO1", D("4.00")),
        ("A1", "PAR1", D("-1.00")),
        ("A1", "PAR1", D("5.00")),
        ("VEH-TECH", "PAR1", D("2.00")),
    ]


def test_the_moves_list_is_the_site_s_newest_first_and_another_site_s_stay_out(moves, magasinier):
    rows = list(selectors.move_list(magasinier)[:SHOWN])
    assert [(m.site.code, m.kind, m.quantity) for m in rows] == [
        ("PAR1", "rebut", D("-1.00")),
        ("PAR1", "reception", D("2.00")),
        ("PAR1", "reception", D("5.00")),
    ]


@pytest.mark.parametrize("who", ["magasinier", "chain_manager"])
def test_the_moves_list_reads_an_index_in_its_order(moves, magasinier, site, who):
    user = magasinier if who == "magasinier" else UserFactory(username="reseau", is_chain_manager=True)
    for page in (
        selectors.move_list(user)[:SHOWN],
        selectors.move_list(user, site=site)[:SHOWN],
        selectors.move_list(user).order_by()[:10_001],  # the capped count (« plus de 10 000 »)
    ):
        assert full_scans(page, ["stock_stockmove"]) == [], explain(page)
        assert "stock_move_location_at" not in explain(page), explain(page)
