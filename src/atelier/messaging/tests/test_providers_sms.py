"""The SMS providers against local fakes of their APIs: the exact request sent (URL, headers, JSON, OVH's
signature computed here independently), and how each answer is read: accepted, 500, too slow, number refused."""

import hashlib
import json

import pytest

from atelier.messaging.providers.base import (
    Accepted,
    NoSmsProvider,
    Outgoing,
    PermanentFailure,
    TemporaryFailure,
    e164,
    send,
)
from atelier.messaging.providers.brevo import BrevoSmsProvider
from atelier.messaging.providers.ovh import OvhSmsProvider
from atelier.messaging.tests.fakes import (
    BREVO_ACCEPTED,
    BREVO_INVALID_NUMBER,
    OVH_ACCEPTED,
    OVH_INVALID_RECEIVER,
    OVH_NOT_GRANTED,
    Answer,
    FakeApi,
)

SMS = Outgoing(channel="sms", recipient="06 12 34 56 78", body="Votre lave-linge est prêt.", reference="m-41")


@pytest.fixture
def brevo(settings):
    settings.ATELIER_SMS_PROVIDER = "atelier.messaging.providers.brevo.BrevoSmsProvider"
    settings.ATELIER_BREVO_API_KEY = "xkeysib-test"
    settings.ATELIER_SMS_SENDER = "ATELIER"
    settings.ATELIER_SMS_TIMEOUT = 0.3
    return settings


@pytest.fixture
def ovh(settings):
    settings.ATELIER_SMS_PROVIDER = "atelier.messaging.providers.ovh.OvhSmsProvider"
    settings.ATELIER_OVH_APPLICATION_KEY = "app-key"
    settings.ATELIER_OVH_APPLICATION_SECRET = "app-secret"
    settings.ATELIER_OVH_CONSUMER_KEY = "consumer-key"
    settings.ATELIER_OVH_SMS_SERVICE = "sms-ab12345-1"
    settings.ATELIER_SMS_SENDER = "ATELIER"
    settings.ATELIER_SMS_TIMEOUT = 0.3
    return settings


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("06 12 34 56 78", "+33612345678"),
        ("0033612345678", "+33612345678"),
        ("33612345678", "+33612345678"),
        ("+33 6 12 34 56 78", "+33612345678"),
        ("+32 470 12 34 56", "+32470123456"),
        ("12", ""),
    ],
)
def test_phone_numbers_in_e164(written, expected):
    assert e164(written) == expected


def test_without_a_configured_provider_an_sms_fails_at_once(settings):
    settings.ATELIER_SMS_PROVIDER = "atelier.messaging.providers.base.NoSmsProvider"
    with pytest.raises(PermanentFailure) as failure:
        send(SMS)
    assert failure.value.reason == "Aucun prestataire SMS n'est configuré (ATELIER_SMS_PROVIDER)."
    assert NoSmsProvider.name == "none"


# --- Brevo


def test_brevo_sends_the_documented_request_and_keeps_the_message_id(brevo):
    with FakeApi(Answer(201, BREVO_ACCEPTED)) as api:
        brevo.ATELIER_BREVO_URL = api.url
        accepted = send(SMS)
    assert accepted == Accepted(provider="brevo", provider_id="1511882900176220")
    [request] = api.requests
    assert (request.method, request.path) == ("POST", "/v3/transactionalSMS/send")
    assert request.headers["api-key"] == "xkeysib-test"
    assert request.headers["content-type"] == "application/json"
    assert request.json() == {
        "sender": "ATELIER",
        "recipient": "33612345678",
        "content": "Votre lave-linge est prêt.",
        "type": "transactional",
        "unicodeEnabled": True,  # « ê » is not in the GSM alphabet
        "tag": "m-41",
    }


def test_brevo_gsm_text_is_not_sent_as_unicode(brevo):
    with FakeApi(Answer(201, BREVO_ACCEPTED)) as api:
        brevo.ATELIER_BREVO_URL = api.url
        BrevoSmsProvider().send(
            Outgoing(channel="sms", recipient="+33612345678", body="Appareil réparé à 14h")
        )
    assert api.requests[0].json()["unicodeEnabled"] is False


