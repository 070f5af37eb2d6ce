"""The spine of the business in a real browser: counter → workshop → counter → manager, in French.

Playwright drives Debian's Chromium (/usr/bin/chromium, installed by `make test`); no browser is downloaded.
"""

import re

import pytest
from playwright.sync_api import expect

from atelier.core.choices import Role
from atelier.core.tests.factories import SiteFactory, UserFactory
from atelier.repairs.models import RepairCase
from tests.e2e.steps import login, logout, open_home_panels, quote_from_first_solution, take_step

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_dossier_from_the_counter_to_the_closed_file(live_server, page, without_step_checks):
    # every step of the dossier's own workflow, taken from its page; the conditions other apps put on steps
    # (safety checks, invoice and payment before closing) have their own journeys
    site = SiteFactory(code="PAR1", name="Paris Bastille")
    for username, role in (
        ("accueil", Role.ACCUEIL),
        ("technicien", Role.TECHNICIEN),
        ("responsable", Role.RESPONSABLE_SAV),
    ):
        UserFactory(username=username, roles=[role], sites=[site], first_name=username.capitalize())
    base = live_server.url

    # Counter: the customer, the appliance, the dossier
    login(page, base, "accueil")
    page.click("text=Nouveau client")
    page.fill("#id_last_name", "Garnier")
    page.fill("#id_first_name", "Lucie")
    page.fill("#id_phone", "06 12 34 56 78")
    page.fill("#id_email", "lucie.garnier@example.fr")
    page.fill("#id_address", "4 rue Oberkampf")
    page.fill("#id_postcode", "75011")
    page.fill("#id_city", "Paris")
    page.check("#id_needs_hearing")
    page.click("text=Créer la fiche")
    expect(page.locator("h1")).to_have_text("Lucie GARNIER")
    expect(page.locator(".a11y")).to_contain_text("Surdité / malentendant")

    page.click("text=Ajouter un appareil")
    page.select_option("#id_family", "lave_linge")
    page.fill("#id_brand", "Bosch")
    page.fill("#id_model_ref", "WAN28208FF")
    page.fill("#id_serial_number", "FD9503-123456")
    page.click("text=Ajouter l'appareil")
    expect(page.locator("[id^=appareil-]")).to_contain_text("WAN28208FF")

    page.click("text=Ouvrir un dossier")
    page.fill("#id_customer_words", "Il ne vidange plus, l'eau reste au fond du tambour.")
    page.fill("#id_accessories", "tuyau de vidange")
    page.click("text=Ouvrir le dossier")
    expect(page.locator("#case-status")).to_have_text("Reçu")
    number = page.locator("h1").inner_text().removeprefix("Dossier ")
    assert re.fullmatch(r"PAR1-\d{4}-000001", number)
    dossier_url = page.url

    take_step(page, "prediagnose", "Pompe de vidange bloquée par un corps étranger.")
    # the quote is the document that moves the dossier: a labour-only solution, sent printed, signed
    expect(page.locator("#step-send_quote")).to_have_count(0)
    page.click("#add-solution")
    page.fill("#id_title", "Débouchage de la pompe")
    page.fill("#id_work_description", "Démontage de la pompe, retrait du corps étranger, essai de vidange.")
    page.fill("#id_labour_hours", "1")
    page.click("text=Enregistrer la solution")
    quote_from_first_solution(page)
    page.check("#id_send_channel_1")  # imprimé et remis
    page.click("#send-quote")
    expect(page.locator("#quote-status")).to_have_text("Envoyé")
    page.fill("#id_accept_signer_name", "Lucie Garnier")
    page.click("#accept-quote")
    expect(page.locator("#quote-status")).to_have_text("Accepté")
    page.goto(dossier_url)
    expect(page.locator("#case-status")).to_have_text("Accepté")
    # the counter cannot repair: the workshop steps are not offered
    expect(page.locator("#step-receive_in_workshop")).to_have_count(0)
    logout(page)

    # Workshop
    login(page, base, "technicien")
    page.goto(dossier_url)
    take_step(page, "receive_in_workshop")
    take_step(page, "start_repair")
    take_step(page, "mark_repaired", "Pompe de vidange remplacée.")
    take_step(page, "commission", "Cycle court : vidange et essorage conformes.")
    expect(page.locator("#case-status")).to_have_text("Mis en service / prêt")
    logout(page)

    # Counter: handing back
    login(page, base, "accueil")
    open_home_panels(page)
    expect(page.locator("#panel-to_hand_back")).to_contain_text(number)
    page.goto(dossier_url)
    take_step(page, "hand_back", "Client satisfait.")
    expect(page.locator("#case-status")).to_have_text("Rendu")
    expect(page.locator("#step-close")).to_have_count(
        1
    )  # accueil may close too, but the manager does it here
    logout(page)

    # Manager: closing
    login(page, base, "responsable")
    open_home_panels(page)
    expect(page.locator("#panel-to_close")).to_contain_text(number)
    page.goto(dossier_url)
    take_step(page, "close", "Dossier complet.")
    expect(page.locator("#case-status")).to_have_text("Clôturé")
    expect(page.locator("#steps")).to_contain_text("Dossier fermé : plus aucune étape.")

    entries = page.locator("#timeline > li")
    expect(entries).to_have_count(10)
    expected = [
        ("Dossier ouvert (Comptoir)", "Accueil"),
        ("Enregistrer le pré-diagnostic", "Accueil"),
        ("Devis envoyé au client", "Accueil"),
        ("Devis accepté par le client", "Accueil"),
        ("Prendre en charge en atelier", "Technicien"),
        ("Commencer la réparation", "Technicien"),
        ("Réparation terminée", "Technicien"),
        ("Mise en service / prêt à rendre", "Technicien"),
        ("Appareil rendu au client", "Accueil"),
        ("Clôturer le dossier", "Responsable"),
    ]
    for entry, (label, who) in zip(entries.all(), expected, strict=True):
        expect(entry.locator("strong")).to_have_text(label)
        expect(entry).to_contain_text(f"par {who} ")
    expect(entries.nth(6)).to_contain_text("Pompe de vidange remplacée.")

    case = RepairCase.objects.get(number=number)
    assert case.status == "cloture"
    assert list(case.events.values_list("to_status", "actor__username")) == [
        ("recu", "accueil"),
        ("prediagnostique", "accueil"),
        ("devis_envoye", "accueil"),
        ("accepte", "accueil"),
        ("en_atelier", "technicien"),
        ("en_reparation", "technicien"),
        ("repare", "technicien"),
        ("pret", "technicien"),
        ("rendu", "accueil"),
        ("cloture", "responsable"),
    ]
