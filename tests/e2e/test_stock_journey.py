"""Receive a supplier order, reserve the part for a repair order, consume it on the dossier, read the ledger;
in Chromium, in French. Playwright drives Debian's Chromium (/usr/bin/chromium)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from atelier.core.choices import Role
from atelier.core.tests.factories import SiteFactory, UserFactory
from atelier.customers.models import Appliance, Customer
from atelier.quotes.models import Quote, RepairOrder, RepairOrderPart
from atelier.repairs.models import RepairCase
from atelier.repairs.services import case_open
from atelier.stock import services
from atelier.stock.models import Part, StockBalance, StockLocation, StockMove, Supplier
from tests.e2e.steps import login, logout

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _setting():
    site = SiteFactory(code="PAR1", name="Paris Bastille")
    magasinier = UserFactory(
        username="magasinier", roles=[Role.MAGASINIER], sites=[site], first_name="Thomas"
    )
    technicien = UserFactory(username="technicien", roles=[Role.TECHNICIEN], sites=[site], first_name="Karim")
    accueil = UserFactory(username="accueil", roles=[Role.ACCUEIL], sites=[site])
    customer = Customer.objects.create(site=site, last_name="Garnier", phone="+33612345678")
    appliance = Appliance.objects.create(
        customer=customer, family="lave_linge", brand="Bosch", model_ref="WAN28"
    )
    case = case_open(
        actor=accueil, customer=customer, appliance=appliance, customer_words="Il ne vidange plus."
    )
    RepairCase.objects.filter(pk=case.pk).update(status="en_atelier", technician=technicien)
    quote = Quote.objects.create(
        case=case,
        version=1,
        status="accepte",
        nature_of_work="Remplacement de la pompe de vidange",
        place_of_work="Atelier",
        valid_until=timezone.localdate() + datetime.timedelta(days=30),
        created_by=accueil,
    )
    order = RepairOrder.objects.create(
        quote=quote,
        case=case,
        number="OR-PAR1-2026-000001",
        work_to_do="Remplacement de la pompe de vidange",
        location="atelier",
        promised_on=timezone.localdate(),
        tools="Clé à pompe",
        technician=technicien,
        created_by=accueil,
    )
    pump = Part.objects.create(
        reference="BSH-00145212", designation="Pompe de vidange", price_ht=Decimal("48.90")
    )
    RepairOrderPart.objects.create(order=order, part=pump, quantity=1, action="commandee")
    shelf = StockLocation.objects.create(site=site, code="A1", name="Rayon A1")
    supplier = Supplier.objects.create(name="Pièces Pro Distribution")
    supplier_order = services.supplier_order_create(
        actor=magasinier, site=site, supplier=supplier, lines=[(pump, 3)]
    )
    return case, order, pump, shelf, supplier_order


def test_receive_reserve_consume_and_read_the_ledger(live_server, page):
    case, order, pump, shelf, supplier_order = _setting()
    base = live_server.url

    login(page, base, "magasinier")
    page.goto(f"{base}/stock/commandes/{supplier_order.pk}/")
    expect(page.locator("#order-status")).to_have_text("Commandée")
    page.fill(f"input[name=recu-{supplier_order.lines.get().pk}]", "3")
    page.select_option("#id_location", str(shelf.pk))
    page.click("text=Enregistrer la réception")
    expect(page.locator(".messages")).to_contain_text("Réception enregistrée.")
    expect(page.locator("#order-status")).to_have_text("Reçue")

    page.goto(f"{base}/stock/ordre/{order.pk}/")
    expect(page.locator("#ready")).to_have_text("1 × BSH-00145212 manquante")
    page.click("#order-stock >> text=Réserver")
    expect(page.locator(".messages")).to_contain_text("Pièce réservée.")
    expect(page.locator("#ready")).to_have_text("Toutes les pièces sont prêtes.")
    logout(page)

    login(page, base, "technicien")
    page.goto(f"{base}/dossiers/{case.pk}/")
    expect(page.locator("#stock-parts")).to_contain_text("pièces prêtes")
    page.click("#stock-parts >> text=réserver / consommer")
    page.click("text=Consommer sur le dossier")
    expect(page.locator(".messages")).to_contain_text("Consommation enregistrée sur le dossier.")
    page.goto(f"{base}/dossiers/{case.pk}/")
    expect(page.locator("#stock-consumed")).to_contain_text("1 × BSH-00145212")

    page.goto(f"{base}/stock/mouvements/")
    rows = page.locator("#moves tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Consommation sur dossier")
    expect(rows.nth(0)).to_contain_text("-1")
    expect(rows.nth(0)).to_contain_text(case.number)
    expect(rows.nth(1)).to_contain_text("Réception fournisseur")
    expect(rows.nth(1)).to_contain_text("+3")
    balance = StockBalance.objects.get(part=pump, location=shelf)
    assert (balance.on_hand, balance.reserved) == (Decimal(2), Decimal(0))
    assert StockMove.objects.count() == 2
