"""The workshop week: bench jobs ranked (priority, promised date, parts, skills), placed next to the home tours,
at-risk jobs flagged before their promised date; drop-off bookings fill the week."""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.utils import timezone

from atelier.core.choices import VatKind
from atelier.customers.models import Appliance, Customer
from atelier.planning import selectors, services
from atelier.planning.builder import at
from atelier.planning.models import DayPlan, DropOffCapacity, PlanRoute, PlanState
from atelier.planning.workshop import plan_week, week_code, week_days
from atelier.quotes.choices import LineKind, PartAction, QuoteStatus
from atelier.quotes.models import Quote, QuoteLine, RepairOrder, RepairOrderPart
from atelier.repairs.choices import CaseStatus, WorkLocation
from atelier.repairs.models import RepairCase
from atelier.repairs.services import case_open
from atelier.stock.tests.factories import PartFactory

_n = itertools.count(1)
H = datetime.time


@pytest.fixture
def make_job(site, accueil, responsable):
    def make(
        family="lave_linge", *, status=CaseStatus.EN_ATELIER, promised, labour=None, missing=None, skills=""
    ):
        n = next(_n)
        customer = Customer.objects.create(site=site, last_name=f"Atelier{n}", phone=f"+33612345{n:03d}")
        appliance = Appliance.objects.create(customer=customer, family=family, brand="Bosch")
        case = case_open(
            actor=accueil,
            customer=customer,
            appliance=appliance,
            customer_words="En panne.",
            location=WorkLocation.ATELIER,
        )
        RepairCase.objects.filter(pk=case.pk).update(status=status)
        quote = Quote.objects.create(
            case=case,
            version=1,
            number=f"DV-W{n}",
            status=QuoteStatus.ACCEPTE,
            nature_of_work="Réparation.",
            place_of_work="En atelier",
            valid_until=timezone.localdate() + datetime.timedelta(days=30),
            created_by=responsable,
        )
        if labour is not None:
            QuoteLine.objects.create(
                quote=quote,
                position=1,
                kind=LineKind.MAIN_OEUVRE,
                designation="Main-d'œuvre",
                quantity=Decimal(labour),
                unit_price_ht=Decimal("60"),
                vat_kind=VatKind.NORMAL,
                vat_rate=Decimal("20"),
                total_ht=Decimal(labour) * 60,
                vat=Decimal(labour) * 12,
            )
        order = RepairOrder.objects.create(
            quote=quote,
            case=case,
            number=f"OR-W{n}",
            work_to_do="Réparation.",
            location=WorkLocation.ATELIER,
            promised_on=promised,
            skills=skills,
            created_by=responsable,
        )
        if missing is not None:  # (created_on, lead days): a part ordered, not reserved
            created_on, lead = missing
            RepairOrder.objects.filter(pk=order.pk).update(created_at=at(created_on, 10 * 3600))
            RepairOrderPart.objects.create(
                order=order,
                part=PartFactory(reference=f"BSH-W{n}"),
                quantity=1,
                action=PartAction.COMMANDEE,
                lead_time_days=lead,
            )
        return case

    return make


@pytest.fixture
def bench(make_profile):
    """One technician: washing machines and cold, 8:00–17:30, lunch 12:00 for 45 min."""
    return make_profile(families=["lave_linge", "froid"])


def _tour(profile, day, start, end):
    plan = DayPlan.objects.create(site=profile.site, day=day, state=PlanState.VALIDE)
    PlanRoute.objects.create(
        plan=plan,
        validated=True,
        technician=profile.user,
        leave_at=at(day, start * 3600),
        back_at=at(day, end * 3600),
    )
    return plan  # a tour counts when it has stops: the test gives it one


def _times(job):
    return [
        (timezone.localtime(s.start).strftime("%a %H:%M"), timezone.localtime(s.end).strftime("%H:%M"))
        for s in job.slots
    ]


def test_jobs_ranked_and_placed_next_to_the_tour(bench, make_job, make_visit, day):
    monday = day
    days = week_days(week_code(monday))
    plan = _tour(bench, monday, 8, 11)
    visit = make_visit()
    route = plan.routes.get()
    route.stops.create(
        visit=visit,
        position=1,
        start=at(monday, 9 * 3600),
        end=at(monday, 10 * 3600),
        arrival_from=at(monday, 8 * 3600),
        arrival_to=at(monday, 10 * 3600),
    )
    friday, tuesday = monday + datetime.timedelta(days=4), monday + datetime.timedelta(days=1)
    washer = make_job(promised=friday, labour="2")
    fridge = make_job("froid", promised=monday + datetime.timedelta(days=5))
    late_parts = make_job(
        status=CaseStatus.ATTENTE_PIECES, promised=tuesday, missing=(monday - datetime.timedelta(days=1), 3)
    )
    cooker = make_job("cuisson", promised=friday, skills="gaz")

    week = plan_week(bench.site, days)

    by_case = {j.case.pk: j for j in week.jobs}
    assert [j.case.pk for j in week.jobs] == [fridge.pk, late_parts.pk, washer.pk, cooker.pk]
    wednesday = monday + datetime.timedelta(days=2)
    fmt = "%d/%m/%Y"
    assert by_case[fridge.pk].reason == (
        f"Urgent (froid) · promis le {monday + datetime.timedelta(days=5):{fmt}} · pièces prêtes · "
        "1 seul technicien compétent"
    )
    assert by_case[late_parts.pk].reason == (
        f"Priorité normale · promis le {tuesday:{fmt}} · pièces attendues le {wednesday:{fmt}} · "
        "1 seul technicien compétent"
    )
    part = RepairOrderPart.objects.get(order__case=late_parts).part
    assert by_case[late_parts.pk].parts_missing == f"{part.reference} manquante"
    # Monday: the tour takes 8:00–11:00, lunch 12:00–12:45; the fridge (75 min by default) runs over lunch
    assert _times(by_case[fridge.pk]) == [("Mon 11:00", "12:00"), ("Mon 12:45", "13:00")]
    assert _times(by_case[washer.pk]) == [("Mon 13:00", "15:00")]  # 2 h of labour on the quote
    assert _times(by_case[late_parts.pk]) == [("Wed 08:00", "09:00")]  # not before its part
    assert by_case[cooker.pk].slots == []
    assert by_case[cooker.pk].unplaced == "Aucun technicien n'a la famille et les compétences demandées."
    assert by_case[cooker.pk].reason.endswith("0 technicien(s) compétent(s)")

    assert [(j.case.pk, j.at_risk) for j in week.at_risk] == [
        (
            late_parts.pk,
            f"Pièces attendues le {wednesday:{fmt}}, après le délai promis du {tuesday:{fmt}}.",
        ),
        (
            cooker.pk,
            f"Pas de place à l'atelier avant le délai promis du {friday:{fmt}} : "
            "Aucun technicien n'a la famille et les compétences demandées.",
        ),
    ]


