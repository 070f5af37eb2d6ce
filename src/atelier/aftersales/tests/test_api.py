"""After-sales API: the covers in exactly the issue's shape, the claims list/detail/create/answer."""

import datetime

import pytest
import time_machine
from rest_framework.test import APIClient

from atelier.aftersales.models import Claim, RefusalReason
from atelier.customers.tests.factories import ApplianceFactory, CustomerFactory

from .conftest import noon

pytestmark = pytest.mark.django_db
D = datetime.date


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_coverage_api_shape_is_exact_L217_3_L217_7(accueil, appliance):
    response = _api(accueil).get(f"/api/appliances/{appliance.pk}/coverage/?on=2026-02-28")
    assert response.status_code == 200
    assert response.json() == {
        "on": "2026-02-28",
        "coverages": [
            {
                "kind": "garantie_legale",
                "label": "Garantie légale de conformité",
                "start": "2024-02-29",
                "end": "2026-02-28",
                "presumption_end": "2026-02-28",
                "payer": "Le vendeur (Darty)",
                "basis": "C. consom. art. L217-3 (garantie) et L217-7 (présomption) — Ordonnance n° 2021-1247 du 29 "
                "septembre 2021 : garantie légale de conformité de 24 mois, présomption de 24 mois (bien neuf, "
                "art. L217-3 et L217-7)",
                "active": True,
            }
        ],
    }


def test_coverage_api_bad_date_is_a_400_in_french(accueil, appliance):
    response = _api(accueil).get(f"/api/appliances/{appliance.pk}/coverage/?on=2026-02-30")
    assert (response.status_code, response.json()) == (
        400,
        {"on": ["« 2026-02-30 » n'est pas une date valide : attendu AAAA-MM-JJ."]},
    )


def test_coverage_api_other_sites_appliance_is_a_404(other_accueil, appliance):
    assert _api(other_accueil).get(f"/api/appliances/{appliance.pk}/coverage/").status_code == 404


@time_machine.travel(noon(D(2026, 4, 10)), tick=False)
def test_claim_api_create_list_detail_answer(accueil, responsable, appliance, handed_back):
    case = handed_back(appliance, D(2026, 3, 1))
    created = _api(accueil).post(
        "/api/claims/",
        {
            "appliance": appliance.pk,
            "claim_type": "retour_reparation",
            "channel": "telephone",
            "description": "Fuit encore.",
            "answers": {
                "meme_panne": "oui",
                "depuis": "2026-04-02",
                "constat": "Flaque",
                "usage": "domestique",
            },
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (
        body["number"],
        body["earlier_case"],
        body["repair_return"],
        body["state"],
        body["claim_type"],
    ) == (
        "REC-PAR1-2026-00001",
        case.pk,
        True,
        "ouverte",
        "retour_reparation",
    )
    listed = _api(accueil).get("/api/claims/?state=ouverte").json()
    assert [c["number"] for c in listed["results"]] == ["REC-PAR1-2026-00001"]
    assert _api(accueil).get("/api/claims/?state=close").json()["results"] == []
    unknown = _api(accueil).get("/api/claims/?state=%00ouverte")  # found by schemathesis: a 500 on PostgreSQL
    said = "Adresse refusée : elle contient un caractère nul."  # before any view (NulInQueryMiddleware)
    assert (unknown.status_code, unknown.json()) == (400, {"detail": said})
    claim_id = body["id"]
    refused = _api(accueil).post(
        f"/api/claims/{claim_id}/answer/",
        {"outcome": "refus", "answer_text": "Non.", "refusal_reason": "usure_normale"},
        format="json",
    )
    assert refused.status_code == 403
    answered = _api(responsable).post(
        f"/api/claims/{claim_id}/answer/",
        {"outcome": "refus", "answer_text": "Pièce d'usure.", "refusal_reason": "usure_normale"},
        format="json",
    )
    assert answered.status_code == 200, answered.json()
    assert (answered.json()["state"], answered.json()["refusal_reason"]) == (
        "reponse_envoyee",
        "usure_normale",
    )
    assert RefusalReason.objects.get(code="usure_normale") == Claim.objects.get().refusal_reason


def test_claim_api_other_site_is_a_404(other_accueil, accueil, appliance):
    from atelier.aftersales import services
    from atelier.aftersales.models import ClaimType

    claim = services.claim_open(
        actor=accueil,
        appliance=appliance,
        claim_type=ClaimType.objects.get(code="autre"),
        channel="guichet",
        description="Délai trop long.",
        answers={"objet": "délai"},
    )
    assert _api(other_accueil).get(f"/api/claims/{claim.pk}/").status_code == 404
    assert _api(other_accueil).post(f"/api/claims/{claim.pk}/answer/", {}, format="json").status_code == 404
    other_appliance = ApplianceFactory(customer=CustomerFactory(site=appliance.customer.site))
    assert _api(other_accueil).get(f"/api/appliances/{other_appliance.pk}/coverage/").status_code == 404
