"""Dismantling on a tablet (1024 × 1366): the technician sorts a washing machine « non réparable », opens its
dismantling, records the drain pump (test passed, grade, price, weight) and the other sub-assemblies as failed;
the stock keeper validates the pump and enters it on a shelf, then hands the remains over as WEEE; the manager
reads « Ce que la seconde vie rapporte »."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from atelier.core.choices import Role
from atelier.core.tests.factories import SiteFactory, UserFactory
from atelier.refurbishment import services
from atelier.refurbishment.choices import LotKind, Origin
from atelier.refurbishment.dismantling import SubAssembly
from atelier.stock.models import StockLocation
from tests.e2e.steps import login, logout

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_dismantling_a_washing_machine_on_a_tablet(live_server, browser):
    site = SiteFactory(code="PAR1", name="Paris Bastille")
    StockLocation.objects.create(site=site, code="SV-A", name="Seconde vie A")
    users = {
        username: UserFactory(username=username, roles=[role], sites=[site])
        for username, role in (
            ("magasinier", Role.MAGASINIER),
            ("technicien", Role.TECHNICIEN),
            ("responsable", Role.RESPONSABLE_SAV),
        )
    }
    lot = services.lot_create(
        actor=users["magasinier"],
        site=site,
        kind=LotKind.ECO_ORGANISME,
        partner="ecosystem",
        delivery_note="BL-1",
        received_on=timezone.localdate(),
    )
    appliance = services.appliance_intake(
        actor=users["magasinier"],
        site=site,
        origin=Origin.COLLECTE,
        lot=lot,
        family="lave_linge",
        brand="Samsung",
    )
    context = browser.new_context(
        locale="fr-FR", timezone_id="Europe/Paris", viewport={"width": 1024, "height": 1366}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    base = live_server.url

    # the technician sorts it « non réparable » and dismantles it
    login(page, base, "technicien")
    page.goto(f"{base}/reconditionnement/appareils/{appliance.pk}/")
    page.click("#triage-link")
    for card in page.locator(".triage-check").all():
        card.locator("input[value=ok]").check()
    page.locator("#check-mise_sous_tension input[value=defaut]").check()
    page.fill("#check-mise_sous_tension input[type=text]", "Disjoncte à la mise sous tension")
    page.locator("#triage-outcome input[value=non_reparable]").check()
    page.click("text=Enregistrer le tri")
    expect(page.locator("#appliance-state")).to_have_text("À démonter")
    page.click("#dismantle-link")
    pump = page.locator("#sub-pompe_vidange")
    pump.locator("input[name=reusable][value='1']").check()
    pump.locator("textarea").fill("Tourne sans bruit, bobine 172 Ω.")
    pump.locator("#id_pompe_vidange_reference").fill("BSH-145212")
    pump.locator("#id_pompe_vidange_price_ht").fill("19.00")
    pump.locator("#id_pompe_vidange_weight_kg").fill("0.4")
    pump.locator("text=Enregistrer ce sous-ensemble").click()
    expect(page.locator("#sub-pompe_vidange")).to_contain_text("Choisissez le grade de la pièce (A, B ou C).")
    page.locator("#sub-pompe_vidange select[name=grade]").select_option("B")
    page.locator("#sub-pompe_vidange >> text=Enregistrer ce sous-ensemble").click()
    expect(page.locator("#sub-pompe_vidange")).to_contain_text(f"BSH-145212-{appliance.number}")
    for sub in SubAssembly.objects.filter(family="lave_linge").exclude(code="pompe_vidange"):
        card = page.locator(f"#sub-{sub.code}")
        card.locator("input[name=reusable][value='0']").check()
        card.locator("textarea").fill("Hors service.")
        card.locator("text=Enregistrer ce sous-ensemble").click()
        expect(page.locator(f"#sub-{sub.code}")).to_contain_text("Non réutilisable")
    logout(page)

    # the stock keeper validates the pump, enters it on the shelf, and hands the remains over
    login(page, base, "magasinier")
    page.goto(f"{base}/reconditionnement/appareils/{appliance.pk}/demontage/")
    page.locator("#sub-pompe_vidange select[name=location]").select_option(label="PAR1 · Seconde vie A")
    page.click("text=Valider la référence et entrer en stock")
    expect(page.locator("#sub-pompe_vidange")).to_contain_text("En stock : Seconde vie A")
    page.fill("#id_weee_eco_organism", "ecosystem")
    page.fill("#id_weee_bordereau", "BSD-2026-0042")
    page.fill("#id_weee_weight_kg", "58.5")
    page.click("text=Remettre les restes en DEEE")
    expect(page.locator("#weee-record")).to_contain_text("BSD-2026-0042")
    expect(page.locator("#appliance-state")).to_have_text("Démonté (reste parti en DEEE)")
    logout(page)

    # the manager reads what it brought
    login(page, base, "responsable")
    page.click("nav >> text=Seconde vie")
    page.click("text=Ce que la seconde vie rapporte")
    expect(page.locator("#fig-pieces_recuperees")).to_contain_text("1")
    expect(page.locator("#fig-demontes")).to_contain_text("1")
    expect(page.locator("#fig-kg_deee")).to_contain_text("58,5")
    context.close()
