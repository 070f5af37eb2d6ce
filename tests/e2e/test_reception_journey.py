"""The counter in a real browser: take a ticket, call it, take charge of the customer, open a dossier, record
a complaint; the manager sees it on the home page; the waiting-room screen shows numbers only.

Playwright drives Debian's Chromium (/usr/bin/chromium); no browser is downloaded.
"""

import pytest
from playwright.sync_api import expect

from atelier.core.choices import Role
from atelier.core.tests.factories import SiteFactory, UserFactory
from atelier.customers.models import Appliance, Customer
from atelier.reception.models import Complaint, Counter, Ticket
from atelier.reception.tests.helpers import seed_priority_rules
from atelier.repairs.models import RepairCase
from tests.e2e.steps import login, open_home_panels

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_customer_from_the_ticket_to_the_complaint(live_server, page, browser):
    site = SiteFactory(code="PAR1", name="Paris Bastille")
    for username, role in (("accueil", Role.ACCUEIL), ("responsable", Role.RESPONSABLE_SAV)):
        UserFactory(username=username, roles=[role], sites=[site], first_name=username.capitalize())
    seed_priority_rules()  # an earlier transactional test's flush may have emptied the seeded table
    Counter.objects.create(site=site, name="Guichet 1")
    Counter.objects.create(site=site, name="Guichet 2")
    customer = Customer.objects.create(
        site=site,
        last_name="Lefèvre",
        first_name="Nadia",
        phone="+33612345678",
        postcode="75011",
        city="Paris",
        needs_reduced_mobility=True,
        preferred_contact="sms",
    )
    Appliance.objects.create(customer=customer, family="lave_linge", brand="Bosch", model_ref="WAN28208FF")
    base = live_server.url

    # The waiting-room screen, open on its own (no login)
    screen = browser.new_page()
    screen.goto(f"{base}/accueil-clients/affichage/PAR1/")
    expect(screen.locator(".rcp-none")).to_have_text("Aucun numéro appelé pour l'instant.")

    # The counter: a ticket, then call it
    login(page, base, "accueil")
    page.click("nav >> text=File d'attente")
    expect(page.locator("h1")).to_have_text("File d'attente · Paris Bastille")
    page.select_option("#take-ticket #id_reason", "depot")
    page.select_option("#take-ticket #id_priority", label="Personne handicapée ou à mobilité réduite")
    page.click("text=Donner un ticket")
    expect(page.locator(".messages")).to_contain_text("Ticket 001 remis au client")
    expect(page.locator("#waiting-001")).to_contain_text("Personne handicapée")
    page.select_option("#id_counter", label="Guichet 2")
    page.click("#call-next")
    expect(page.locator(".messages")).to_have_text("Ticket 001 appelé au Guichet 2.")
    expect(page.locator("#ticket-status")).to_have_text("Appelé")

    # The screen refreshes by itself and shows the number, never the customer
    expect(screen.locator(".rcp-latest")).to_contain_text("001", timeout=12_000)
    expect(screen.locator(".rcp-latest")).to_contain_text("Guichet 2")
    screen.close()

    # Taking charge: find the customer, see their needs and history, open a dossier
    page.fill("#id_q", "lefevre")
    page.click("#find-customer button[type=submit]")
    page.click("#results >> text=C'est ce client")
    expect(page.locator(".messages")).to_have_text("Client pris en charge : Nadia LEFÈVRE.")
    expect(page.locator("#customer-needs")).to_have_text("♿ Besoins : Mobilité réduite")
    expect(page.locator(".rcp-contact")).to_contain_text("SMS")
    page.click("#appliances >> text=Ouvrir un dossier")
    page.fill("#id_customer_words", "Elle fait un bruit de ferraille à l'essorage.")
    page.click("text=Ouvrir le dossier")
    expect(page.locator("#case-status")).to_have_text("Reçu")
    case = RepairCase.objects.get()
    assert (case.customer_words, case.received_by.username) == (
        "Elle fait un bruit de ferraille à l'essorage.",
        "accueil",
    )

    # A complaint, from the dossier
    page.click("#complaints >> text=Noter un mécontentement")
    page.fill("#id_said", "C'est la troisième fois que je viens pour ce bruit !")
    page.select_option("#id_cause", "qualite")
    page.fill("#id_action_taken", "Dossier ouvert en priorité.")
    page.check("#id_manager_called")
    page.click("text=Enregistrer")
    expect(page.locator(".messages")).to_have_text("Mécontentement enregistré.")
    expect(page.locator("#complaint-said")).to_have_text(
        "C'est la troisième fois que je viens pour ce bruit !"
    )
    complaint = Complaint.objects.get()
    assert (complaint.case, complaint.customer, complaint.manager_called) == (case, customer, True)

    # Back at the counter: the customer is served
    page.goto(f"{base}/accueil-clients/tickets/{Ticket.objects.get().pk}/")
    page.click("#serve")
    expect(page.locator(".messages")).to_have_text("Ticket 001 servi.")
    assert Ticket.objects.get().status == "servi"
    page.click("text=Se déconnecter")

    # The manager sees the complaint on the home page until it is handled
    login(page, base, "responsable")
    expect(page.locator("#todo-complaints")).to_contain_text("1 Mécontentements de clients à traiter")
    open_home_panels(page)  # « Détail par sujet », folded under « À faire maintenant », loaded when unfolded
    expect(page.locator("#panel-complaints")).to_contain_text("Qualité de la réparation")
    page.click("#panel-complaints >> a")
    page.fill("#id_note", "Technicien senior affecté, client rappelé.")
    page.click("text=Marquer comme traité")
    expect(page.locator("#complaint-status")).to_have_text("Traité")
    page.click("nav >> text=Accueil")
    expect(page.locator("#todo-complaints")).to_have_count(0)
    open_home_panels(page)
    expect(page.locator("#panel-complaints")).to_contain_text("Aucun mécontentement en attente.")
