"""Delivery receipts and customers' replies: where each lands, exactly, and that twice changes nothing."""

import datetime as dt

import pytest

from atelier.customers.tests.factories import CustomerFactory
from atelier.messaging.choices import Channel, Direction, Purpose, State
from atelier.messaging.models import Message
from atelier.messaging.providers.base import parse_reply_address, reply_address
from atelier.messaging.services_inbound import message_inbound, message_receipt, strip_quoted
from atelier.repairs.choices import CaseStatus
from atelier.repairs.models import RepairCase
from atelier.repairs.tests.factories import RepairCaseFactory

pytestmark = pytest.mark.django_db

AT = dt.datetime(2026, 11, 26, 9, 30, tzinfo=dt.UTC)


def _sent(
    case, channel=Channel.SMS, state=State.SENT, provider="brevo", provider_id="1511882900176220", **kw
):
    customer = case.customer
    return Message.objects.create(
        site=case.site,
        customer=customer,
        case=case,
        channel=channel,
        recipient=customer.phone if channel == Channel.SMS else customer.email,
        body="Votre appareil est prêt.",
        state=state,
        provider=provider,
        provider_id=provider_id,
        **kw,
    )


# --- receipts


def test_a_delivery_receipt_marks_the_message_delivered_once(site):
    message = _sent(RepairCaseFactory(site=site))
    message_receipt(provider="brevo", provider_id="1511882900176220", state=State.DELIVERED, at=AT)
    message.refresh_from_db()
    assert (message.state, message.delivered_at, message.reason) == (State.DELIVERED, AT, "")
    later = AT + dt.timedelta(hours=1)
    message_receipt(provider="brevo", provider_id="1511882900176220", state=State.DELIVERED, at=later)
    message_receipt(
        provider="brevo", provider_id="1511882900176220", state=State.FAILED, reason="x", at=later
    )
    message.refresh_from_db()
    assert (message.state, message.delivered_at, message.reason) == (State.DELIVERED, AT, "")


def test_a_failure_receipt_keeps_the_first_reason(site):
    message = _sent(RepairCaseFactory(site=site))
    message_receipt(
        provider="brevo", provider_id="1511882900176220", state=State.FAILED, reason="hard_bounce", at=AT
    )
    message_receipt(
        provider="brevo", provider_id="1511882900176220", state=State.FAILED, reason="autre", at=AT
    )
    message.refresh_from_db()
    assert (message.state, message.reason, message.delivered_at) == (State.FAILED, "hard_bounce", None)


def test_a_receipt_of_another_provider_or_an_unknown_id_changes_nothing(site, caplog):
    message = _sent(RepairCaseFactory(site=site))
    assert (
        message_receipt(provider="ovh", provider_id="1511882900176220", state=State.DELIVERED, at=AT) is None
    )
    assert message_receipt(provider="brevo", provider_id="999", state=State.DELIVERED, at=AT) is None
    message.refresh_from_db()
    assert message.state == State.SENT
    assert "Accusé de réception brevo 999 : aucun message ne porte cette référence." in caplog.text


# --- replies


def test_an_sms_reply_lands_on_the_thread_of_the_last_sms_sent_to_that_number(site):
    case = RepairCaseFactory(site=site)
    case.customer.phone = "+33612345678"
    case.customer.save()
    asked = _sent(case)
    reply = message_inbound(
        channel=Channel.SMS,
        sender="33612345678",
        text="Je passe demain",
        provider="brevo",
        provider_id="r1",
        at=AT,
    )
    assert (reply.site, reply.customer, reply.case, reply.in_reply_to) == (site, case.customer, case, asked)
    assert (reply.direction, reply.state, reply.purpose) == (Direction.IN, State.RECEIVED, Purpose.INBOUND)
    assert (reply.sender, reply.body, reply.created_at) == ("+33612345678", "Je passe demain", AT)
    again = message_inbound(
        channel=Channel.SMS,
        sender="33612345678",
        text="Je passe demain",
        provider="brevo",
        provider_id="r1",
        at=AT,
    )
    assert again == reply
    assert Message.objects.filter(direction=Direction.IN).count() == 1


def test_a_known_customer_without_a_message_gets_their_latest_open_dossier(site):
    customer = CustomerFactory(site=site, phone="+33698765432", phone2="")
    older = RepairCaseFactory(site=site, customer=customer)
    newer = RepairCaseFactory(site=site, customer=customer)
    RepairCase.objects.filter(pk=newer.pk).update(status=CaseStatus.CLOTURE)
    reply = message_inbound(
        channel=Channel.SMS,
        sender="0033698765432",
        text="Des nouvelles ?",
        provider="ovh",
        provider_id="",
        at=AT,
    )
    assert (reply.customer, reply.case, reply.site, reply.in_reply_to) == (customer, older, site, None)


