"""The permission presets in a real browser (issue 15): in a one-person shop, and in a small team where the
technician also receives, quotes, invoices and takes payment, one technician takes a dossier from the queue ticket
to the closed file alone; under « réseau » the same technician has no counter.

Playwright drives Debian's Chromium (/usr/bin/chromium, installed by `make test`); no browser is downloaded.
"""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from atelier.billing.models import ClosingRulesStart, Invoice
from atelier.core.access import PRESET_EQUIPE, PRESET_RESEAU, PRESET_SEUL
from atelier.core.choices import Role
from atelier.core.tests.factories import SiteFactory, UserFactory
from atelier.reception.models import Counter
from atelier.reception.tests.helpers import seed_priority_rules
from atelier.repairs.models import RepairCase
from tests.e2e.steps import login, quote_from_first_solution, sign, take_step

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _shop(preset: str):
    site = SiteFactory(code="PAR1", name="Paris Bastille", permission_preset=preset)
    ClosingRulesStart.objects.create(site=site, since=datetime.date(2020, 1, 1))
    seed_priority_rules()  # an earlier transactional test's flush may have emptied the seeded table
    Counter.objects.create(site=site, name="Guichet 1")
    return UserFactory(username="karim", roles=[Role.TECHNICIEN], sites=[site], first_name="Karim")


@pytest.mark.parametrize("preset", [PRESET_SEUL, PRESET_EQUIPE])
def test_one_technician_takes_a_dossier_from_the_ticket_to_the_closed_file(
    live_server, page: Page, without_step_checks, preset
):
    # the safety checks of the repair have their own journey (fieldwork); here: who may do each step
    karim = _shop(preset)
    base = live_server.url
    login(page, base, "karim")

    # The counter: a ticket, called, a new customer with their address, an appliance, a dossier
    page.click("nav >> text=File d'attente")
    page.select_option("#take-ticket #id_reason", "depot")
    page.click("text=Donner un ticket")
    expect(page.locator(".messages")).to_contain_text("Ticket 001 remis au client")
    page.select_option("#id_counter", label="Guichet 1")
    page.click("#call-next")
    expect(page.locator("#ticket-status")).to_have_text("Appelé")
    page.click("#new-customer summary")
    page.fill("#id_nouveau_client_last_name", "Garnier")
    page.fill("#id_nouveau_client_first_name", "Lucie")
    page.fill("#id_nouveau_client_phone", "06 12 34 56 78")
    page.fill("#id_nouveau_client_address", "4 rue Oberkampf")
    page.fill("#id_nouveau_client_postcode", "75011")
    page.fill("#id_nouveau_client_city", "Paris")
    page.click("text=Créer la fiche et prendre en charge")
    expect(page.locator(".messages")).to_have_text("Fiche client créée et prise en charge.")
    page.click("text=Ajouter un appareil")
    page.select_option("#id_family", "lave_linge")
    page.fill("#id_brand", "Bosch")
    page.fill("#id_model_ref", "WAN28208FF")
    page.click("text=Ajouter l'appareil")
    page.click("text=Ouvrir un dossier")
    page.fill("#id_customer_words", "Il ne vidange plus.")
    page.click("text=Ouvrir le dossier")
    expect(page.locator("#case-status")).to_have_text("Reçu")
    dossier_url = page.url

    # The quote: a solution, sent printed, accepted and signed; the repair order
    take_step(page, "prediagnose", "Pompe de vidange bloquée.")
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
    promised = timezone.localdate() + datetime.timedelta(days=7)
    page.fill("#id_order_promised_on", promised.isoformat())
    page.click("#create-order")
    expect(page.locator(".messages")).to_contain_text("Ordre de réparation")

    # The workshop (the order of a workshop repair takes the appliance in)
    page.goto(dossier_url)
    expect(page.locator("#case-status")).to_have_text("En atelier")
    take_step(page, "start_repair")
    take_step(page, "mark_repaired", "Corps étranger retiré, vidange conforme.")
    take_step(page, "commission", "Cycle court : vidange et essorage conformes.")
    expect(page.locator("#case-status")).to_have_text("Mis en service / prêt")

    # The counter again: invoice, payment by card, hand-back signed, closed
    page.click("#invoice-issue")
    expect(page.locator(".messages")).to_contain_text("émise")
    invoice = Invoice.objects.get()
    page.goto(dossier_url)
    page.click("#billing-pay summary")
    page.fill("#id_pay_carte", str(invoice.total_ttc).replace(".", ","))
    page.click("#payment-submit")
    expect(page.locator("#billing-due")).to_contain_text("0,00")
    page.click("#billing-handback summary")
    page.locator("#billing-handback canvas").scroll_into_view_if_needed()
    sign(page, "#billing-handback [data-signature-pad]")
    page.click("#handback-submit")
    expect(page.locator("#case-status")).to_have_text("Rendu")
    take_step(page, "close", "Dossier complet.")
    expect(page.locator("#case-status")).to_have_text("Clôturé")

    case = RepairCase.objects.get()
    assert list(case.events.exclude(to_status="").values_list("to_status", "actor")) == [
        ("recu", karim.pk),
        ("prediagnostique", karim.pk),
        ("devis_envoye", karim.pk),
        ("accepte", karim.pk),
        ("en_atelier", karim.pk),
        ("en_reparation", karim.pk),
        ("repare", karim.pk),
        ("pret", karim.pk),
        ("rendu", karim.pk),
        ("cloture", karim.pk),
    ]
    assert (invoice.issued_by, case.payments.get().received_by) == (karim, karim)


def test_under_the_network_preset_the_technician_has_no_counter(live_server, page: Page):
    _shop(PRESET_RESEAU)
    login(page, live_server.url, "karim")
    expect(page.locator("nav")).not_to_contain_text("File d'attente")
    expect(page.locator("nav")).to_contain_text("Ma journée")
    response = page.goto(f"{live_server.url}/accueil-clients/")
    assert response.status == 403
