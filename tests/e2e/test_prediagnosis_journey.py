"""At the counter, in Chromium, in French: open a dossier → answer the guided questions (a conditional one
appears, an unknown error code is flagged) → basic checks → suggestions shown → record the pre-diagnosis →
the customer signs on screen → the fiche de pré-diagnostic PDF opens."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from atelier.core.choices import Role, TariffKind
from atelier.core.models import SiteTariff
from atelier.core.tests.factories import SiteFactory, UserFactory
from atelier.customers.models import Appliance, Customer
from atelier.diagnostics.models import Answer, PreDiagnosis
from atelier.knowledge.services import knowledge_learn
from atelier.repairs.models import RepairCase
from tests.e2e.steps import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _setting():
    site = SiteFactory(code="PAR1", name="Paris Bastille")
    SiteTariff.objects.update_or_create(
        site=site,
        kind=TariffKind.DIAGNOSIS_FEE,
        valid_from=datetime.date(2024, 1, 1),
        defaults={"amount": Decimal("39.00")},
    )
    UserFactory(username="accueil", roles=[Role.ACCUEIL], sites=[site], first_name="Accueil")
    customer = Customer.objects.create(
        site=site,
        last_name="Garnier",
        first_name="Lucie",
        phone="+33612345678",
        postcode="75011",
        city="Paris",
    )
    appliance = Appliance.objects.create(
        customer=customer, family="lave_linge", brand="Bosch", model_ref="WAN28208FF"
    )
    history = [  # closed dossiers the suggester learned from
        (
            "Ne vidange plus, la pompe ronronne, eau au fond du tambour.",
            "Pompe de vidange bloquée ou hors service",
        ),
        ("La pompe ronronne mais l'eau ne part pas.", "Pompe de vidange bloquée ou hors service"),
        ("Bruit de pompe, ne vidange pas.", "Pompe de vidange bloquée ou hors service"),
        ("Ne vidange plus, une pièce de monnaie dans le filtre.", "Filtre de vidange obstrué"),
        ("Le linge reste mouillé, filtre plein de peluches.", "Filtre de vidange obstrué"),
    ]
    for i, (text, cause) in enumerate(history):
        knowledge_learn(family="lave_linge", text=text, cause_label=cause, brand="Bosch", source=f"HIST-{i}")
    return appliance


def test_questioning_and_prediagnosis_at_the_counter(live_server, page):
    appliance = _setting()
    base = live_server.url
    login(page, base, "accueil")

    # open the dossier from the customer's file
    page.goto(f"{base}/dossiers/nouveau/?appareil={appliance.pk}")
    page.fill("#id_customer_words", "Elle ne vidange plus, l'eau reste au fond et la pompe ronronne.")
    page.click("text=Ouvrir le dossier")
    expect(page.locator("#case-status")).to_have_text("Reçu")
    case = RepairCase.objects.get()

    # proposed right after opening
    page.click("#start-questions")
    expect(page.locator("h1")).to_have_text("Questionnement du client")
    # the consumer reads the price TTC (Code de la consommation L112-1): 39,00 € HT at 20 %
    expect(page.locator("#process")).to_contain_text("46,80\u00a0€ TTC (39,00\u00a0€ HT)")
    code_row = page.locator("#question-code_erreur")
    expect(code_row).to_be_hidden()
    page.locator("#question-code_affiche input[value=oui]").check()
    expect(code_row).to_be_visible()
    code_row.locator("input").fill("E99")
    page.locator("#question-usage select").select_option("domestique")
    page.locator("#question-depuis select").select_option("quelques jours")
    page.locator("#question-bruit input[value=oui]").check()
    page.locator("#question-bruit_type select").select_option("ronflement ou bourdonnement")
    page.click("text=Enregistrer les réponses")
    expect(page.locator(".messages")).to_contain_text("« E99 » : code inconnu de la base.")
    expect(page.locator("#question-code_erreur")).to_contain_text("code inconnu de la base")
    # corrected: the code is known, and moving on to the pre-diagnosis
    page.locator("#question-code_erreur input").fill("e18")
    page.click("#to-prediagnosis")
    expect(page.locator("h1")).to_have_text("Pré-diagnostic")
    assert Answer.objects.get(case=case, question__key="code_erreur").value == "E18"

    # suggestions shown, from the error code and the learned dossiers
    expect(page.locator("#suggestions li").first).to_contain_text("Pompe de vidange bloquée ou hors service")
    expect(page.locator("#suggestions")).to_contain_text("code E18 (Bosch)")

    # checklist, findings; a missing finding is refused in French, nothing lost
    page.locator("fieldset.dg-check").nth(2).locator("input[value=ok]").check()
    page.locator("fieldset.dg-check").nth(3).locator("input[value=anomalie]").check()
    page.locator("fieldset.dg-check").nth(3).locator("input[type=text]").fill("tuyau coincé derrière")
    page.click("#record-prediagnosis")
    expect(page.locator("#field-id_findings")).to_contain_text("Ce champ est obligatoire.")
    expect(page.locator("fieldset.dg-check").nth(3).locator("input[type=text]")).to_have_value(
        "tuyau coincé derrière"
    )
    page.fill("#id_findings", "Eau stagnante dans le tambour, filtre propre.")
    page.fill("#id_leads", "Pompe de vidange à contrôler.")
    page.fill("#id_told_customer", "Diagnostic sous 2 à 5 jours, forfait 46,80 € TTC.")
    page.click("#record-prediagnosis")
    expect(page.locator(".messages")).to_contain_text("Pré-diagnostic enregistré")
    expect(page.locator("#case-status")).to_have_text("Pré-diagnostiqué")

    # the customer signs on screen
    page.fill("#id_signer_name", "Lucie Garnier")
    pad = page.locator(".signature-pad canvas")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + 60)
    page.mouse.down()
    page.mouse.move(box["x"] + 140, box["y"] + 20, steps=8)
    page.mouse.move(box["x"] + 240, box["y"] + 70, steps=8)
    page.mouse.up()
    page.click("#acknowledge-form button[type=submit]")
    expect(page.locator("#acknowledgement")).to_contain_text("Signée à l'écran par Lucie Garnier")

    # the sheet opens as a PDF
    pdf = page.request.get(f"{base}/diagnostic/dossiers/{case.pk}/pre-diagnostic/fiche.pdf")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF-")

    # back on the dossier page: the section sums it up
    page.goto(f"{base}/dossiers/{case.pk}/")
    expect(page.locator("#diagnostics")).to_contain_text("Eau stagnante dans le tambour")
    expect(page.locator("#prediag-pdf-link")).to_be_visible()
    pre = PreDiagnosis.objects.get()
    assert pre.signature.startswith("data:image/png;base64,") and pre.acknowledgement == "ecran"
    assert [c.remark for c in pre.checks.filter(result="anomalie")] == ["tuyau coincé derrière"]