def test_an_unknown_sender_lands_in_the_unassigned_inbox_of_the_configured_site(site, other_site, settings):
    settings.ATELIER_INBOUND_SITE = "LYO1"
    reply = message_inbound(
        channel=Channel.SMS,
        sender="+33611111111",
        text="Qui êtes-vous ?",
        provider="ovh",
        provider_id="",
        at=AT,
    )
    assert (reply.site, reply.customer, reply.case) == (other_site, None, None)
    settings.ATELIER_INBOUND_SITE = ""
    reply = message_inbound(
        channel=Channel.EMAIL,
        sender="inconnu@example.fr",
        text="Bonjour",
        provider="email",
        provider_id="",
        at=AT,
    )
    assert (reply.site, reply.customer, reply.case) == (site, None, None)  # the first site


def test_an_email_reply_follows_its_signed_reply_address_and_loses_its_quoted_history(site, settings):
    settings.ATELIER_INBOUND_EMAIL = "sav@atelier.example"
    case = RepairCaseFactory(site=site)
    other_case = RepairCaseFactory(site=site, customer=case.customer)
    asked = _sent(case, channel=Channel.EMAIL, provider="smtp", provider_id="abc@atelier.example")
    _sent(other_case, channel=Channel.EMAIL, provider="smtp", provider_id="def@atelier.example")  # sent later
    address = reply_address(asked)
    assert address.startswith(f"sav+{asked.pk}.") and address.endswith("@atelier.example")
    assert parse_reply_address(address) == asked.pk
    assert parse_reply_address(address.upper()) == asked.pk  # a server that changes the case
    text = "D'accord pour le devis.\n\nLe 25 nov. 2026 à 10:02, Atelier <sav@atelier.example> a écrit :\n> Votre devis"
    reply = message_inbound(
        channel=Channel.EMAIL,
        sender=case.customer.email.upper(),
        text=text,
        subject="Re: Votre devis",
        provider="email",
        provider_id="m1@example.fr",
        at=AT,
        in_reply_to_hint=address,
    )
    assert (reply.case, reply.in_reply_to, reply.body) == (case, asked, "D'accord pour le devis.")
    assert (reply.subject, reply.recipient, reply.sender) == ("Re: Votre devis", address, case.customer.email)


def test_a_forged_reply_address_is_not_followed(site, settings):
    settings.ATELIER_INBOUND_EMAIL = "sav@atelier.example"
    asked = _sent(RepairCaseFactory(site=site), channel=Channel.EMAIL)
    forged = f"sav+{asked.pk}.0000000000000000@atelier.example"
    assert parse_reply_address(forged) is None
    assert parse_reply_address("sav@atelier.example") is None
    reply = message_inbound(
        channel=Channel.EMAIL,
        sender="x@example.fr",
        text="?",
        provider="email",
        provider_id="",
        at=AT,
        in_reply_to_hint=forged,
    )
    assert (reply.customer, reply.case, reply.in_reply_to) == (None, None, None)


def test_no_inbound_address_no_reply_to(site, settings):
    settings.ATELIER_INBOUND_EMAIL = ""
    assert reply_address(_sent(RepairCaseFactory(site=site))) == ""


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Oui merci\n> Bonjour\n> Votre devis", "Oui merci"),
        ("Oui\r\n\r\nOn Tue, Nov 25, 2026 at 10:02 AM Atelier <sav@a.fr> wrote:\r\n> hi", "Oui"),
        ("Merci\n-----Original Message-----\nFrom: sav@a.fr", "Merci"),
        ("Merci\n\n--\nMarie Durand\n06 12 34 56 78", "Merci"),
        ("Ligne 1\nLigne 2", "Ligne 1\nLigne 2"),
        (
            "D'accord\n\nLe jeu. 26 nov. 2026 à 09:00, Atelier <\nsav@atelier.example> a écrit :\n> Devis",
            "D'accord",
        ),
    ],
)
def test_strip_quoted(text, kept):
    assert strip_quoted(text) == kept


def test_the_database_keeps_one_reply_per_provider_id(site):
    from django.db import IntegrityError, transaction

    def reply(provider_id):
        return Message.objects.create(
            site=site,
            direction=Direction.IN,
            channel=Channel.SMS,
            recipient="ovh",
            body="x",
            state=State.RECEIVED,
            provider="ovh",
            provider_id=provider_id,
        )

    reply("in-1")
    reply("")
    reply("")  # replies without an id (some OVH callbacks) are not deduplicated
    with pytest.raises(IntegrityError), transaction.atomic():
        reply("in-1")
    assert Message.objects.filter(provider="ovh").count() == 3
