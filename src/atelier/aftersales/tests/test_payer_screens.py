"""Third-party payers in the browser and through the API: the split in the dossier's section, invoicing through
billing's own button, the payer claim page (file, states, PDF), the ageing list; roles and sites enforced, bad
input answered in French with nothing written."""

from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from atelier.aftersales.models_payers import CaseSplit, PayerClaim
from atelier.aftersales.services_payers import case_split_set, payer_claim_update
from atelier.aftersales.tests import payer_helpers
from atelier.billing import services
from atelier.billing.tests import conftest as billing_fixtures

pytestmark = pytest.mark.django_db
D = Decimal
for _name in (
    "customer",
    "appliance",
    "make_case",
    "case",
    "pump",
    "solution",
    "consumed",
    "billing_on",
    "ready_case",
):
    globals()[_name] = getattr(billing_fixtures, _name)
maker, insurer, covered = payer_helpers.maker, payer_helpers.insurer, payer_helpers.covered


def _section(client, case) -> str:
    return client.get(reverse("aftersales:case", args=[case.pk])).content.decode()


def test_the_counter_splits_lines_in_the_dossier_section(client, covered, accueil, maker, insurer):
    client.force_login(accueil)
    assert "Répartir une ligne entre payeurs" in _section(client, covered)
    url = reverse("aftersales:case_payers", args=[covered.pk, "share"])
    response = client.post(url, {"position": "1", "payer": maker.pk, "mode": "montant", "value": "60,00"})
    assert response.status_code == 302
    response = client.post(url, {"position": "2", "payer": insurer.pk, "mode": "pourcentage", "value": "100"})
    excess = client.post(
        reverse("aftersales:case_payers", args=[covered.pk, "excess"]),
        {"excess": "20", "excess_payer": insurer.pk},
    )
    assert excess.status_code == 302
    page = _section(client, covered)
    assert 'id="split-customer-total"><strong>59,00\u00a0€</strong>' in page
    assert "franchise du client 20,00\u00a0€ (déduite de Assurances Garantie Plus)" in page


def test_a_bad_share_shows_the_form_again_in_french(client, covered, accueil, maker):
    client.force_login(accueil)
    response = client.post(
        reverse("aftersales:case_payers", args=[covered.pk, "share"]),
        {"position": "2", "payer": maker.pk, "mode": "montant", "value": "70"},
    )
    assert response.status_code == 400
    assert "dépassent le montant de la ligne (58,68 €)" in response.content.decode()
    assert not CaseSplit.objects.exists()


def test_a_technician_may_not_split_and_another_site_gets_404(
    client, covered, technicien, other_accueil, maker
):
    data = {"position": "1", "payer": maker.pk, "mode": "montant", "value": "5"}
    client.force_login(technicien)
    assert client.post(reverse("aftersales:case_payers", args=[covered.pk, "share"]), data).status_code == 403
    client.force_login(other_accueil)
    assert client.post(reverse("aftersales:case_payers", args=[covered.pk, "share"]), data).status_code == 404
    assert not CaseSplit.objects.exists()


@pytest.fixture
def claim(covered, accueil, maker):
    case_split_set(
        case=covered,
        actor=accueil,
        shares=[{"position": 1, "payer": maker.pk, "mode": "montant", "value": "60"}],
    )
    services.invoice_issue(case=covered, actor=accueil)
    return PayerClaim.objects.get()


def test_the_claim_page_its_file_and_the_managers_answer(client, claim, accueil, responsable):
    client.force_login(accueil)
    url = reverse("aftersales:payer_claim", args=[claim.pk])
    page = client.get(url).content.decode()
    assert "Manque au dossier demandé par le payeur : N° de série des pièces défectueuses." in page
    refused = client.post(url, {"action": "send"})
    assert refused.status_code == 400
    assert "Le dossier de demande est incomplet" in refused.content.decode()
    saved = client.post(
        url,
        {
            "action": "file",
            "faulty_serials": "PMP-2291-A",
            "fault": "Pompe bloquée",
            "payer_reference": "BSH-1",
        },
    )
    assert saved.status_code == 302
    assert client.post(url, {"action": "send"}).status_code == 302
    assert client.post(url, {"action": "accept"}).status_code == 403  # the manager decides
    client.force_login(responsable)
    answer = client.post(url, {"action": "accept_part", "amount": "45,50", "note": "Forfait plafonné"})
    assert answer.status_code == 302
    claim.refresh_from_db()
    assert (claim.state, claim.accepted_amount, claim.payer_reference) == ("partielle", D("45.50"), "BSH-1")
    pdf = client.get(reverse("aftersales:payer_claim_pdf", args=[claim.pk]))
    assert (pdf.status_code, pdf["Content-Type"], pdf.content[:4]) == (200, "application/pdf", b"%PDF")


