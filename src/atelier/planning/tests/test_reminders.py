"""The reminder the day before a home visit (operations job « visit_reminders »): once per visit date."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from atelier.messaging.models import Message
from atelier.planning.services.reminders import visit_reminders_send
from atelier.repairs.models import RepairCase
from atelier.repairs.tests.factories import RepairCaseFactory

PARIS = timezone.get_current_timezone()
EVENING = datetime.datetime(2026, 3, 10, 17, 0, tzinfo=PARIS)  # a Tuesday
TODAY = EVENING.date()


def planned(site, when, **customer):
    case = RepairCaseFactory(site=site, location="domicile")
    RepairCase.objects.filter(pk=case.pk).update(status="planifie", planned_for=when)
    case.refresh_from_db()
    for field, value in customer.items():
        setattr(case.customer, field, value)
    case.customer.save()
    return case


@pytest.fixture
def tomorrow_visit(site):
    return planned(site, EVENING + datetime.timedelta(days=1, hours=-8))  # Wednesday 09:00


def run(site, at=EVENING):
    with time_machine.travel(at, tick=False):
        return visit_reminders_send(site=site, today=timezone.localtime(at).date())


def test_tomorrows_visit_is_reminded_once_by_the_preferred_channel(site, tomorrow_visit):
    later = planned(site, EVENING + datetime.timedelta(days=2), preferred_contact="email")
    site.phone = "01 43 55 12 34"
    site.save()
    assert run(site) == [tomorrow_visit]
    assert run(site, EVENING + datetime.timedelta(hours=1)) == []  # second run: nothing
    message = Message.objects.get()
    assert (message.case, message.purpose, message.channel, message.state) == (
        tomorrow_visit,
        "visit_reminder",
        "sms",
        "queued",
    )
    assert message.body == (
        f"{site.name} : rappel, votre technicien passe demain, mercredi 11 mars (dossier {tomorrow_visit.number})."
        " Un empêchement ? Appelez le 01 43 55 12 34."
    )
    assert run(site, EVENING + datetime.timedelta(days=1)) == [later]
    assert Message.objects.get(case=later).channel == "email"


def test_a_visit_moved_to_another_day_is_reminded_again_the_day_before(site, tomorrow_visit):
    assert run(site) == [tomorrow_visit]
    RepairCase.objects.filter(pk=tomorrow_visit.pk).update(planned_for=EVENING + datetime.timedelta(days=3))
    assert run(site, EVENING + datetime.timedelta(days=1)) == []
    assert run(site, EVENING + datetime.timedelta(days=2)) == [tomorrow_visit]
    assert Message.objects.filter(case=tomorrow_visit, purpose="visit_reminder").count() == 2


def test_other_sites_visits_are_not_this_sites_job(site, other_site):
    planned(other_site, EVENING + datetime.timedelta(hours=16))
    assert run(site) == []


def test_the_reminder_gives_the_arrival_window_of_the_validated_plan(site, tomorrow_visit, technicien):
    from atelier.planning.models import DayPlan, PlanRoute, PlanStop, Visit
    from atelier.quotes.models import Quote, RepairOrder

    quote = Quote.objects.create(
        case=tomorrow_visit,
        version=1,
        number="DEV-PAR1-2026-000001",
        status="accepte",
        nature_of_work="Remplacement de la pompe",
        place_of_work="Au domicile du client",
        valid_until=TODAY,
        created_by=technicien,
    )
    order = RepairOrder.objects.create(
        quote=quote,
        case=tomorrow_visit,
        number="OR-1",
        work_to_do="Remplacement de la pompe",
        location="domicile",
        promised_on=TODAY,
        created_by=technicien,
    )
    visit = Visit.objects.create(order=order, site=site, family="lave_linge", duration_minutes=60)
    start = tomorrow_visit.planned_for
    hour = datetime.timedelta(hours=1)
    plan = DayPlan.objects.create(site=site, day=TODAY + datetime.timedelta(days=1))
    route = PlanRoute.objects.create(
        plan=plan, validated=True, technician=technicien, leave_at=start - hour, back_at=start + 8 * hour
    )
    PlanStop.objects.create(
        route=route,
        visit=visit,
        position=1,
        start=start,
        end=start + hour,
        arrival_from=start - hour / 2,
        arrival_to=start + 1.5 * hour,
    )
    assert run(site) == [tomorrow_visit]
    assert Message.objects.get().body == (
        f"{site.name} : rappel, votre technicien passe demain, mercredi 11 mars, entre 08:30 et 10:30 "
        f"(dossier {tomorrow_visit.number})."
    )
