"""A dispute in a real browser: the customer contests the invoice by letter → the counter opens the dispute from
the invoice page and gives it to the manager → the manager grants a commercial gesture: a credit note of billing,
the reply letter e-mailed, the dispute closed; the mediator printed on the tracking page (L616-1)."""

from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from atelier.aftersales.models import AftersalesSettings
from atelier.billing.services import invoice_issue
from atelier.core.models import User
from atelier.disputes.models import Dispute
from tests.e2e.steps import login, logout
from tests.e2e.test_billing_journey import _repaired_dossier

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_contested_invoice_to_a_commercial_gesture(live_server, page: Page, monkeypatch):
    case = _repaired_dossier(monkeypatch)
    accueil, responsable = User.objects.get(username="accueil"), User.objects.get(username="responsable")
    invoice = invoice_issue(case=case, actor=accueil)
    AftersalesSettings.objects.create(
        site=case.site, mediator_name="Médiation Conso Test", mediator_website="https://mediation.example.fr"
    )
    base = live_server.url

    login(page, base, "accueil")
    page.goto(f"{base}/facturation/facture/{invoice.pk}/")
    page.click("#open-dispute")
    expect(page.locator("h1")).to_have_text("Nouveau litige")
    page.select_option("#id_channel", "courrier")
    page.fill("#id_summary", "Une heure et demie de main-d'œuvre pour changer une pompe, c'est trop.")
    page.click("#dispute-submit")
    expect(page.locator("#dispute-state")).to_have_text("Ouvert")
    dispute = Dispute.objects.get()
    expect(page.locator("h1")).to_have_text(f"Litige {dispute.number}")
    page.select_option("#id_instruct_cause", "prix")
    page.select_option("#id_instruct_assigned_to", str(responsable.pk))
    page.click("#instruct-submit")
    expect(page.locator("#dispute-state")).to_have_text("En instruction")
    expect(page.locator("#dispute-assigned")).to_have_text(str(responsable))
    logout(page)

    login(page, base, "responsable")
    page.goto(f"{base}/litiges/{dispute.pk}/")
    page.select_option("#id_decide_outcome", "geste")
    page.fill("#id_decide_reason", "Nous prenons en charge une partie de la main-d'œuvre.")
    page.fill("#id_decide_amount", "20,00")
    page.click("#decide-submit")
    expect(page.locator("#dispute-state")).to_have_text("Clos · Geste commercial (avoir)")
    dispute.refresh_from_db()
    note = dispute.credit_note
    assert (note.credited, note.total_ttc) == (invoice, Decimal("20.00"))
    expect(page.locator("#dispute-credit-note")).to_have_text(note.number)
    expect(page.locator("#dispute-letters")).to_contain_text("Réponse")
    expect(page.locator("#dispute-timeline")).to_contain_text("Issue : Geste commercial (avoir) (20,00 €)")