def test_the_claim_file_pdf_lists_what_the_payer_requires(claim, accueil):
    from atelier.aftersales import documents
    from atelier.core.pdf import render_document

    payer_claim_update(
        claim=claim, actor=accueil, faulty_serials="PMP-2291-A", replacement_serials="PMP-3001-B"
    )
    claim.refresh_from_db()
    html = render_document(
        "aftersales/pdf/payer_claim_file.html",
        {
            "claim": claim,
            "site": claim.site,
            "case": claim.case,
            "customer": claim.case.customer,
            "appliance": claim.case.appliance,
            "invoice": claim.invoice,
            "parts": [],
            "labour": list(claim.invoice.lines.all()),
            "missing": [],
            "on": claim.created_at.date(),
        },
    )
    assert "FD9503-123456" in html and "PMP-2291-A" in html and "PMP-3001-B" in html
    assert "Main-d&#x27;œuvre : Remplacement de la pompe de vidange" in html
    assert documents.payer_claim_file_pdf(claim)[:4] == b"%PDF"


def test_the_ageing_list_and_another_sites_claim(client, claim, responsable, other_accueil, comptable):
    client.force_login(responsable)
    page = client.get(reverse("aftersales:payer_claims")).content.decode()
    assert "BSH Électroménager" in page and claim.invoice.number in page
    client.force_login(comptable)  # the accountant reads the list and the payer's invoice
    assert client.get(reverse("aftersales:payer_claims")).status_code == 200
    payer_page = client.get(reverse("billing:invoice", args=[claim.invoice.pk])).content.decode()
    assert "Facture d'un tiers payeur, pour la facture du client" in payer_page.replace("&#x27;", "'")
    customer_page = client.get(
        reverse("billing:invoice", args=[claim.invoice.main_invoice_id])
    ).content.decode()
    assert "Reste à votre charge TTC" in customer_page and claim.invoice.number in customer_page
    client.force_login(other_accueil)
    assert claim.invoice.number not in client.get(reverse("aftersales:payer_claims")).content.decode()
    assert client.get(reverse("aftersales:payer_claim", args=[claim.pk])).status_code == 404
    assert client.get(reverse("aftersales:payer_claim_pdf", args=[claim.pk])).status_code == 404


def test_the_payers_page(client, responsable, maker):
    client.force_login(responsable)
    page = client.get(reverse("aftersales:payers")).content.decode()
    assert "341911790" in page and "30 jours (depuis le 01/01/2020)" in page


# ---------------------------------------------------------------- API


def _api(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_api_reads_and_replaces_a_split(covered, accueil, maker, insurer, other_accueil):
    api = _api(accueil)
    url = f"/api/cases/{covered.pk}/payer-split/"
    body = {
        "shares": [
            {"position": 1, "payer": maker.pk, "mode": "montant", "value": "60,00"},
            {"position": 2, "payer": insurer.pk, "mode": "pourcentage", "value": "100"},
        ],
        "excess": "20,00",
        "excess_payer": insurer.pk,
    }
    response = api.post(url, body, format="json")
    assert response.status_code == 200
    assert (response.data["payers_ttc"], response.data["customer_ttc"]) == ("98.68", "59.00")
    assert [line["customer_ttc"] for line in response.data["lines"]] == ["39.00", "20.00"]
    bad = api.post(
        url, {"shares": [{"position": 2, "payer": maker.pk, "mode": "montant", "value": "99"}]}, format="json"
    )
    assert bad.status_code == 400
    assert "dépassent le montant de la ligne (58,68 €)" in str(bad.data)
    assert _api(other_accueil).get(url).status_code == 404


def test_api_payer_claims_list_and_transitions(claim, accueil, responsable, comptable, other_accueil):
    response = _api(comptable).get("/api/payer-claims/")
    rows = response.data["results"] if isinstance(response.data, dict) else response.data
    assert [(c["payer_name"], c["amount"], c["state"]) for c in rows] == [
        ("BSH Électroménager", "60.00", "a_completer")
    ]
    url = f"/api/payer-claims/{claim.pk}/"
    assert (
        _api(accueil).post(url + "file/", {"faulty_serials": "PMP-2291-A"}, format="json").status_code == 200
    )
    assert _api(accueil).post(url + "transition/", {"action": "send"}, format="json").status_code == 200
    assert _api(accueil).post(url + "transition/", {"action": "accept"}, format="json").status_code == 403
    refused = _api(responsable).post(url + "transition/", {"action": "refuse"}, format="json")
    assert refused.status_code == 400
    done = _api(responsable).post(url + "transition/", {"action": "accept"}, format="json")
    assert (done.status_code, done.data["state"], done.data["accepted_amount"]) == (200, "acceptee", "60.00")
    paid = _api(comptable).post(
        url + "transition/", {"action": "pay", "paid_on": "2026-12-20"}, format="json"
    )
    assert (paid.data["state"], paid.data["paid_amount"], paid.data["paid_on"]) == (
        "payee",
        "60.00",
        "2026-12-20",
    )
    assert [e["to_state"] for e in paid.data["events"]] == ["a_completer", "envoyee", "acceptee", "payee"]
    assert _api(other_accueil).get(url).status_code == 404


def test_api_payers(accueil, maker):
    response = _api(accueil).get("/api/payers/")
    rows = response.data["results"] if isinstance(response.data, dict) else response.data
    assert [(p["name"], p["siren"], p["deadline_days"]) for p in rows] == [
        ("BSH Électroménager", "341911790", 30)
    ]
