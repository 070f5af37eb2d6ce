"""The providers' callbacks, with the bodies each provider really sends: a wrong secret touches nothing (403),
receipts and replies land where they should, an unknown id still answers 200."""

import datetime as dt
import json

import pytest
from django.test import Client

from atelier.messaging.choices import Channel, Direction, State
from atelier.messaging.models import Message
from atelier.messaging.providers.base import reply_address
from atelier.repairs.tests.factories import RepairCaseFactory

pytestmark = pytest.mark.django_db

SECRET = "s3cr3t-webhook-token"


@pytest.fixture(autouse=True)
def webhook_secret(settings):
    settings.ATELIER_WEBHOOK_SECRET = SECRET
    settings.ATELIER_INBOUND_EMAIL = "sav@atelier.example"


@pytest.fixture
def case(site):
    case = RepairCaseFactory(site=site)
    case.customer.phone, case.customer.email = "+33612345678", "marie.durand@example.fr"
    case.customer.save()
    return case


def _sent(case, channel=Channel.SMS, provider="brevo", provider_id="1511882900176220"):
    return Message.objects.create(
        site=case.site,
        customer=case.customer,
        case=case,
        channel=channel,
        recipient=case.customer.phone if channel == Channel.SMS else case.customer.email,
        body="Votre appareil est prêt.",
        state=State.SENT,
        provider=provider,
        provider_id=provider_id,
    )


def _post_json(url, data):
    return Client().post(url, json.dumps(data), content_type="application/json")


BREVO_DELIVERED = {
    "id": 26570,
    "to": "33612345678",
    "sms_count": 1,
    "credits_used": 1.5,
    "messageId": 1511882900176220,
    "remaining_credit": 11488.845,
    "msg_status": "delivered",
    "date": "2026-11-26 10:30:00",
    "type": "transactional",
    "reference": "ab1cde2fgh3i4jklmno",
    "ts_event": 1795685400,  # 09:30 UTC, « date » being Paris time
}


@pytest.mark.parametrize(
    "url",
    [
        "/messages/webhooks/brevo/wrong/sms/",
        "/messages/webhooks/brevo/wrong/email/",
        "/messages/webhooks/ovh/wrong/receipt/?id=987654321&dlr=1",
        "/messages/webhooks/ovh/wrong/incoming/?id=1&sender=%2B33612345678&message=x",
        "/messages/webhooks/email/wrong/raw/",
    ],
)
def test_a_wrong_secret_is_refused_and_touches_nothing(case, url):
    message = _sent(case)
    assert _post_json(url, BREVO_DELIVERED).status_code == 403
    assert Client().get(url).status_code in (403, 405)
    message.refresh_from_db()
    assert message.state == State.SENT
    assert Message.objects.count() == 1


def test_no_secret_configured_refuses_every_callback(case, settings):
    settings.ATELIER_WEBHOOK_SECRET = ""
    assert _post_json("/messages/webhooks/brevo//sms/", BREVO_DELIVERED).status_code == 404  # empty segment
    assert _post_json("/messages/webhooks/brevo/x/sms/", BREVO_DELIVERED).status_code == 403


def test_brevo_delivered_then_replied(case):
    message = _sent(case)
    url = f"/messages/webhooks/brevo/{SECRET}/sms/"
    assert _post_json(url, BREVO_DELIVERED).status_code == 200
    message.refresh_from_db()
    assert (message.state, message.delivered_at) == (
        State.DELIVERED,
        dt.datetime(2026, 11, 26, 9, 30, tzinfo=dt.UTC),
    )
    replied = {
        **BREVO_DELIVERED,
        "msg_status": "replied",
        "reply": "Merci, je passe à 17h",
        "ts_event": 1795690000,
    }
    assert _post_json(url, replied).status_code == 200
    assert _post_json(url, replied).status_code == 200  # Brevo retried: still one reply
    [reply] = Message.objects.filter(direction=Direction.IN)
    assert (reply.case, reply.in_reply_to, reply.body, reply.provider) == (
        case,
        message,
        "Merci, je passe à 17h",
        "brevo",
    )


def test_brevo_hard_bounce_fails_the_message_with_its_description(case):
    message = _sent(case)
    bounce = {**BREVO_DELIVERED, "msg_status": "hard_bounce", "description": "Invalid number"}
    assert _post_json(f"/messages/webhooks/brevo/{SECRET}/sms/", [bounce]).status_code == 200  # batched
    message.refresh_from_db()
    assert (message.state, message.reason) == (State.FAILED, "hard_bounce : Invalid number")


def test_an_unknown_message_id_still_answers_200(case):
    response = _post_json(f"/messages/webhooks/brevo/{SECRET}/sms/", {**BREVO_DELIVERED, "messageId": 1})
    assert response.status_code == 200
    assert _post_json(f"/messages/webhooks/brevo/{SECRET}/sms/", "pas un objet").status_code == 400


