"""Second life on a tablet (1024 × 1366): the stock keeper records a collection lot and takes an appliance in;
the counter cannot sell it while it is « à trier » (French message, nothing lost); the technician sorts it
against its family's checklist; the counter sells it and the stock table counts it out."""

import pytest
from playwright.sync_api import expect

from atelier.core.choices import Role
from atelier.core.tests.factories import SiteFactory, UserFactory
from atelier.refurbishment.models import StockAppliance
from atelier.stock.models import StockLocation
from tests.e2e.steps import login, logout

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_lot_intake_triage_and_sale_on_a_tablet(live_server, browser):
    site = SiteFactory(code="PAR1", name="Paris Bastille")
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
    logout(page)

    # the counter sells it
    login(page, base, "accueil")
    page.goto(f"{base}/reconditionnement/appareils/{appliance.pk}/")
    page.fill("#id_sell_price", "0")
    page.click("text=Enregistrer la vente")
    expect(page.locator("#appliance-sale")).to_contain_text(
        "Prix de vente : un montant positif, au centime près (ex. 149,00)."
    )
    page.fill("#id_sell_price", "149.00")
    page.click("text=Enregistrer la vente")
    expect(page.locator("#appliance-state")).to_have_text("Vendu")
    expect(page.locator("#appliance-moves")).to_contain_text("Vente")
    page.goto(f"{base}/reconditionnement/")
    expect(page.locator("#stock-table")).to_contain_text("Aucun appareil en stock.")
    context.close()
