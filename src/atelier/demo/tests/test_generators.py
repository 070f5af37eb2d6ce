"""The pure parts of the demo: identifiers, opening-hours clock, workflow paths, people (no database)."""

import datetime
import random
import zoneinfo

import phonenumbers
import pytest
from stdnum.fr import siren, siret, tva

from atelier.core import geo
from atelier.demo.clock import (
    DAY_MINUTES,
    OPENING,
    WorkClock,
    is_working_day,
    next_working_days,
    public_holidays,
    visit_slots,
)
from atelier.demo.dossiers import plan_site
from atelier.demo.identifiers import random_mobile, random_siren, siren_from, siret_from, vat_from
from atelier.demo.paths import path_to, repaired_path, statuses
from atelier.demo.people import catchment, customer_spec
from atelier.repairs.choices import CaseStatus, Channel, WorkLocation

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
# A Thursday at 16:00 in Paris.
THURSDAY_4PM = datetime.datetime(2026, 11, 26, 16, 0, tzinfo=PARIS)


def test_identifiers_have_valid_check_digits():
    assert siren_from("73282932") == "732829320"
    assert siret_from("732829320", "0007") == "73282932000074"
    assert vat_from("732829320") == "FR44732829320"
    rng = random.Random(1)
    for _ in range(200):
        number = random_siren(rng)
        assert siren.is_valid(number) and number[0] != "0"
        assert siret.is_valid(siret_from(number, "0001"))
        assert tva.is_valid(vat_from(number))


def test_mobiles_are_valid_french_06_07_numbers():
    rng = random.Random(2)
    for _ in range(200):
        typed = random_mobile(rng)
        assert len(typed) == 14 and typed[:2] in ("06", "07")
        assert phonenumbers.is_valid_number(phonenumbers.parse(typed, "FR"))


def test_clock_counts_opening_hours_only():
    clock = WorkClock(THURSDAY_4PM, days=7)
    # Today: 9:00–12:30 (210 min) and 13:30–16:00 (150 min).
    assert clock.minutes_today() == 360
    assert DAY_MINUTES == 540
    assert clock.at(clock.total) == THURSDAY_4PM
    assert clock.at(clock.total - 360) == datetime.datetime(2026, 11, 26, 9, 0, tzinfo=PARIS)
    # The minute before Thursday 9:00 is Wednesday 18:59.
    assert clock.at(clock.total - 361) == datetime.datetime(2026, 11, 25, 18, 59, tzinfo=PARIS)
    # No Sunday: Monday 9:00 follows Saturday 18:59.
    monday = clock.start_of_day(datetime.date(2026, 11, 23))
    assert clock.at(monday - 1) == datetime.datetime(2026, 11, 21, 18, 59, tzinfo=PARIS)


def test_shops_close_on_french_public_holidays():
    assert sorted(d.strftime("%d/%m") for d in public_holidays(2026)) == [
        "01/01",
        "01/05",
        "01/11",
        "06/04",
        "08/05",
        "11/11",
        "14/05",
        "14/07",
        "15/08",
        "25/05",
        "25/12",
    ]
    assert not is_working_day(datetime.date(2026, 11, 11))  # Armistice, a Wednesday
    assert not is_working_day(datetime.date(2026, 11, 29))  # Sunday
    assert is_working_day(datetime.date(2026, 11, 28))  # Saturday


def test_visits_are_planned_on_working_days_in_half_hour_slots():
    assert next_working_days(datetime.date(2026, 11, 28), 2) == [
        datetime.date(2026, 11, 30),
        datetime.date(2026, 12, 1),
    ]
    slots = visit_slots(datetime.date(2026, 11, 27), PARIS)
    assert slots[0].time() == datetime.time(9, 0)
    assert slots[-1].time() == datetime.time(18, 0)
    assert len(slots) == 16


# Every state at both places of work, but "planifié" exists only at home, "en atelier" only in the workshop;
# "abandonné" is reached only by the second life's intake of the appliance (refurbishment), never by a path.
REACHABLE = [
    (target, location)
    for target in CaseStatus.values
    for location in WorkLocation.values
    if target != CaseStatus.ABANDONNE
    and (target, location)
    not in {(CaseStatus.PLANIFIE, WorkLocation.ATELIER), (CaseStatus.EN_ATELIER, WorkLocation.DOMICILE)}
]


@pytest.mark.parametrize(("target", "location"), REACHABLE)
def test_every_state_is_reached_by_an_allowed_path(target, location):
    rng = random.Random(3)
    for _ in range(30):
        path = path_to(target, location, rng)
        reached = statuses(path, location)  # raises on a step the workflow forbids
        assert (reached[-1] if reached else CaseStatus.RECU) == target