def test_ovh_receipts(case):
    delivered, failed = (
        _sent(case, provider="ovh", provider_id="987654321"),
        _sent(case, provider="ovh", provider_id="5"),
    )
    client = Client()
    url = f"/messages/webhooks/ovh/{SECRET}/receipt/"
    assert (
        client.get(url, {"id": "987654321", "dlr": "1", "ptt": "13", "receiver": "+33612345678"}).status_code
        == 200
    )
    assert (
        client.get(url, {"id": "5", "dlr": "2", "ptt": "2", "description": "Numéro inconnu"}).status_code
        == 200
    )
    assert client.get(url, {"id": "5", "dlr": "4"}).status_code == 200  # on the way: nothing to record
    delivered.refresh_from_db()
    failed.refresh_from_db()
    assert delivered.state == State.DELIVERED
    assert (failed.state, failed.reason) == (State.FAILED, "Numéro inconnu")


def test_ovh_incoming_sms(case):
    asked = _sent(case, provider="ovh", provider_id="987654321")
    url = f"/messages/webhooks/ovh/{SECRET}/incoming/"
    params = {
        "id": "4242",
        "sender": "0033612345678",
        "message": "OK pour jeudi",
        "date": "2026-11-26 10:40:00",
    }
    assert Client().get(url, params).status_code == 200
    assert Client().get(url, params).status_code == 200
    [reply] = Message.objects.filter(direction=Direction.IN)
    assert (reply.case, reply.in_reply_to, reply.sender, reply.body, reply.provider_id) == (
        case,
        asked,
        "+33612345678",
        "OK pour jeudi",
        "in-4242",
    )
    assert Client().get(url, {"message": "x"}).status_code == 400


RAW = """\
From: Marie Durand <marie.durand@example.fr>
To: {to}
Subject: Re: Votre devis
Date: Thu, 26 Nov 2026 10:45:00 +0100
Message-ID: <CAF123@mail.example.fr>
Content-Type: text/plain; charset=utf-8

Je suis d'accord, vous pouvez commander la pièce.

Le jeu. 26 nov. 2026 à 09:00, Atelier <sav@atelier.example> a écrit :
> Votre devis est prêt.
"""


def test_a_raw_email_reply_lands_on_the_thread_of_its_reply_address(case):
    asked = _sent(case, channel=Channel.EMAIL, provider="smtp", provider_id="x@atelier.example")
    raw = RAW.format(to=reply_address(asked)).encode()
    url = f"/messages/webhooks/email/{SECRET}/raw/"
    assert Client().post(url, raw, content_type="message/rfc822").status_code == 200
    [reply] = Message.objects.filter(direction=Direction.IN)
    assert (reply.case, reply.in_reply_to, reply.channel, reply.subject) == (
        case,
        asked,
        Channel.EMAIL,
        "Re: Votre devis",
    )
    assert reply.body == "Je suis d'accord, vous pouvez commander la pièce."
    assert (reply.sender, reply.provider_id) == ("marie.durand@example.fr", "CAF123@mail.example.fr")
    assert reply.created_at == dt.datetime(2026, 11, 26, 9, 45, tzinfo=dt.UTC)
    # Mailgun's « mime » route: the same e-mail in a form field; the same Message-ID: recorded once
    assert Client().post(url, {"body-mime": raw.decode()}).status_code == 200
    assert Message.objects.filter(direction=Direction.IN).count() == 1
    assert Client().post(url, b"", content_type="message/rfc822").status_code == 400


def test_brevo_inbound_email(case):
    asked = _sent(case, channel=Channel.EMAIL, provider="smtp", provider_id="x@atelier.example")
    payload = {
        "items": [
            {
                "Uuid": ["8f0c3d2e-0000-4000-8000-000000000000"],
                "MessageId": "<CAF456@mail.example.fr>",
                "InReplyTo": "<x@atelier.example>",
                "From": {"Name": "Marie Durand", "Address": "marie.durand@example.fr"},
                "To": [{"Name": None, "Address": reply_address(asked)}],
                "Subject": "Re: Votre devis",
                "SentAtDate": "Thu, 26 Nov 2026 10:45:00 +0100",
                "RawTextBody": "Oui\n\n> Votre devis",
                "ExtractedMarkdownMessage": "Oui",
            }
        ]
    }
    assert _post_json(f"/messages/webhooks/brevo/{SECRET}/email/", payload).status_code == 200
    [reply] = Message.objects.filter(direction=Direction.IN)
    assert (reply.case, reply.in_reply_to, reply.body, reply.provider, reply.provider_id) == (
        case,
        asked,
        "Oui",
        "brevo",
        "CAF456@mail.example.fr",
    )
    assert _post_json(f"/messages/webhooks/brevo/{SECRET}/email/", {"items": "x"}).status_code == 400
