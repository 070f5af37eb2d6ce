"""Second life on a tablet (1024 × 1366): the stock keeper records a collection lot and takes an appliance in;
the counter cannot sell it while it is « à trier » (French message, nothing lost); the technician sorts it
against its family's checklist, then refurbishes it step by step (cleaning, programmes, EN 50678 safety tests
with the PAT tester, cosmetic check), grades and prices it (« reconditionné en France »); the counter sells it
to a customer with its invoice and the stock table counts it out."""

import pytest
from playwright.sync_api import expect

from atelier.core.choices import Role
from atelier.core.tests.factories import SiteFactory, UserFactory
from atelier.refurbishment.models import StockAppliance
from atelier.stock.models import StockLocation
from tests.e2e.steps import login, logout

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_lot_intake_triage_and_sale_on_a_tablet(live_server, browser):
    from atelier.customers.tests.factories import CustomerFactory
    from atelier.fieldwork.models import ToolKind
    from atelier.fieldwork.tests.conftest import make_tool

    site = SiteFactory(code="PAR1", name="Paris Bastille")
    pat = make_tool(site, ToolKind.objects.get(code="testeur-pat"), "PAT-SV")
    buyer = CustomerFactory(site=site, last_name="Moreau", first_name="Inès")
    StockLocation.objects.create(site=site, code="SV-A", name="Seconde vie A")
    for username, role in (
        ("magasinier", Role.MAGASINIER),
        ("technicien", Role.TECHNICIEN),
        ("accueil", Role.ACCUEIL),
    ):
        UserFactory(username=username, roles=[role], sites=[site])
    context = browser.new_context(
        locale="fr-FR", timezone_id="Europe/Paris", viewport={"width": 1024, "height": 1366}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    base = live_server.url

    # the stock keeper records the lot and takes in a washing machine
    login(page, base, "magasinier")
    page.click("nav >> text=Seconde vie")
    page.click("text=Lots")
    page.select_option("#id_kind", "eco_organisme")
    page.fill("#id_partner", "ecosystem")
    page.fill("#id_delivery_note", "BL-2026-0412")
    page.click("text=Enregistrer le lot")
    expect(page.locator("h1")).to_contain_text("Lot LOT-PAR1-")
    page.click("text=Ajouter un appareil au lot")
    page.select_option("#id_family", "lave_linge")
    page.fill("#id_brand", "Bosch")
    page.fill("#id_model_ref", "WAN28208FF")
    page.fill("#id_weight_kg", "70")
    page.select_option("#id_location", label="PAR1 · Seconde vie A")
    page.click("text=Entrer en stock")
    expect(page.locator("#lot-appliances")).to_contain_text("Bosch WAN28208FF")
    appliance = StockAppliance.objects.get()
    logout(page)

    # the counter may not sell it before its triage
    login(page, base, "accueil")
    page.goto(f"{base}/reconditionnement/appareils/{appliance.pk}/")
    expect(page.locator("#appliance-state")).to_have_text("À trier")
    expect(page.locator("#appliance-sale")).to_have_count(0)
    logout(page)

    # the technician sorts it: every check passes
    login(page, base, "technicien")
    page.goto(f"{base}/reconditionnement/appareils/{appliance.pk}/")
    page.click("#triage-link")
    for card in page.locator(".triage-check").all():
        card.locator("input[value=ok]").check()
    page.locator("#triage-outcome input[value=valide]").check()
    page.click("text=Enregistrer le tri")
    expect(page.locator("#appliance-outcome")).to_have_text("Fonctionnement validé")
    expect(page.locator("#appliance-triage")).to_contain_text("Verrouillage de la porte")

    # … then refurbishes it step by step on the tablet
    page.click("#refurbish-link")
    page.click("#refurb-start-button")
    for code in ("nettoyage", "essai_coton", "essai_rapide", "essai_essorage", "esthetique"):
        card = page.locator(f"#step-{code}")
        card.locator("input[value=ok]").check()
        card.locator("button[type=submit]").click()
        expect(page.locator(f"#step-{code} .badge")).to_contain_text("Conforme")
    safety = page.locator("#step-securite")
    safety.locator("select[name=appliance_class]").select_option("I")
    safety.locator("select[name=instrument]").select_option(str(pat.pk))
    for name, value in (
        ("pe_resistance", "0,12 Ω"),
        ("insulation", "250 MΩ"),
        ("pe_current", "0,4 mA"),
        ("touch_current", "0,1 mA"),
    ):
        safety.locator(f"input[name={name}]").fill(value)
    safety.locator("button[type=submit]").click()
    expect(page.locator("#step-securite .badge")).to_contain_text("Conforme")
    expect(page.locator("#refurb-wording-allowed")).to_contain_text("Reconditionné en France")
    page.screenshot(path="/tmp/refurb-proc-steps-1024.png", full_page=True)
    finish = page.locator("#refurb-finish")
    finish.locator("input[value=conforme]").check()
    finish.locator("select[name=grade]").select_option("A")
    finish.locator("input[name=price]").fill("189,00")
    page.click("#refurb-finish-button")
    expect(page.locator("#refurb-wording")).to_have_text("Reconditionné en France")
    expect(page.locator("#refurb-grade")).to_contain_text("A – Très bon état")
    page.screenshot(path="/tmp/refurb-proc-detail-1024.png", full_page=True)
    page.click("text=Procédures et grades")
    expect(page.locator("#grades")).to_contain_text("A – Très bon état")
    page.screenshot(path="/tmp/refurb-proc-procedures-1024.png", full_page=True)
    logout(page)

    # the counter sells it
    login(page, base, "accueil")
    page.goto(f"{base}/reconditionnement/appareils/{appliance.pk}/")
    expect(page.locator("#id_sell_price")).to_have_value("189.00")
    page.select_option("#id_sell_customer", str(buyer.pk))
    page.fill("#id_sell_price", "0")
    page.click("text=Enregistrer la vente")
    expect(page.locator("#appliance-sale")).to_contain_text(
        "Prix de vente : un montant positif, au centime près (ex. 149,00)."
    )
    page.fill("#id_sell_price", "149.00")
    page.click("text=Enregistrer la vente")
    expect(page.locator("#appliance-state")).to_have_text("Vendu")
    expect(page.locator("#appliance-moves")).to_contain_text("Vente")
    expect(page.locator("#appliance-sales")).to_contain_text("Reconditionné en France")
    expect(page.locator("#sale-invoice")).to_contain_text("facture F-PAR1-")
    page.set_viewport_size({"width": 1366, "height": 1024})
    page.screenshot(path="/tmp/refurb-proc-sold-1366.png", full_page=True)
    page.goto(f"{base}/reconditionnement/")
    expect(page.locator("#stock-table")).to_contain_text("Aucun appareil en stock.")
    context.close()