def test_a_home_visit_missing_a_part_plans_the_return_visit():
    path = repaired_path(WorkLocation.DOMICILE, parts=True, rng=random.Random(4))
    assert path == [
        "prediagnose",
        "send_quote",
        "accept_quote",
        "plan_visit",
        "wait_for_parts",
        "plan_visit",
        "start_repair",
        "mark_repaired",
        "commission",
        "hand_back",
        "close",
    ]


def test_catchments_use_real_postcodes_near_each_site():
    paris, _ = catchment("PAR1")
    lyon, _ = catchment("LYO1")
    assert {c.postcode[:2] for c in paris} == {"75", "92", "93", "94"}
    assert {c.postcode[:2] for c in lyon} == {"69"}
    assert all(geo.postcode_exists(c.postcode) and c.latitude is not None for c in paris + lyon)
    assert "69003" in {c.postcode for c in lyon} and "69400" not in {c.postcode for c in lyon}  # Villefranche


def test_customer_specs_are_reproducible_and_plausible():
    communes, weights = catchment("PAR1")
    assert (
        customer_spec(random.Random(5), "PAR1", communes, weights).fields
        == customer_spec(random.Random(5), "PAR1", communes, weights).fields
    )
    rng = random.Random(6)
    specs = [customer_spec(rng, "PAR1", communes, weights) for _ in range(300)]
    for spec in specs:
        data = spec.fields
        assert data.get("email", "@example.fr").split("@")[1] in ("example.fr", "example.com")
        assert 1 <= len(spec.appliances) <= 3
        assert len({a.fields["family"] for a in spec.appliances}) == len(spec.appliances)
        if data["kind"] == "professionnel":
            assert data["company_name"] and siren.is_valid(data["siren"])
    # About 10 % professionals, 8 % with reduced mobility, 60 % consenting to be contacted. The draw is
    # seeded, so the counts are exact; editing the data lists changes them (check the shares, then update).
    assert sum(s.fields["kind"] == "professionnel" for s in specs) == 32
    assert sum(bool(s.fields.get("needs_reduced_mobility")) for s in specs) == 19
    assert sum(s.fields["consent_contact"] for s in specs) == 174


@pytest.mark.parametrize(
    "now",
    [
        datetime.datetime(2026, 11, 26, 16, 0, tzinfo=PARIS),  # Thursday afternoon
        datetime.datetime(2026, 11, 23, 7, 30, tzinfo=PARIS),  # Monday before opening
        datetime.datetime(2026, 11, 23, 9, 2, tzinfo=PARIS),  # Monday, just opened
        datetime.datetime(2026, 11, 29, 11, 0, tzinfo=PARIS),  # Sunday
        datetime.datetime(2026, 11, 11, 15, 0, tzinfo=PARIS),  # Armistice (public holiday)
        datetime.datetime(2026, 12, 31, 23, 55, tzinfo=PARIS),  # New Year's Eve, late
        datetime.datetime(2027, 3, 28, 3, 30, tzinfo=PARIS),  # the night clocks go forward
    ],
    ids=str,
)
def test_dossier_plans_hold_whatever_the_hour_of_the_run(now):
    communes, weights = catchment("PAR1")
    people = random.Random(7)
    specs = [customer_spec(people, "PAR1", communes, weights) for _ in range(30)]
    clock = WorkClock(now)
    plans = plan_site("PAR1", specs, 0.2, clock, random.Random(8))
    assert len(plans) == 85
    received_today = 0
    for plan in plans:
        moments = [plan.opened_at, *(step.at for step in plan.steps)]
        assert moments == sorted(moments) and len(set(moments)) == len(moments)
        assert now - datetime.timedelta(days=90) < moments[0] and moments[-1] <= now
        for moment in moments[1:] if plan.channel == Channel.WEB else moments:
            local = moment.astimezone(PARIS)
            assert is_working_day(local.date())
            assert any(start <= local.time() <= end for start, end in OPENING), local
        opened_on = plan.opened_at.astimezone(PARIS).date()
        received_today += plan.target == CaseStatus.RECU and opened_on == now.date()
        for index, step in enumerate(plan.steps):
            if step.name == "plan_visit":
                assert step.planned_for > step.at
                following = plan.steps[index + 1].at if index + 1 < len(plan.steps) else None
                assert following is None or step.planned_for <= following
                assert is_working_day(step.planned_for.astimezone(PARIS).date())
    assert received_today >= 2
