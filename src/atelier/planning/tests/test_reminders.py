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
