"""Billing in a real browser: a repaired dossier → invoice → mixed payment (card + cash with change) →
advice sheet → hand-back signed on screen → closed by the manager."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from atelier.billing.models import ClosingRulesStart, Invoice, Payment
from atelier.core.choices import Role
from atelier.core.tests.factories import SiteFactory, UserFactory
from atelier.customers.models import Appliance, Customer
from atelier.quotes import decisions as quote_decisions
from atelier.quotes import services as quote_services
from atelier.quotes.services import solution_create
from atelier.repairs import extensions
from atelier.repairs import services as case_services
from atelier.stock import selectors as stock_selectors
from atelier.stock.models import Part
from tests.e2e.steps import login, logout, sign

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _repaired_dossier(monkeypatch):
    site = SiteFactory(code="PAR1", name="Paris Bastille")
    ClosingRulesStart.objects.create(site=site, since=datetime.date(2020, 1, 1))
    users = {
        name: UserFactory(username=name, roles=[role], sites=[site], first_name=name.capitalize())
        for name, role in (
            ("accueil", Role.ACCUEIL),
            ("technicien", Role.TECHNICIEN),
            ("responsable", Role.RESPONSABLE_SAV),
        )
    }
    customer = Customer.objects.create(
        site=site,
        last_name="Garnier",
        first_name="Lucie",
        phone="+33612345678",
        email="lucie@example.fr",
        postcode="75011",
        city="Paris",
    )
    appliance = Appliance.objects.create(
        customer=customer, family="lave_linge", brand="Bosch", model_ref="WAN28208FF"
    )
    pump = Part.objects.create(
        reference="BSH-00145212", designation="Pompe de vidange", price_ht=Decimal("48.90")
    )
    accueil, tech = users["accueil"], users["technicien"]
    case = case_services.case_open(
        actor=accueil, customer=customer, appliance=appliance, customer_words="Il ne vidange plus."
    )
    case_services.case_prediagnose(case=case, actor=accueil, note="Pompe bloquée.")
    solution = solution_create(
        case=case,
        actor=accueil,
        title="Remplacement de la pompe",
        work_description="Pompe neuve, essai.",
        labour_hours="1.5",
        parts=[(pump, 1)],
    )
    quote = quote_services.quote_create(
        case=case, actor=accueil, solution=solution, used_part_info="Aucune pompe d'occasion disponible."
    )
    quote_services.quote_send(quote=quote, actor=accueil, channel="papier")
    quote_decisions.quote_accept(quote=quote, actor=accueil, signer_name="Lucie Garnier")
    with extensions.recording_history():  # the repair's safety steps have their own journey (fieldwork)
        case_services.case_receive_in_workshop(case=case, actor=tech)
        case_services.case_start_repair(case=case, actor=tech)
        case_services.case_mark_repaired(case=case, actor=tech, note="Pompe remplacée.")
        case_services.case_commission(case=case, actor=tech, note="Vidange et essorage OK.")
    # the stock records the pump as used on this dossier
    monkeypatch.setattr(stock_selectors, "consumed_on_case", lambda c: {pump.pk: Decimal("1")}, raising=False)
    return case


def test_repaired_dossier_invoiced_paid_advised_handed_back_and_closed(live_server, page: Page, monkeypatch):
    case = _repaired_dossier(monkeypatch)
    base = live_server.url

    login(page, base, "accueil")
    page.goto(f"{base}/dossiers/{case.pk}/")
    expect(page.locator("#billing")).to_contain_text("157,68")
    page.click("#invoice-issue")
    expect(page.locator(".messages")).to_contain_text("émise")
    expect(page.locator("#invoice-ttc")).to_contain_text("157,68")
    number = Invoice.objects.get().number

    page.goto(f"{base}/dossiers/{case.pk}/")
    page.click("#billing-pay summary")
    page.fill("#id_pay_carte", "100,00")
    page.fill("#id_pay_especes", "57,68")
    page.fill("#id_pay_cash_tendered", "60")
    page.click("#payment-submit")
    expect(page.locator(".messages")).to_contain_text("Monnaie à rendre : 2,32 €.")
    expect(page.locator("#billing-due")).to_contain_text("0,00")
    assert Payment.objects.count() == 2

    # advice sheet: printable PDF, e-mailed to the customer
    expect(page.locator("#advice-pdf")).to_contain_text("Lave-linge : nos conseils")
    with page.expect_popup() as popup:
        page.click("#advice-pdf")
    assert popup.value.url.endswith(f"/facturation/dossier/{case.pk}/conseils/")
    popup.value.close()

    # hand-back against the customer's signature, drawn on screen
    page.click("#billing-handback summary")
    page.locator("#billing-handback canvas").scroll_into_view_if_needed()
    sign(page, "#billing-handback [data-signature-pad]")
    page.click("#handback-submit")
    expect(page.locator("#case-status")).to_have_text("Rendu")
    expect(page.locator("#hand-back-done")).to_contain_text("Lucie GARNIER")
    page.click("#advice-send")
    expect(page.locator(".messages")).to_contain_text(
        "Fiche conseils : e-mail au client mis en file (son état est sur le dossier)."
    )
    logout(page)

    login(page, base, "responsable")
    page.goto(f"{base}/dossiers/{case.pk}/")
    page.click("#step-close summary")
    page.click("#step-close button[type=submit]")
    expect(page.locator("#case-status")).to_have_text("Clôturé")
    expect(page.locator("#billing-documents")).to_contain_text(number)