def test_a_job_that_cannot_end_before_its_promise_is_flagged(bench, make_job, day):
    tuesday = day + datetime.timedelta(days=1)
    long_job = make_job(promised=tuesday, labour="20")  # 20 h: Monday and Tuesday hold 2 × 8 h 45
    week = plan_week(bench.site, week_days(week_code(day)))
    job = week.jobs[0]
    assert job.case == long_job
    assert timezone.localtime(job.finish).strftime("%a %H:%M") == "Wed 10:30"
    assert job.at_risk == (
        f"Fin prévue le {day + datetime.timedelta(days=2):%d/%m/%Y} (20 h de travail restantes), "
        f"après le délai promis du {tuesday:%d/%m/%Y}."
    )


def test_at_risk_selector_for_the_home_page(bench, make_job, accueil, technicien):
    today = timezone.localdate()
    case = make_job(status=CaseStatus.ATTENTE_PIECES, promised=today, missing=(today, 0))
    make_job(promised=today + datetime.timedelta(days=30))
    tomorrow = today + datetime.timedelta(days=1)
    assert selectors.workshop_at_risk(accueil) == [
        (case, f"Pièces attendues le {tomorrow:%d/%m/%Y}, après le délai promis du {today:%d/%m/%Y}.")
    ]
    assert selectors.workshop_at_risk(technicien) == []  # « réseau »: the technician does not read the week


def test_booked_drop_offs_reserve_bench_time_first(bench, make_job, accueil, day):
    DropOffCapacity.objects.create(site=bench.site, family="lave_linge", slot="apres_midi", capacity=4)
    customer = Customer.objects.create(site=bench.site, last_name="Dépôt", phone="+33611112222")
    dropoff = services.dropoff_book(
        actor=accueil, site=bench.site, day=day, slot="apres_midi", family="lave_linge", customer=customer
    )
    washer = make_job(promised=day + datetime.timedelta(days=4), labour="6")
    week = plan_week(bench.site, week_days(week_code(day)))
    first, second = week.jobs
    assert (first.key, first.reason) == (
        f"depot:{dropoff.pk}",
        "Dépôt prévu : 30 min de diagnostic réservées",
    )
    assert _times(first) == [("Mon 14:00", "14:30")]  # from its half-day, not before
    assert second.case == washer
    assert _times(second) == [("Mon 08:00", "12:00"), ("Mon 12:45", "14:00"), ("Mon 14:30", "15:15")]


def test_week_code_reads_iso_weeks():
    assert week_days("2026-W50")[0] == datetime.date(2026, 12, 7)
    assert week_days("2026-S50")[5] == datetime.date(2026, 12, 12)
    with pytest.raises(ValueError):
        week_days("2026-W60")


def test_the_weeks_of_two_sites_read_together_are_each_sites_own_week(
    bench, make_job, make_profile, other_site, day
):
    """plan_weeks (a chain manager's home: every site from one set of queries) plans each site on its own: the
    Lyon job goes to the Lyon technician only, the Paris jobs compete for the Paris technician only."""
    from atelier.planning.workshop import plan_weeks

    days = week_days(week_code(day))
    tuesday = day + datetime.timedelta(days=1)
    paris_long = make_job(promised=tuesday, labour="20")  # 20 h: at risk in Paris (see above)
    paris_short = make_job(promised=day + datetime.timedelta(days=4), labour="2")
    lyon = make_job(promised=tuesday, labour="3")
    RepairCase.objects.filter(pk=lyon.pk).update(site=other_site)
    Customer.objects.filter(pk=lyon.customer_id).update(site=other_site)
    lyon_bench = make_profile(site=other_site, families=["lave_linge"])
    one_by_one = {site.pk: plan_week(site, days) for site in (bench.site, other_site)}
    together = plan_weeks([bench.site, other_site.pk], days)
    assert list(together) == [bench.site.pk, other_site.pk]
    for pk, week in together.items():
        alone = one_by_one[pk]
        assert [(j.key, _times(j), j.at_risk) for j in week.jobs] == [
            (j.key, _times(j), j.at_risk) for j in alone.jobs
        ]
        assert [p.pk for p in week.profiles] == [p.pk for p in alone.profiles]
    assert [j.case for j in together[bench.site.pk].jobs] == [paris_long, paris_short]
    assert [(j.case, j.technician) for j in together[other_site.pk].jobs] == [(lyon, lyon_bench.user_id)]
    assert [j.case for j in together[bench.site.pk].at_risk] == [paris_long]
    assert together[other_site.pk].at_risk == []
