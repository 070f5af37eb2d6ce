"""A technician's home visit on a tablet (820 × 1180): PPE check → installation conformity → repair record →
electrical safety tests → commissioning signed by the customer → dossier « prêt ». A form typed and reloaded
keeps what was typed (weak connection)."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from atelier.core.choices import Role
from atelier.core.tests.factories import SiteFactory, UserFactory
from atelier.customers.models import Appliance, Customer
from atelier.fieldwork.models import Commissioning, SiteRules, Tool, ToolKind
from atelier.procedures.models import Procedure
from atelier.quotes import decisions as quote_decisions
from atelier.quotes import orders as quote_orders
from atelier.quotes import services as quote_services
from atelier.repairs.services import case_open, case_prediagnose
from atelier.stock.choices import LocationKind, MoveKind
from atelier.stock.models import Part, StockBalance, StockLocation
from atelier.stock.services import move_record
from tests.e2e.steps import login, open_section, sign

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _planned_visit():
    site = SiteFactory(code="PAR1", name="Paris Bastille")
    SiteRules.objects.create(site=site)
    accueil = UserFactory(username="accueil", roles=[Role.ACCUEIL], sites=[site])
    manager = UserFactory(username="responsable", roles=[Role.RESPONSABLE_SAV], sites=[site])
    tech = UserFactory(username="technicien", roles=[Role.TECHNICIEN], sites=[site], first_name="Karim")
    Tool.objects.create(
        site=site,
        kind=ToolKind.objects.get(code="testeur-pat"),
        serial="GT-0701-118",
        holder=tech,
        last_checked_on=timezone.localdate() - datetime.timedelta(days=30),
        next_check_on=timezone.localdate() + datetime.timedelta(days=335),
    )
    # A filter in the van: noted as fitted, it leaves the van's stock.
    van = StockLocation.objects.create(
        site=site, code="VEH-KARIM", name="Véhicule de Karim", kind=LocationKind.VEHICULE, technician=tech
    )
    filtre = Part.objects.create(reference="FILTRE-VID-01", designation="Filtre de vidange", price_ht="9.90")
    move_record(actor=manager, part=filtre, location=van, kind=MoveKind.RECEPTION, quantity=2, reason="")
    customer = Customer.objects.create(
        site=site,
        last_name="Lefèvre",
        first_name="Nadia",
        phone="+33612345678",
        postcode="75011",
        city="Paris",
    )
    appliance = Appliance.objects.create(
        customer=customer, family="lave_linge", brand="Bosch", model_ref="WAN28208FF"
    )
    case = case_open(
        actor=accueil,
        customer=customer,
        appliance=appliance,
        customer_words="Il ne vidange plus.",
        location="domicile",
    )
    case_prediagnose(case=case, actor=accueil, note="Pompe de vidange bloquée.")
    solution = quote_services.solution_create(
        case=case,
        actor=accueil,
        title="Nettoyage de la pompe",
        work_description="Dépose et nettoyage.",
        labour_hours="1",
        parts=[],
    )
    quote = quote_services.quote_create(case=case, actor=accueil, solution=solution)
    quote_services.quote_send(quote=quote, actor=manager, channel="papier")
    quote_decisions.quote_accept(quote=quote, actor=manager, signer_name="Nadia Lefèvre")
    quote_orders.repair_order_create(
        quote=quote,
        actor=manager,
        promised_on=timezone.localdate() + datetime.timedelta(days=7),
        technician=tech,
        planned_for=timezone.now(),
    )
    return case


def take_step(page, name, note=""):
    page.wait_for_load_state("networkidle")  # the sections load as they come into view (tests/e2e/steps.py)
    page.click(f"#step-{name} summary")
    if note:
        page.fill(f"#id_{name}_note", note)
    page.click(f"#step-{name} button[type=submit]")


def test_a_home_visit_on_a_tablet(live_server, browser):
    case = _planned_visit()
    context = browser.new_context(
        locale="fr-FR", timezone_id="Europe/Paris", viewport={"width": 820, "height": 1180}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    base = live_server.url
    dossier = f"{base}/dossiers/{case.pk}/"
    login(page, base, "technicien")
    page.goto(dossier)
    open_section(page, "fieldwork")  # below the steps, loaded when scrolled to
    expect(page.locator("#fieldwork")).to_contain_text("à faire avant l'intervention")

    # Starting without the PPE check is not possible: the step says why
    page.click("#step-start_repair summary")
    expect(page.locator("#step-start_repair .step-blockers")).to_contain_text(
        "le contrôle des EPI et de la fiche sécurité n'est pas fait (ou incomplet) pour cette intervention"
    )
    expect(page.locator("#step-start_repair button[type=submit]")).to_be_disabled()

    # PPE check
    page.goto(dossier)
    open_section(page, "fieldwork")
    page.click("#go-ppe")
    for box in page.locator("#ppe-form input[name^=sheet_]").all():  # the family's PPE, hygiene, environment
        box.check()
    page.check("#id_tools_ok")
    page.click("#ppe-form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("vous pouvez commencer")
    take_step(page, "start_repair")
    expect(page.locator("#case-status")).to_have_text("En réparation")

    # Installation conformity: typed, page reloaded (weak connection), still there
    open_section(page, "fieldwork")  # below the fold on a tablet: loaded when scrolled to
    page.click("#go-installation")
    for point in ("socket", "earth", "cable", "water_inlet", "drain", "ventilation"):
        page.check(f"input[name=point_{point}][value=conforme]")
    page.check("input[name=point_gas][value=sans_objet]")
    page.fill("#id_anomalies", "Aucune.")
    page.reload()
    expect(page.locator("#id_anomalies")).to_have_value("Aucune.")
    expect(page.locator("input[name=point_gas][value=sans_objet]")).to_be_checked()
    page.click("#installation-form button[type=submit]")
    open_section(page, "fieldwork")
    expect(page.locator("#fw-installation")).to_contain_text("conforme")

    # Repair record, then the dossier step « Réparation terminée »
    page.click("#go-repair")
    page.check("input[name=level][value='1']")
    page.fill(
        "#id_work_done", "Dépose de la pompe de vidange, retrait d'une pièce de monnaie, essai de vidange."
    )
    expect(page.locator("#parts-at-hand")).to_contain_text("FILTRE-VID-01 Filtre de vidange · 2")
    page.fill("#id_parts", "FILTRE-VID-01 ; ; 1")
    page.click("#repair-form button[type=submit]")
    open_section(page, "fieldwork")
    expect(page.locator("#fw-repair")).to_contain_text("niveau 1")
    assert StockBalance.objects.get(part__reference="FILTRE-VID-01").on_hand == 1
    take_step(page, "mark_repaired", "Pompe nettoyée.")
    expect(page.locator("#case-status")).to_have_text("Réparé")

    # Safety tests: a wrong unit is refused, then the right measurements pass
    open_section(page, "fieldwork")
    page.click("#go-safety")
    page.select_option("#id_appliance_class", "I")
    page.select_option(
        "#id_instrument", label="Testeur PAT / contrôleur de sécurité électrique n° GT-0701-118"
    )
    page.fill("#id_pe_resistance", "0,12 mA")
    page.fill("#id_insulation", "250 MΩ")
    page.fill("#id_pe_current", "0,8 mA")
    page.click("#safety-form button[type=submit]")
    expect(page.locator(".errors, .error").first).to_contain_text("n'est pas une unité")
    page.fill("#id_pe_resistance", "0,12 Ω")
    page.click("#safety-form button[type=submit]")
    open_section(page, "fieldwork")
    expect(page.locator("#safety-verdict")).to_have_text("conforme")

    # The family's commissioning control procedure, followed step by step (procedures)
    control = Procedure.objects.get(code="MES-LL", is_current=True)
    open_section(page, "procedures")
    page.click(f"#procedure-start-{control.pk}")
    for step in control.steps.order_by("position"):
        item = page.locator(f"#step-{step.pk}")
        item.locator("input[value=fait]").check()
        if step.measure_label:
            item.locator("input[name=measured_value]").fill("80")
        page.click(f"#step-{step.pk}-submit")
    expect(page.locator("#run-progress")).to_contain_text("6/6 étapes renseignées · terminée, conforme")
    page.click("a:has-text('Retour au dossier')")

    # Commissioning with the customer's signature
    open_section(page, "fieldwork")
    page.click("#go-commissioning")
    page.fill("#id_control_tests", "Cycle rapide complet : remplissage, vidange, essorage conformes.")
    page.fill("#id_settings_chosen", "Programme Eco 40-60 par défaut.")
    page.fill("#id_explanations", "Nettoyage du filtre de vidange tous les mois.")
    page.fill("#id_signer_name", "Nadia Lefèvre")
    sign(page)
    page.click("#commission-submit")
    expect(page.locator("#case-status")).to_have_text("Mis en service / prêt")
    open_section(page, "fieldwork")
    expect(page.locator("#fw-commissioning img.signature-img")).to_have_count(1)
    assert Commissioning.objects.get().signature.startswith("data:image/png;base64,")
    context.close()
