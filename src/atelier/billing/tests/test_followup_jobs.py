"""The scheduler's jobs after the handover: payment reminders, automatic closures, survey invitations. Each
second run does nothing."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from atelier.billing import payments
from atelier.billing.handover import hand_back_record, tracking_link_create
from atelier.billing.services_followup import (
    cases_close_paid,
    payment_reminders_send,
    survey_invitations_send,
)
from atelier.billing.tests.conftest import SIGNATURE
from atelier.messaging.models import Message
from atelier.operations.models import JobSettings

DAY = datetime.timedelta(days=1)


@pytest.fixture
def owing(invoice, ready_case, accueil):
    """157,68 € invoiced, 100 € paid by card: 57,68 € due."""
    payments.payment_take(case=ready_case, actor=accueil, parts=[("carte", "100")])
    return ready_case


def reminders_on(site, day: datetime.date):
    """The job as the scheduler runs it at 09:00 on `day`."""
    at = datetime.datetime.combine(day, datetime.time(9), tzinfo=timezone.get_current_timezone())
    with time_machine.travel(at, tick=False):
        return payment_reminders_send(site=site, today=day, now=timezone.now())


def test_payment_reminders_every_n_days_at_most_n_times(owing, invoice, site):
    JobSettings.objects.create(site=site, payment_reminder_every_days=7, payment_reminder_max=2)
    after_due = invoice.due_on + DAY
    assert reminders_on(site, invoice.due_on) == []  # not yet past due
    assert reminders_on(site, after_due) == [owing]
    assert reminders_on(site, after_due) == []  # second run: nothing
    assert reminders_on(site, after_due + 6 * DAY) == []
    assert reminders_on(site, after_due + 7 * DAY) == [owing]
    assert reminders_on(site, after_due + 30 * DAY) == []  # at most 2
    reminders = Message.objects.filter(case=owing, purpose="payment_reminder").order_by("pk")
    assert [m.subject for m in reminders] == [
        f"Relance n° 1 – dossier {owing.number}",
        f"Relance n° 2 – dossier {owing.number}",
    ]
    assert reminders[0].body == f"{site.name} : il reste 57,68 € à régler pour le dossier {owing.number}."
    assert (reminders[0].channel, reminders[0].state) == ("sms", "queued")


def test_a_paid_invoice_is_not_reminded(invoice, ready_case, accueil, site):
    payments.payment_take(case=ready_case, actor=accueil, parts=[("carte", "157.68")])
    assert reminders_on(site, invoice.due_on + DAY) == []


@pytest.fixture
def handed_back(invoice, ready_case, accueil):
    payments.payment_take(case=ready_case, actor=accueil, parts=[("carte", "157.68")])
    hand_back_record(case=ready_case, actor=accueil, signer_name="Nadia Lefèvre", signature=SIGNATURE)
    ready_case.refresh_from_db()
    return ready_case


def test_a_dossier_handed_back_and_paid_is_closed_after_n_days_once(handed_back, site):
    since = handed_back.status_changed_at
    assert cases_close_paid(site=site, now=since + 14 * DAY) == []
    (closed,) = cases_close_paid(site=site, now=since + 15 * DAY)
    assert (closed.pk, closed.status, closed.closed_at) == (handed_back.pk, "cloture", since + 15 * DAY)
    event = closed.events.order_by("pk").last()
    assert (event.actor, event.label, event.note, event.to_status) == (
        None,
        "Clôture automatique",
        "Clôture automatique : appareil rendu depuis 15 jours et dossier soldé.",
        "cloture",
    )
    assert cases_close_paid(site=site, now=since + 16 * DAY) == []


def test_a_dossier_with_a_balance_due_is_not_closed(owing, accueil, site):
    hand_back_record(case=owing, actor=accueil, signer_name="Nadia Lefèvre", signature=SIGNATURE)
    owing.refresh_from_db()
    assert cases_close_paid(site=site, now=owing.status_changed_at + 30 * DAY) == []


def test_no_automatic_closure_when_the_site_sets_zero_days(handed_back, site):
    JobSettings.objects.create(site=site, auto_close_after_days=0)
    assert cases_close_paid(site=site, now=handed_back.status_changed_at + 300 * DAY) == []


def test_the_survey_invitation_goes_once_as_a_commercial_message_with_the_tracking_link(
    handed_back, site, settings
):
    settings.ATELIER_PUBLIC_URL = "https://sav.example.fr"
    link = tracking_link_create(case=handed_back)
    (closed,) = cases_close_paid(site=site, now=handed_back.status_changed_at + 15 * DAY)
    closed_on = timezone.localtime(closed.closed_at).date()
    now = closed.closed_at + DAY
    assert (
        survey_invitations_send(site=site, today=closed_on, now=closed.closed_at) == []
    )  # closed today: tomorrow
    assert survey_invitations_send(site=site, today=closed_on + DAY, now=now) == [closed]
    assert survey_invitations_send(site=site, today=closed_on + DAY, now=now) == []
    message = Message.objects.get(case=closed, purpose="survey")
    assert message.category == "marketing"
    assert message.body.endswith(
        f"Donnez votre avis en une minute : https://sav.example.fr/suivi/{link.token}/avis/"
    )
    # the customer gave no commercial consent: recorded « non envoyé » with the reason, never queued
    assert (message.state, message.reason) == (
        "refused",
        "Le client n'a pas accepté les messages commerciaux.",
    )


def test_a_reminder_sent_by_hand_restarts_the_wait(owing, invoice, site, comptable):
    from atelier.billing.handover import payment_reminder_send

    day = invoice.due_on + DAY
    at = datetime.datetime.combine(day, datetime.time(8), tzinfo=timezone.get_current_timezone())
    with time_machine.travel(at, tick=False):
        payment_reminder_send(case=owing, actor=comptable, base_url="https://sav.example.fr/")
    assert reminders_on(site, day) == []
    assert reminders_on(site, day + 6 * DAY) == []
    assert reminders_on(site, day + 7 * DAY) == [owing]
