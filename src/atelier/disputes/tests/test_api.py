"""Disputes API: open, list, read, instruct, write, decide; another site's objects; French refusals."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from atelier.disputes.models import Dispute

pytestmark = pytest.mark.django_db


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_open_instruct_decide_through_the_api(accueil, responsable, invoice, mediator):
    api = _api(accueil)
    created = api.post(
        "/api/disputes/",
        {"source": "facture", "invoice": invoice.pk, "channel": "email", "summary": "Trop cher."},
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["number"], body["state"], body["case"], body["invoice"]) == (
        f"LIT-PAR1-{body['opened_at'][:4]}-00001",
        "ouvert",
        invoice.case.pk,
        invoice.pk,
    )
    pk = body["id"]
    assert [d["id"] for d in api.get("/api/disputes/").json()["results"]] == [pk]
    instructed = api.post(
        f"/api/disputes/{pk}/instruct/", {"cause": "prix", "assigned_to": responsable.pk}, format="json"
    )
    assert (instructed.status_code, instructed.json()["state"]) == (200, "en_instruction")
    letter = api.post(f"/api/disputes/{pk}/letters/", {"kind": "mediation"}, format="json")
    assert (letter.status_code, letter.json()["kind"]) == (201, "mediation")
    no_reason = _api(responsable).post(f"/api/disputes/{pk}/decide/", {"outcome": "accord"}, format="json")
    assert no_reason.status_code == 400
    assert no_reason.json() == {
        "detail": "Indiquez le motif de cette issue : il figure dans la lettre au client."
    }
    forbidden = api.post(
        f"/api/disputes/{pk}/decide/", {"outcome": "geste", "reason": "x", "amount": "10.00"}, format="json"
    )
    assert forbidden.status_code == 403
    decided = _api(responsable).post(
        f"/api/disputes/{pk}/decide/",
        {"outcome": "geste", "reason": "Geste", "amount": "10.00"},
        format="json",
    )
    assert decided.status_code == 200
    assert (decided.json()["state"], decided.json()["amount"]) == ("clos", "10.00")
    dispute = Dispute.objects.get()
    assert dispute.credit_note.total_ttc == Decimal("10.00")
    assert [e["kind"] for e in decided.json()["events"]] == [
        "ouverture",
        "instruction",
        "lettre",
        "decision",
        "lettre",
    ]


def test_a_dispute_on_another_sites_invoice_is_refused(other_accueil, invoice):
    response = _api(other_accueil).post(
        "/api/disputes/",
        {"source": "facture", "invoice": invoice.pk, "channel": "courrier", "summary": "x"},
        format="json",
    )
    assert (response.status_code, response.json()) == (400, {"invoice": ["Facture inconnue sur vos sites."]})
    assert Dispute.objects.count() == 0


def test_another_sites_dispute_is_a_404(other_accueil, accueil, invoice):
    api = _api(accueil)
    pk = api.post(
        "/api/disputes/",
        {"source": "facture", "invoice": invoice.pk, "channel": "courrier", "summary": "x"},
        format="json",
    ).json()["id"]
    other = _api(other_accueil)
    assert other.get(f"/api/disputes/{pk}/").status_code == 404
    assert (
        other.post(
            f"/api/disputes/{pk}/decide/", {"outcome": "accord", "reason": "x"}, format="json"
        ).status_code
        == 404
    )
    assert other.get("/api/disputes/").json()["results"] == []


def test_bad_input_is_a_400_in_french(accueil, invoice):
    api = _api(accueil)
    response = api.post(
        "/api/disputes/", {"source": "courrier", "channel": "courrier", "summary": "x"}, format="json"
    )
    assert (response.status_code, response.json()) == (400, {"detail": "Choisissez le client qui a écrit."})
    assert Dispute.objects.count() == 0
