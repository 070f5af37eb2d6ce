"""The messages API: list (filters), detail, write to a customer; steps and sites."""

import pytest

from atelier.customers.tests.factories import CustomerFactory
from atelier.messaging import services
from atelier.messaging.choices import Purpose
from atelier.messaging.models import Message
from atelier.repairs.tests.factories import RepairCaseFactory


@pytest.fixture
def case(site):
    customer = CustomerFactory(site=site, email="nadia@example.fr", phone="+33612345678", phone2="")
    return RepairCaseFactory(site=site, customer=customer)


def _quote_email(case):
    return services.message_enqueue(
        site=case.site,
        customer=case.customer,
        case=case,
        channel="email",
        subject="Votre devis",
        body="Ci-joint.",
        purpose=Purpose.QUOTE,
        attachments=[("DEV-1.pdf", b"%PDF-1.7", "application/pdf")],
    )


def test_list_filter_and_detail(client, case, accueil, site):
    email = _quote_email(case)
    other = RepairCaseFactory(site=site)
    sms = services.message_enqueue(
        site=site, customer=other.customer, case=other, channel="sms", body="Prêt."
    )
    client.force_login(accueil)
    everything = client.get("/api/messages/").json()
    assert [m["id"] for m in everything["results"]] == [sms.pk, email.pk]
    mine = client.get(f"/api/messages/?case={case.pk}&state=queued").json()
    assert [(m["id"], m["channel"], m["state"], m["state_label"], m["purpose"]) for m in mine["results"]] == [
        (email.pk, "email", "queued", "En file", "quote")
    ]
    assert client.get(f"/api/messages/?customer={other.customer.pk}").json()["count"] == 1
    assert client.get("/api/messages/?state=sent").json()["count"] == 0
    assert client.get("/api/messages/?state=parti").status_code == 400
    assert client.get("/api/messages/?case=abc").status_code == 400
    detail = client.get(f"/api/messages/{email.pk}/").json()
    assert (detail["recipient"], detail["attachments"]) == (
        "nadia@example.fr",
        [{"filename": "DEV-1.pdf", "content_type": "application/pdf", "size": 8}],
    )


def test_write_to_the_customer_of_a_dossier(client, case, accueil):
    client.force_login(accueil)
    response = client.post(
        "/api/messages/",
        {"case": case.pk, "channel": "sms", "body": "Votre pièce est arrivée."},
        "application/json",
    )
    assert response.status_code == 201
    message = Message.objects.get()
    assert response.json()["id"] == message.pk
    assert (message.customer, message.case, message.purpose, message.state, message.recipient) == (
        case.customer,
        case,
        "reply",
        "queued",
        "+33612345678",
    )
    refused = client.post("/api/messages/", {"channel": "sms", "body": "x"}, "application/json")
    assert refused.status_code == 400 and refused.json() == {"case": ["Indiquez le dossier ou le client."]}
    empty = client.post(
        "/api/messages/", {"customer": case.customer.pk, "channel": "email", "body": " "}, "application/json"
    )
    assert empty.status_code == 400


def test_steps_and_sites(client, case, magasinier, other_accueil, technicien):
    email = _quote_email(case)
    client.force_login(magasinier)
    assert client.get("/api/messages/").status_code == 403
    client.force_login(technicien)  # reads, does not write (« réseau »)
    assert client.get("/api/messages/").json()["count"] == 1
    response = client.post(
        "/api/messages/", {"case": case.pk, "channel": "sms", "body": "x"}, "application/json"
    )
    assert response.status_code == 403
    client.force_login(other_accueil)
    assert client.get("/api/messages/").json()["count"] == 0
    assert client.get(f"/api/messages/{email.pk}/").status_code == 404
    response = client.post(
        "/api/messages/", {"case": case.pk, "channel": "sms", "body": "x"}, "application/json"
    )
    assert response.status_code == 404
