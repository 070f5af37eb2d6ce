"""`atelier sms test`: one SMS through the configured provider (here Brevo's fake), and its answer."""

import io

import pytest
from django.core.management import CommandError, call_command

from atelier.messaging.tests.fakes import BREVO_ACCEPTED, BREVO_INVALID_NUMBER, Answer, FakeApi


@pytest.fixture
def brevo(settings):
    settings.ATELIER_SMS_PROVIDER = "atelier.messaging.providers.brevo.BrevoSmsProvider"
    settings.ATELIER_BREVO_API_KEY = "xkeysib-test"
    settings.ATELIER_SMS_SENDER = "ATELIER"
    settings.ATELIER_SMS_TIMEOUT = 0.3
    return settings


def test_sms_test_says_what_the_provider_answered(brevo):
    out = io.StringIO()
    with FakeApi(Answer(201, BREVO_ACCEPTED)) as api:
        brevo.ATELIER_BREVO_URL = api.url
        call_command("sms", "test", "06 12 34 56 78", "--text", "Essai", stdout=out)
    assert out.getvalue() == (
        "Prestataire : brevo (atelier.messaging.providers.brevo.BrevoSmsProvider)\n"
        "Accepté par brevo, référence 1511882900176220.\n"
    )
    assert api.requests[0].json()["content"] == "Essai"


def test_sms_test_reports_a_refusal(brevo):
    with FakeApi(Answer(400, BREVO_INVALID_NUMBER)) as api:
        brevo.ATELIER_BREVO_URL = api.url
        with pytest.raises(CommandError) as error:
            call_command("sms", "test", "+33612345678", stdout=io.StringIO())
    assert str(error.value) == "Échec définitif : Brevo a répondu 400 : Invalid phone number"