@pytest.mark.parametrize(
    ("answer", "failure", "reason"),
    [
        (
            Answer(500, {"message": "Internal error"}),
            TemporaryFailure,
            "Brevo a répondu 500 : Internal error",
        ),
        (
            Answer(429, {"message": "Too many requests"}),
            TemporaryFailure,
            "Brevo a répondu 429 : Too many requests",
        ),
        (Answer(400, BREVO_INVALID_NUMBER), PermanentFailure, "Brevo a répondu 400 : Invalid phone number"),
        (Answer(201, BREVO_ACCEPTED, delay=1.0), TemporaryFailure, "Brevo n'a pas répondu à temps (0.3 s)."),
    ],
)
def test_brevo_failures(brevo, answer, failure, reason):
    with FakeApi(answer) as api:
        brevo.ATELIER_BREVO_URL = api.url
        with pytest.raises(failure) as raised:
            send(SMS)
    assert raised.value.reason == reason


def test_an_invalid_number_is_refused_before_calling_anyone(brevo):
    with FakeApi() as api:
        brevo.ATELIER_BREVO_URL = api.url
        with pytest.raises(PermanentFailure) as raised:
            send(Outgoing(channel="sms", recipient="12", body="x"))
    assert raised.value.reason == "« 12 » n'est pas un numéro de téléphone valide."
    assert api.requests == []


def test_nobody_listening_is_a_temporary_failure(brevo):
    with FakeApi() as api:
        url = api.url
    brevo.ATELIER_BREVO_URL = url  # the server is closed: connection refused
    with pytest.raises(TemporaryFailure) as raised:
        send(SMS)
    assert raised.value.reason == "Brevo injoignable : [Errno 111] Connection refused"


# --- OVHcloud


def test_ovh_signs_the_documented_request_and_keeps_the_job_id(ovh):
    with FakeApi(Answer(200, OVH_ACCEPTED)) as api:
        ovh.ATELIER_OVH_URL = api.url + "/1.0"
        accepted = send(SMS)
    assert accepted == Accepted(provider="ovh", provider_id="987654321")
    [request] = api.requests
    assert (request.method, request.path) == ("POST", "/1.0/sms/sms-ab12345-1/jobs")
    assert request.json() == {
        "receivers": ["+33612345678"],
        "message": "Votre lave-linge est prêt.",
        "charset": "UTF-8",
        "noStopClause": True,
        "priority": "high",
        "sender": "ATELIER",
        "tag": "m-41",
    }
    headers = request.headers
    assert (headers["x-ovh-application"], headers["x-ovh-consumer"]) == ("app-key", "consumer-key")
    # OVH's rule, written again here: "$1$" + sha1("secret+consumer+METHOD+URL+body+timestamp")
    plain = "+".join(
        [
            "app-secret",
            "consumer-key",
            "POST",
            f"{api.url}/1.0/sms/sms-ab12345-1/jobs",
            request.body.decode(),
            headers["x-ovh-timestamp"],
        ]
    )
    assert headers["x-ovh-signature"] == "$1$" + hashlib.sha1(plain.encode()).hexdigest()


def test_ovh_without_a_sender_name_sends_from_a_number_customers_can_answer(ovh):
    ovh.ATELIER_SMS_SENDER = ""
    with FakeApi(Answer(200, OVH_ACCEPTED)) as api:
        ovh.ATELIER_OVH_URL = api.url
        OvhSmsProvider().send(SMS)
    body = api.requests[0].json()
    assert "sender" not in body
    assert body["senderForResponse"] is True


@pytest.mark.parametrize(
    ("answer", "failure", "reason"),
    [
        (
            Answer(500, {"message": "Internal server error"}),
            TemporaryFailure,
            "OVHcloud a répondu 500 : Internal server error",
        ),
        (
            Answer(403, OVH_NOT_GRANTED),
            PermanentFailure,
            "OVHcloud a répondu 403 : This call has not been granted",
        ),
        (Answer(200, OVH_INVALID_RECEIVER), PermanentFailure, "OVHcloud a refusé le numéro +33612345678."),
        (Answer(200, OVH_ACCEPTED, delay=1.0), TemporaryFailure, "OVHcloud n'a pas répondu à temps (0.3 s)."),
    ],
)
def test_ovh_failures(ovh, answer, failure, reason):
    with FakeApi(answer) as api:
        ovh.ATELIER_OVH_URL = api.url
        with pytest.raises(failure) as raised:
            send(SMS)
    assert raised.value.reason == reason
    assert json.loads(api.requests[0].body)["receivers"] == ["+33612345678"]
