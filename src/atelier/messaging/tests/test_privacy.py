"""The outbox's messages in the customer's personal data: a contact only when the customer wrote, in the export,
scrubbed on erasure (RGPD art. 15, 17, 20)."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from atelier.customers.export import export_data
from atelier.customers.privacy import customer_erase
from atelier.customers.retention import last_contacts
from atelier.customers.tests.factories import CustomerFactory
from atelier.messaging import services
from atelier.messaging.models import MessageAttachment
from atelier.messaging.services_inbound import message_inbound

pytestmark = pytest.mark.django_db

SENT = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
ANSWERED = datetime.datetime(2026, 3, 4, 18, 30, tzinfo=datetime.UTC)


@pytest.fixture
def customer(site):
    with time_machine.travel(datetime.datetime(2025, 1, 10, 10, 0, tzinfo=datetime.UTC), tick=False):
        return CustomerFactory(site=site, email="nadia@example.fr", phone="+33612345678", phone2="")


def _send(customer):
    with time_machine.travel(SENT, tick=False):
        return services.message_enqueue(
            site=customer.site,
            customer=customer,
            channel="email",
            subject="Votre devis",
            body="Bonjour Nadia, voici votre devis.",
            attachments=[("devis.pdf", b"%PDF-1.7 devis", "application/pdf")],
        )


def test_a_message_from_the_shop_is_not_a_contact_but_the_customer_s_answer_is(customer):
    _send(customer)
    before = last_contacts([customer.pk])[customer.pk]
    assert before == datetime.date(2025, 1, 10)
    message_inbound(
        channel="sms",
        sender="+33612345678",
        text="D'accord pour le devis",
        provider="memory",
        provider_id="in-1",
        at=ANSWERED,
    )
    assert last_contacts([customer.pk])[customer.pk] == datetime.date(2026, 3, 4)


def test_the_export_lists_the_messages_both_ways(customer):
    _send(customer)
    message_inbound(
        channel="sms",
        sender="+33612345678",
        text="D'accord",
        provider="memory",
        provider_id="in-2",
        at=ANSWERED,
    )
    rows = export_data(customer)["echanges"]
    assert [(r["sens"], r["canal"], r["adresse"], r["texte"], r["etat"]) for r in rows] == [
        ("Envoyé au client", "E-mail", "nadia@example.fr", "Bonjour Nadia, voici votre devis.", "En file"),
        ("Reçu du client", "SMS", "+33612345678", "D'accord", "Reçu"),
    ]


def test_erasure_replaces_the_messages_text_and_deletes_their_attachments(customer, responsable):
    message = _send(customer)
    customer_erase(actor=responsable, customer=customer, channel="guichet", requested_on=timezone.localdate())
    message.refresh_from_db()
    assert (message.recipient, message.subject, message.body) == ("[anonymisé]", "", "[anonymisé]")
    assert MessageAttachment.objects.filter(message=message).count() == 0
