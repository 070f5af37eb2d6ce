"""The indicators on a hand-built set: Paris closes four washing machines and one Miele dishwasher in March
2026 (two repaired, one unrepairable, one quote refused; the dishwasher repaired), two « retour SAV » claims."""

import datetime
from decimal import Decimal

import pytest

from atelier.improvement.indicators import measure
from atelier.improvement.surveys import survey_answer
from atelier.improvement.tests.conftest import claim_on, closed_case

pytestmark = pytest.mark.django_db
MARCH = {"start": datetime.date(2026, 3, 1), "end": datetime.date(2026, 3, 31)}


@pytest.fixture
def march(site, responsable, family_appliance):
    cases = [
        closed_case(site, responsable, path="repaired", closed_on="2026-03-05", received_on="2026-03-01"),
        closed_case(site, responsable, path="repaired", closed_on="2026-03-12", received_on="2026-03-02"),
        closed_case(site, responsable, path="unrepairable", closed_on="2026-03-20", received_on="2026-03-16"),
        closed_case(site, responsable, path="refused", closed_on="2026-03-31", received_on="2026-03-29"),
        closed_case(
            site,
            responsable,
            path="repaired",
            closed_on="2026-03-25",
            received_on="2026-03-20",
            appliance=family_appliance("lave_vaisselle", "Miele"),
        ),
        closed_case(site, responsable, path="repaired", closed_on="2026-04-01"),  # April: not counted
    ]
    claim_on(cases[0], opened_on="2026-03-15")
    claim_on(cases[4], opened_on="2026-03-28")
    claim_on(cases[1], opened_on="2026-03-29", repair_return=False)  # a claim, not a return
    for case, (reco, sat) in zip(cases[:4], [(10, 5), (9, 4), (3, 2), (7, 3)], strict=True):
        survey_answer(
            case=case, recommendation=reco, satisfaction=sat, at=case.closed_at + datetime.timedelta(days=1)
        )
    return cases


def test_each_indicator_on_the_hand_built_month(march, site):
    assert measure("taux_retour", site=site, **MARCH) == Decimal("40.0")  # 2 returns / 5 closed
    assert measure("taux_retour", site=site, family="lave_linge", **MARCH) == Decimal("25.0")  # 1 / 4
    assert measure("taux_retour", site=site, brand="miele", **MARCH) == Decimal("100.0")
    assert measure("taux_non_reparable", site=site, **MARCH) == Decimal("20.0")  # 1 / 5
    # 4 + 10 + 4 + 2 + 5 days = 25 / 5
    assert measure("delai_moyen", site=site, **MARCH) == Decimal("5.0")
    # answers 10, 9, 3, 7 (the last on 1 April: out): promoters 2, detractors 1 → (2 − 1) / 4
    assert measure(
        "nps", site=site, start=datetime.date(2026, 3, 1), end=datetime.date(2026, 4, 1)
    ) == Decimal("25.0")
    assert measure("nps", site=site, **MARCH) == Decimal("33.3")  # 10, 9, 3: (2 − 1) / 3
    assert measure("satisfaction", site=site, **MARCH) == Decimal("66.7")  # 5, 4, 2: 2 / 3


def test_no_data_is_none_never_zero(site):
    assert measure("taux_retour", site=site, **MARCH) is None
    assert measure("nps", site=site, **MARCH) is None
    assert measure("delai_moyen", site=site, **MARCH) is None
