"""The SMTP provider against a local fake SMTP server: accepted, recipient refused (550), server busy (421),
nobody listening."""

import socket
from email import message_from_bytes, policy

import pytest

from atelier.messaging.providers.base import Accepted, Outgoing, PermanentFailure, TemporaryFailure
from atelier.messaging.providers.smtp import SmtpProvider
from atelier.messaging.tests.fakes import FakeSmtp

OUTGOING = Outgoing(
    channel="email",
    recipient="marie.durand@example.fr",
    subject="Votre devis D-2026-0042",
    body="Bonjour, voici votre devis.",
    reply_to="sav+12.0123456789abcdef@atelier.example",
    attachments=(("devis.pdf", b"%PDF-1.7 fake", "application/pdf"),),
)


@pytest.fixture
def smtp_settings(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 2
    settings.DEFAULT_FROM_EMAIL = "sav@atelier.example"
    return settings


def test_an_accepted_email_carries_its_attachment_and_reply_to(smtp_settings):
    with FakeSmtp() as server:
        smtp_settings.EMAIL_PORT = server.port
        accepted = SmtpProvider().send(OUTGOING)
    assert len(server.received) == 1
    received = server.received[0]
    assert (received.mail_from, received.rcpt_to) == ("sav@atelier.example", ["marie.durand@example.fr"])
    mail = message_from_bytes(received.data, policy=policy.default)
    assert mail["Subject"] == "Votre devis D-2026-0042"
    assert mail["Reply-To"] == "sav+12.0123456789abcdef@atelier.example"
    assert mail.get_body(("plain",)).get_content().strip() == "Bonjour, voici votre devis."
    [attachment] = list(mail.iter_attachments())
    assert (attachment.get_filename(), attachment.get_content_type()) == ("devis.pdf", "application/pdf")
    assert attachment.get_content() == b"%PDF-1.7 fake"
    assert accepted == Accepted(provider="smtp", provider_id=mail["Message-ID"].strip("<>"))
    assert accepted.provider_id.endswith("@atelier.example")


def test_a_refused_recipient_is_a_permanent_failure_with_the_servers_words(smtp_settings):
    with FakeSmtp(refused={"marie.durand@example.fr"}) as server:
        smtp_settings.EMAIL_PORT = server.port
        with pytest.raises(PermanentFailure) as failure:
            SmtpProvider().send(OUTGOING)
    assert failure.value.reason == (
        "Le serveur d'e-mail a répondu 550 : 5.1.1 <marie.durand@example.fr>: Recipient address rejected: "
        "User unknown"
    )
    assert server.received == []


def test_a_busy_server_421_is_a_temporary_failure(smtp_settings):
    with FakeSmtp(greeting_421=True) as server:
        smtp_settings.EMAIL_PORT = server.port
        with pytest.raises(TemporaryFailure) as failure:
            SmtpProvider().send(OUTGOING)
    assert failure.value.reason == (
        "Le serveur d'e-mail a répondu 421 : 4.3.2 Service not available, closing channel"
    )


def test_a_silent_server_times_out_into_a_temporary_failure(smtp_settings):
    smtp_settings.EMAIL_TIMEOUT = 0.3
    with FakeSmtp(silent=True) as server:
        smtp_settings.EMAIL_PORT = server.port
        with pytest.raises(TemporaryFailure) as failure:
            SmtpProvider().send(OUTGOING)
    assert failure.value.reason == "Serveur d'e-mail injoignable : Connection unexpectedly closed: timed out"


def test_nobody_listening_is_a_temporary_failure(smtp_settings):
    with socket.socket() as probe:  # a port that was free a moment ago, now closed: connection refused
        probe.bind(("127.0.0.1", 0))
        smtp_settings.EMAIL_PORT = probe.getsockname()[1]
    with pytest.raises(TemporaryFailure) as failure:
        SmtpProvider().send(OUTGOING)
    assert failure.value.reason == "Serveur d'e-mail injoignable : [Errno 111] Connection refused"
