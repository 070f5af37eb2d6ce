"""Billing screens and API: roles, other site → 404, bad input → 400 with the French message and nothing
written, API without update nor delete."""

from decimal import Decimal

import pytest

from atelier.billing.models import Closure, HandBack, Invoice, Payment
from atelier.billing.tests.conftest import SIGNATURE
from atelier.core.tests.factories import UserFactory
from atelier.repairs.tests.pages import dossier_page

D = Decimal


def _login(client, user):
    client.force_login(user)
    return client


def test_dossier_page_shows_the_billing_section_and_issue_button(client, ready_case, accueil):
    body = dossier_page(_login(client, accueil), ready_case.pk)
    assert 'id="billing"' in body and 'id="invoice-issue"' in body and 'id="loans"' in body


def test_issue_then_mixed_payment_through_the_screens(client, ready_case, accueil):
    c = _login(client, accueil)
    response = c.post(f"/facturation/dossier/{ready_case.pk}/action/issue/")
    invoice = Invoice.objects.get()
    assert response.status_code == 302 and response.url == f"/facturation/facture/{invoice.pk}/"
    response = c.post(
        f"/facturation/dossier/{ready_case.pk}/action/payment/",
        {"carte": "100,00", "especes": "57,68", "cash_tendered": "60", "payer_resident": "1"},
    )
    assert response.status_code == 302
    assert sorted(Payment.objects.values_list("method", "amount")) == [
        ("carte", D("100.00")),
        ("especes", D("57.68")),
    ]
    pdf = c.get(f"/facturation/facture/{invoice.pk}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    receipt = c.get(f"/facturation/paiement/{Payment.objects.first().pk}/recu/")
    assert receipt.status_code == 200


def test_card_over_due_via_the_screen_is_400_in_french_nothing_written(client, invoice, ready_case, accueil):
    response = _login(client, accueil).post(
        f"/facturation/dossier/{ready_case.pk}/action/payment/", {"carte": "200", "payer_resident": "1"}
    )
    assert response.status_code == 400
    assert "dépasse le reste dû (157,68 €)" in response.content.decode()
    assert not Payment.objects.exists()


def test_cash_over_the_limit_via_the_screen(client, invoice, ready_case, accueil):
    from atelier.billing.models import LegalFigure

    LegalFigure.objects.filter(kind="plafond_especes_resident").update(value=D("50.00"))
    response = _login(client, accueil).post(
        f"/facturation/dossier/{ready_case.pk}/action/payment/", {"especes": "60", "payer_resident": "1"}
    )
    assert response.status_code == 400 and "Paiement en espèces refusé" in response.content.decode()
    assert not Payment.objects.exists()


def test_credit_note_larger_than_invoice_via_the_screen(client, invoice, comptable):
    response = _login(client, comptable).post(
        f"/facturation/facture/{invoice.pk}/avoir/", {"amount_ttc": "200", "reason": "Erreur"}
    )
    assert response.status_code == 400
    assert "dépasse ce qui reste de la facture" in response.content.decode()
    assert Invoice.objects.count() == 1


def test_accueil_cannot_issue_credit_notes_nor_run_closures(client, invoice, accueil, site):
    c = _login(client, accueil)
    assert (
        c.post(f"/facturation/facture/{invoice.pk}/avoir/", {"amount_ttc": "1", "reason": "x"}).status_code
        == 403
    )
    assert (
        c.post(
            "/facturation/clotures/", {"period": "jour", "start": "2025-01-01", "site": site.pk}
        ).status_code
        == 403
    )
    assert not Closure.objects.exists()


def test_comptable_reads_billing_and_runs_closures(client, invoice, comptable, site):
    c = _login(client, comptable)
    page = c.get("/facturation/").content.decode()
    assert invoice.number in page and "Journal : intègre, 1 écritures chaînées." in page
    response = c.post("/facturation/clotures/", {"period": "jour", "start": "2025-01-01", "site": site.pk})
    assert response.status_code == 302 and Closure.objects.count() == 1


def test_technician_cannot_open_invoices(client, invoice, technicien):
    assert _login(client, technicien).get(f"/facturation/facture/{invoice.pk}/").status_code == 403


def test_other_site_answers_404(client, invoice, ready_case, other_site):
    lyon = UserFactory(username="compta-lyon", roles=["comptable", "accueil"], sites=[other_site])
    c = _login(client, lyon)
    assert c.get(f"/facturation/facture/{invoice.pk}/").status_code == 404
    assert c.get(f"/facturation/facture/{invoice.pk}/pdf/").status_code == 404
    assert c.post(f"/facturation/dossier/{ready_case.pk}/action/issue/").status_code == 404
    assert c.get(f"/api/invoices/{invoice.pk}/").status_code == 404


def test_hand_back_screen_requires_the_signature(client, ready_case, accueil):
    c = _login(client, accueil)
    response = c.post(f"/facturation/dossier/{ready_case.pk}/action/handback/", {"signer_name": "N. Lefèvre"})
    assert response.status_code == 400
    assert "La signature du client est nécessaire" in response.content.decode()
    assert not HandBack.objects.exists()
    response = c.post(
        f"/facturation/dossier/{ready_case.pk}/action/handback/",
        {"signer_name": "N. Lefèvre", "signature": SIGNATURE},
    )
    assert response.status_code == 302
    ready_case.refresh_from_db()
    assert ready_case.status == "rendu"


def test_api_is_read_only(client, invoice, comptable):
    c = _login(client, comptable)
    data = c.get(f"/api/invoices/{invoice.pk}/").json()
    assert data["number"] == invoice.number and data["total_ttc"] == "157.68"
    assert (
        c.patch(
            f"/api/invoices/{invoice.pk}/", {"total_ttc": "1"}, content_type="application/json"
        ).status_code
        == 405
    )
    assert c.delete(f"/api/invoices/{invoice.pk}/").status_code == 405
    assert c.put(f"/api/invoices/{invoice.pk}/", {}, content_type="application/json").status_code == 405
    assert Invoice.objects.get().total_ttc == D("157.68")


def test_incidents_report_per_brand(client, ready_case, technicien, responsable):
    from atelier.billing.handover import incident_record

    incident_record(
        case=ready_case, actor=technicien, kind="piece_inadaptee", description="Joint trop court."
    )
    body = _login(client, responsable).get("/facturation/remontees-fabricants/").content.decode()
    assert 'id="brand-bosch"' in body and "Joint trop court." in body


@pytest.mark.parametrize("url", ["/facturation/", "/facturation/remontees-fabricants/"])
def test_pages_need_login(client, url):
    assert client.get(url).status_code == 302
