"""From a pre-diagnosed dossier to an accepted, signed quote and its repair order, in Chromium, in French.

Playwright drives Debian's Chromium (/usr/bin/chromium); the browser fixtures come from the dossier journey.
"""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from atelier.core.choices import Role
from atelier.core.tests.factories import SiteFactory, UserFactory
from atelier.customers.models import Appliance, Customer
from atelier.quotes.models import Quote, RepairOrder
from atelier.repairs.services import case_open, case_prediagnose
from atelier.stock.choices import Availability, PartCondition, PartKind
from atelier.stock.models import Part
from tests.e2e.steps import login, logout, quote_from_first_solution, sign

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _prediagnosed_dossier():
    site = SiteFactory(code="PAR1", name="Paris Bastille")
    accueil = UserFactory(username="accueil", roles=[Role.ACCUEIL], sites=[site], first_name="Accueil")
    UserFactory(username="responsable", roles=[Role.RESPONSABLE_SAV], sites=[site], first_name="Responsable")
    customer = Customer.objects.create(
        site=site,
        last_name="Garnier",
        first_name="Lucie",
        phone="+33612345678",
        address="4 rue Oberkampf",
        postcode="75011",
        city="Paris",
    )
    appliance = Appliance.objects.create(
        customer=customer, family="lave_linge", brand="Bosch", model_ref="WAN28208FF"
    )
    case = case_open(
        actor=accueil, customer=customer, appliance=appliance, customer_words="Il ne vidange plus."
    )
    case_prediagnose(case=case, actor=accueil, note="Pompe de vidange bloquée.")
    new = Part.objects.create(
        reference="BSH-00145212",
        designation="Pompe de vidange",
        kind=PartKind.MOTEUR,
        price_ht=Decimal("48.90"),
        availability=Availability.A_COMMANDER,
        lead_time_days=5,
    )
    Part.objects.create(
        reference="BSH-00145212-OCC",
        designation="Pompe de vidange",
        kind=PartKind.MOTEUR,
        condition=PartCondition.OCCASION,
        price_ht=Decimal("24.00"),
        availability=Availability.EN_STOCK,
        equivalent_of=new,
    )
    return case


def _add_solution(page, title, hours, part_label):
    page.click("#add-solution")
    page.fill("#id_title", title)
    page.fill("#id_work_description", f"{title} : dépose, remplacement, essai de vidange.")
    page.fill("#id_labour_hours", hours)
    page.select_option("#id_part_1", label=part_label)
    page.click("text=Enregistrer la solution")
    expect(page.locator(".messages")).to_contain_text(f"Solution « {title} » ajoutée.")


def test_from_a_prediagnosed_dossier_to_an_accepted_quote_and_its_repair_order(live_server, page):
    case = _prediagnosed_dossier()
    base = live_server.url

    login(page, base, "accueil")
    page.goto(f"{base}/dossiers/{case.pk}/")
    expect(page.locator("#quotes")).to_contain_text("Aucune solution pour l'instant.")
    _add_solution(page, "Pompe neuve", "1,5", "BSH-00145212 – Pompe de vidange (neuve)")
    _add_solution(page, "Pompe d'occasion", "1,5", "BSH-00145212-OCC – Pompe de vidange (d'occasion)")
    expect(page.locator(".qt-solution")).to_have_count(2)
    expect(page.locator(".qt-solution").first).to_contain_text("157,68\u00a0€ TTC")
    expect(page.locator(".qt-solution").nth(1)).to_contain_text("127,80\u00a0€ TTC")

    quote_from_first_solution(page)
    expect(page.locator("#quote-status")).to_have_text("Brouillon")
    expect(page.locator("#quote-ttc")).to_have_text("157,68\u00a0€")
    expect(page.locator("#used-part-info")).to_contain_text("« Pompe d'occasion », 127,80\u00a0€ TTC")

    # bad input: nothing changes, the French reason is shown
    page.click("#action-line summary")
    page.select_option("#id_line_kind", "autre")
    page.fill("#id_line_designation", "Divers")
    page.fill("#id_line_quantity", "-2")
    page.fill("#id_line_unit_price_ht", "10")
    page.click("#action-line button[type=submit]")
    expect(page.locator("#action-line")).to_contain_text("La quantité doit être supérieure à zéro.")
    expect(page.locator("#quote-ttc")).to_have_text("157,68\u00a0€")

    page.check("#id_send_channel_1")  # imprimé et remis
    page.click("#send-quote")
    expect(page.locator("#quote-status")).to_have_text("Envoyé")
    expect(page.locator("h1")).to_contain_text("DEV-PAR1-")

    # the customer signs on screen
    page.fill("#id_accept_signer_name", "Lucie Garnier")
    sign(page)
    page.click("#accept-quote")
    expect(page.locator("#quote-status")).to_have_text("Accepté")
    quote_url = page.url
    logout(page)

    login(page, base, "responsable")
    page.goto(quote_url)
    promised = timezone.localdate() + datetime.timedelta(days=10)
    page.fill("#id_order_promised_on", promised.isoformat())
    page.check("input[name=skills][value='hab:elec']")  # chosen from lists, never typed
    page.check("input[name=tools][value=multimetre]")
    page.click("#create-order")
    expect(page.locator("h1")).to_contain_text("Ordre de réparation OR-PAR1-")
    expect(page.locator("#case-status")).to_have_text("En attente de pièces")
    expect(page.locator("#order-parts")).to_contain_text("Manquante · à commander, délai 5 j")

    quote = Quote.objects.get()
    assert (quote.status, quote.signer_name, quote.total_ttc) == (
        "accepte",
        "Lucie Garnier",
        Decimal("157.68"),
    )
    assert quote.signature.startswith("data:image/png;base64,")
    order = RepairOrder.objects.get()
    assert (order.promised_on, order.skills, order.tools) == (promised, "hab:elec", "multimetre")
    case.refresh_from_db()
    assert list(case.events.values_list("to_status", flat=True)) == [
        "recu",
        "prediagnostique",
        "devis_envoye",
        "accepte",
        "attente_pieces",
    ]
