"""The outbox's delivery: states, retries with back-off, failures, idempotence, the sweeps."""

import datetime

import pytest
from django.db import transaction
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from atelier.customers.tests.factories import CustomerFactory
from atelier.messaging import services
from atelier.messaging.choices import Category, Purpose, State
from atelier.messaging.models import Message
from atelier.messaging.providers.base import (
    MemoryProvider,
    Outgoing,
    PermanentFailure,
    TemporaryFailure,
    _reply_signature,
    parse_reply_address,
)
from atelier.messaging.services_delivery import message_deliver
from atelier.repairs.tests.factories import RepairCaseFactory

NOW = datetime.datetime(2026, 12, 7, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def customer(site):
    return CustomerFactory(site=site, email="nadia@example.fr", phone="+33612345678", phone2="")


def _enqueue(customer, channel="email", **kwargs):
    return services.message_enqueue(
        site=customer.site,
        customer=customer,
        channel=channel,
        body="Votre appareil est prêt.",
        subject="Dossier prêt",
        purpose=Purpose.READY,
        **kwargs,
    )


def _pending_tasks():
    """(arguments, run_after or None) of the delivery tasks waiting for a worker (9999: « as soon as possible »)."""
    rows = DBTaskResult.objects.filter(task_path="atelier.messaging.tasks.deliver_message").order_by(
        "enqueued_at"
    )
    return [
        (args, None if at.year == 9999 else at) for args, at in rows.values_list("args_kwargs", "run_after")
    ]


def test_enqueue_records_the_message_and_the_task_only_after_commit(
    customer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = _enqueue(customer, attachments=[("devis.pdf", b"%PDF-1.7", "application/pdf")])
        assert _pending_tasks() == []  # nothing before the commit
    assert len(callbacks) == 1
    assert (message.state, message.recipient, message.reason, message.attempts) == (
        "queued",
        "nadia@example.fr",
        "",
        0,
    )
    assert _pending_tasks() == [({"args": [message.pk], "kwargs": {}}, None)]
    assert MemoryProvider.sent == []  # the request never sends


@pytest.mark.django_db(transaction=True)
def test_a_transaction_rolled_back_queues_and_sends_nothing(site):
    customer = CustomerFactory(site=site, email="nadia@example.fr")
    with pytest.raises(RuntimeError), transaction.atomic():
        _enqueue(customer)
        raise RuntimeError("the caller's service fails after writing the message")
    assert Message.objects.count() == 0 and _pending_tasks() == []
    assert MemoryProvider.sent == []


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_what_was_committed(site):
    """The real path: commit, the task row, `db_worker --batch` runs it, the provider gets the message."""
    from django.core.management import call_command

    customer = CustomerFactory(site=site, email="nadia@example.fr")
    message = _enqueue(customer, attachments=[("devis.pdf", b"%PDF-1.7", "application/pdf")])
    assert len(_pending_tasks()) == 1
    call_command("db_worker", "--batch", "--interval", "0", "--no-startup-delay", verbosity=0)
    message.refresh_from_db()
    assert (message.state, message.attempts, message.provider, message.provider_id) == (
        "sent",
        1,
        "memory",
        "mem-1",
    )
    assert MemoryProvider.sent == [
        Outgoing(
            channel="email",
            recipient="nadia@example.fr",
            body="Votre appareil est prêt.",
            subject="Dossier prêt",
            reference=str(message.pk),
            reply_to=site.email,
            attachments=(("devis.pdf", b"%PDF-1.7", "application/pdf"),),
        )
    ]


def test_queued_then_sending_then_sent(customer, monkeypatch):
    message = _enqueue(customer)
    seen = []

    def send(outgoing):
        seen.append(Message.objects.values_list("state", "attempts", "sending_since").get(pk=message.pk))
        return MemoryProvider().send(outgoing)

    monkeypatch.setattr("atelier.messaging.providers.base.send", send)
    done = message_deliver(message.pk, now=NOW)
    assert seen == [("sending", 1, NOW)]
    assert (done.state, done.sent_at, done.provider, done.provider_id, done.sending_since, done.reason) == (
        "sent",
        NOW,
        "memory",
        "mem-1",
        None,
        "",
    )


@override_settings(ATELIER_INBOUND_EMAIL="reponses@sav.example.fr")
def test_the_reply_address_is_the_inbound_mailbox_tagged_with_the_message_and_sms_have_none(
    customer, deliver_queued
):
    email = _enqueue(customer)
    _enqueue(customer, channel="sms")
    deliver_queued()
    assert [(o.channel, o.recipient, o.reply_to) for o in MemoryProvider.sent] == [
        ("email", "nadia@example.fr", f"reponses+{email.pk}.{_reply_signature(email.pk)}@sav.example.fr"),
        ("sms", "+33612345678", ""),
    ]
    assert parse_reply_address(MemoryProvider.sent[0].reply_to) == email.pk


def test_without_an_inbound_mailbox_the_reply_address_is_the_site_s_own(customer, deliver_queued):
    customer.site.email = "bastille@sav.example.fr"
    customer.site.save(update_fields=["email"])
    _enqueue(customer)
    deliver_queued()
    assert [o.reply_to for o in MemoryProvider.sent] == ["bastille@sav.example.fr"]


def test_delivering_twice_sends_once(customer):
    message = _enqueue(customer)
    assert message_deliver(message.pk, now=NOW).state == "sent"
    assert message_deliver(message.pk, now=NOW) is None
    assert len(MemoryProvider.sent) == 1
    assert Message.objects.get(pk=message.pk).attempts == 1


@override_settings(ATELIER_MESSAGE_RETRY_DELAYS=[60, 300, 1800, 7200, 43200], ATELIER_MESSAGE_MAX_ATTEMPTS=6)
def test_temporary_failures_are_retried_on_the_schedule_then_fail_with_the_reason(
    customer, django_capture_on_commit_callbacks
):
    message = _enqueue(customer, channel="sms")
    MemoryProvider.fail_with = [TemporaryFailure("délai dépassé (HTTP 504)") for _ in range(6)]
    at, schedule = NOW, []
    for _ in range(5):
        with django_capture_on_commit_callbacks(execute=True):
            done = message_deliver(message.pk, now=at)
        schedule.append((done.state, done.attempts, done.next_attempt_at - at, done.reason))
        assert message_deliver(message.pk, now=done.next_attempt_at - datetime.timedelta(seconds=1)) is None
        at = done.next_attempt_at
    assert schedule == [
        ("queued", 1, datetime.timedelta(minutes=1), "délai dépassé (HTTP 504)"),
        ("queued", 2, datetime.timedelta(minutes=5), "délai dépassé (HTTP 504)"),
        ("queued", 3, datetime.timedelta(minutes=30), "délai dépassé (HTTP 504)"),
        ("queued", 4, datetime.timedelta(hours=2), "délai dépassé (HTTP 504)"),
        ("queued", 5, datetime.timedelta(hours=12), "délai dépassé (HTTP 504)"),
    ]
    # each retry is a task deferred to the minute of the next attempt
    assert [run_after for _, run_after in _pending_tasks()][-1] == at
    done = message_deliver(message.pk, now=at)
    assert (done.state, done.attempts, done.next_attempt_at, done.reason) == (
        "failed",
        6,
        None,
        "Échec après 6 tentatives : délai dépassé (HTTP 504)",
    )
    assert MemoryProvider.sent == []


def test_a_temporary_failure_then_a_success(customer):
    message = _enqueue(customer)
    MemoryProvider.fail_with = [TemporaryFailure("serveur SMTP indisponible (421)")]
    assert message_deliver(message.pk, now=NOW).state == "queued"
    done = message_deliver(message.pk, now=NOW + datetime.timedelta(minutes=1))
    assert (done.state, done.attempts, done.reason, done.next_attempt_at) == ("sent", 2, "", None)


def test_a_permanent_failure_fails_at_once(customer):
    message = _enqueue(customer, channel="sms")
    MemoryProvider.fail_with = [PermanentFailure("numéro non attribué")]
    done = message_deliver(message.pk, now=NOW)
    assert (done.state, done.attempts, done.reason) == (
        "failed",
        1,
        "Refusé par le prestataire : numéro non attribué",
    )
    assert message_deliver(message.pk, now=NOW + datetime.timedelta(days=1)) is None


def test_an_unexpected_provider_error_is_a_temporary_failure(customer, monkeypatch):
    message = _enqueue(customer)

    def broken(outgoing):
        raise ValueError("bug")

    monkeypatch.setattr("atelier.messaging.providers.base.send", broken)
    done = message_deliver(message.pk, now=NOW)
    assert (done.state, done.reason, done.next_attempt_at) == (
        "queued",
        "Erreur inattendue du prestataire (bug).",
        NOW + datetime.timedelta(minutes=1),
    )


def test_refused_when_no_address_or_no_marketing_consent(site):
    landline = CustomerFactory(site=site, email="", phone="+33143000000", phone2="", consent_contact=False)
    no_phone = CustomerFactory(site=site, email="nadia@example.fr", phone="", phone2="")
    refused = [
        _enqueue(landline, channel="email"),
        _enqueue(landline, channel="sms"),
        _enqueue(no_phone, channel="sms"),
        services.message_enqueue(
            site=site,
            customer=CustomerFactory(site=site, consent_contact=False),
            channel="email",
            body="-10 % sur l'entretien",
            category=Category.MARKETING,
        ),
    ]
    assert [(m.state, m.recipient, m.reason) for m in refused] == [
        ("refused", "", "Le client n'a pas d'adresse e-mail."),
        ("refused", "", "Le client n'a pas de numéro de mobile."),
        ("refused", "", "Le client n'a pas de numéro de téléphone."),
        ("refused", refused[3].customer.email, "Le client n'a pas accepté les messages commerciaux."),
    ]
    assert [message_deliver(m.pk, now=NOW) for m in refused] == [None, None, None, None]
    assert MemoryProvider.sent == []


def test_the_second_phone_is_used_when_only_it_is_a_mobile(site):
    customer = CustomerFactory(site=site, phone="+33143000000", phone2="+33798765432")
    assert _enqueue(customer, channel="sms").recipient == "+33798765432"


@override_settings(ATELIER_MESSAGE_STUCK_MINUTES=15, ATELIER_MESSAGE_MAX_ATTEMPTS=2)
def test_stuck_sending_is_queued_again_then_failed_when_no_try_is_left(
    customer, django_capture_on_commit_callbacks
):
    message = _enqueue(customer)
    Message.objects.filter(pk=message.pk).update(
        state=State.SENDING, attempts=1, sending_since=NOW - datetime.timedelta(minutes=20)
    )
    recent = _enqueue(customer)
    Message.objects.filter(pk=recent.pk).update(
        state=State.SENDING, attempts=1, sending_since=NOW - datetime.timedelta(minutes=5)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.requeue_stuck(now=NOW) == 1
    message.refresh_from_db()
    assert (message.state, message.next_attempt_at, message.sending_since, message.reason) == (
        "queued",
        NOW,
        None,
        "Envoi interrompu (le service d'envoi s'est arrêté).",
    )
    assert Message.objects.get(pk=recent.pk).state == "sending"  # perhaps still at the provider's
    assert ({"args": [message.pk], "kwargs": {}}, None) in _pending_tasks()
    # the second try dies too: no try is left
    Message.objects.filter(pk=message.pk).update(
        state=State.SENDING, attempts=2, sending_since=NOW - datetime.timedelta(minutes=20)
    )
    assert services.requeue_stuck(now=NOW) == 1
    message.refresh_from_db()
    assert (message.state, message.reason) == (
        "failed",
        "Échec après 2 tentatives : Envoi interrompu (le service d'envoi s'est arrêté).",
    )


@override_settings(ATELIER_MESSAGE_STUCK_MINUTES=15)
def test_queue_due_enqueues_queued_messages_left_behind(customer, django_capture_on_commit_callbacks):
    old = _enqueue(customer)
    Message.objects.filter(pk=old.pk).update(created_at=NOW - datetime.timedelta(minutes=16))
    fresh = _enqueue(customer)
    Message.objects.filter(pk=fresh.pk).update(created_at=NOW - datetime.timedelta(minutes=1))
    retry = _enqueue(customer)
    Message.objects.filter(pk=retry.pk).update(
        created_at=NOW - datetime.timedelta(hours=3), next_attempt_at=NOW + datetime.timedelta(minutes=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.queue_due(now=NOW) == 1
    assert _pending_tasks() == [({"args": [old.pk], "kwargs": {}}, None)]


def test_outcome_text_never_says_sent_before_it_is(site):
    customer = CustomerFactory(site=site, email="nadia@example.fr", phone="", phone2="")
    messages = [_enqueue(customer), _enqueue(customer, channel="sms")]
    assert services.outcome_text(messages) == (
        "Message mis en file : E-mail (en file), SMS (non envoyé : le client n'a pas de numéro de téléphone.)"
    )


def test_resend_a_failed_message_to_the_address_of_today(customer, accueil):
    message = _enqueue(customer, attachments=[("devis.pdf", b"%PDF-1.7", "application/pdf")])
    MemoryProvider.fail_with = [PermanentFailure("adresse inconnue")]
    message_deliver(message.pk, now=NOW)
    customer.email = "nadia.lefevre@example.fr"
    customer.save()
    again = services.message_resend(actor=accueil, message=Message.objects.get(pk=message.pk))
    assert (again.state, again.recipient, again.body, again.purpose, again.created_by) == (
        "queued",
        "nadia.lefevre@example.fr",
        "Votre appareil est prêt.",
        "ready",
        accueil,
    )
    assert [(a.filename, bytes(a.content)) for a in again.attachments.all()] == [("devis.pdf", b"%PDF-1.7")]
    assert Message.objects.get(pk=message.pk).state == "failed"


def test_reply_on_a_channel_the_customer_has(customer, accueil, magasinier):
    from atelier.core.errors import AtelierError, PermissionRefused

    case = RepairCaseFactory(site=customer.site, customer=customer, appliance__customer=customer)
    reply = services.message_reply(
        actor=accueil, customer=customer, case=case, channel="sms", body=" À demain "
    )
    assert (reply.purpose, reply.body, reply.recipient, reply.case, reply.state) == (
        "reply",
        "À demain",
        "+33612345678",
        case,
        "queued",
    )
    customer.phone = ""
    with pytest.raises(AtelierError, match="Le client n'a pas de numéro de téléphone."):
        services.message_reply(actor=accueil, customer=customer, case=case, channel="sms", body="Bonjour")
    with pytest.raises(PermissionRefused):
        services.message_reply(
            actor=magasinier, customer=customer, case=case, channel="email", body="Bonjour"
        )


def test_outbox_health_counts_the_backlog_and_the_day_s_failures(customer):
    from atelier.messaging.selectors import outbox_health

    old, recent, failed, yesterday = (_enqueue(customer) for _ in range(4))
    Message.objects.filter(pk=old.pk).update(created_at=NOW - datetime.timedelta(minutes=7))
    Message.objects.filter(pk=recent.pk).update(
        state=State.SENDING, created_at=NOW - datetime.timedelta(minutes=1)
    )
    Message.objects.filter(pk=failed.pk).update(
        state=State.FAILED, created_at=NOW - datetime.timedelta(hours=3)
    )
    Message.objects.filter(pk=yesterday.pk).update(
        state=State.FAILED, created_at=NOW - datetime.timedelta(hours=25)
    )
    _enqueue(CustomerFactory(site=customer.site, email="", phone="+33612345679"))  # refused: not a backlog
    assert outbox_health(now=NOW) == {
        "queued": 2,
        "oldest_queued_seconds": 420,
        "failed_last_24h": 1,
        "overdue": 0,  # 7 minutes: not yet late (ATELIER_MESSAGE_STUCK_MINUTES = 15)
    }
