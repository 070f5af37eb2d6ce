"""Issue 18 point 7 in a real browser: a returning customer → a claim at the counter (« retour SAV », covered by
the shop's repair guarantee), a photo taken on the claim page → the answer « réparation » opens a new dossier
taken under the repair guarantee → a quote at 0 € signed → a zero-euro invoice → hand-back → closed.

The repair itself (workshop, safety tests, commissioning) has its own journeys (fieldwork, billing): it is
recorded here through the services, as the billing journey does."""

import datetime
import io

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import Page, expect

from atelier.aftersales.models import CaseCover, Claim, RepairGuaranteeTerm
from atelier.billing.models import ClosingRulesStart, Invoice
from atelier.core.choices import Role
from atelier.core.models import User
from atelier.core.tests.factories import SiteFactory, UserFactory
from atelier.customers.models import Appliance, Customer
from atelier.photos.models import Photo
from atelier.repairs import extensions
from atelier.repairs import services as case_services
from atelier.repairs.choices import CaseStatus, EventKind
from atelier.repairs.models import CaseEvent
from tests.e2e.steps import login, logout, open_section, quote_from_first_solution, sign, take_step

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _returning_customer():
    """Lucie Garnier's washing machine, repaired by the shop and handed back 30 days ago (the site gives its
    repairs a 90-day guarantee); she comes back: it leaks again."""
    site = SiteFactory(code="PAR1", name="Paris Bastille")
    ClosingRulesStart.objects.create(site=site, since=datetime.date(2020, 1, 1))
    RepairGuaranteeTerm.objects.create(site=site, valid_from=datetime.date(2020, 1, 1), days=90)
    for name, role in (
        ("accueil", Role.ACCUEIL),
        ("technicien", Role.TECHNICIEN),
        ("responsable", Role.RESPONSABLE_SAV),
    ):
        UserFactory(username=name, roles=[role], sites=[site], first_name=name.capitalize())
    customer = Customer.objects.create(
        site=site,
        last_name="Garnier",
        first_name="Lucie",
        phone="+33612345678",
        email="lucie@example.fr",
        postcode="75011",
        city="Paris",
    )
    appliance = Appliance.objects.create(
        customer=customer,
        family="lave_linge",
        brand="Bosch",
        model_ref="WAN28208FF",
        purchase_date=datetime.date(2021, 1, 15),
    )
    handed_back = timezone.now() - datetime.timedelta(days=30)
    earlier = case_services.case_open(
        actor=UserFactory(username="ancien", roles=[Role.ACCUEIL], sites=[site]),
        customer=customer,
        appliance=appliance,
        customer_words="Fuit sous la porte.",
        at=handed_back - datetime.timedelta(days=7),
    )
    CaseEvent.objects.create(
        case=earlier, at=handed_back, kind=EventKind.TRANSITION, to_status=CaseStatus.RENDU, label="Rendu"
    )
    earlier.status, earlier.closed_at = CaseStatus.CLOTURE, handed_back + datetime.timedelta(days=1)
    earlier.save(update_fields=["status", "closed_at"])
    return earlier


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (90, 140, 200)).save(out, "JPEG")
    return out.getvalue()


def test_returning_customer_claim_under_repair_guarantee_zero_euro_invoice_closed(
    live_server, page: Page, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    earlier = _returning_customer()
    base = live_server.url
    guarantee_end = (timezone.localdate() + datetime.timedelta(days=60)).strftime("%d/%m/%Y")

    # the counter opens the claim from the earlier dossier, with the guided questions
    login(page, base, "accueil")
    page.goto(f"{base}/dossiers/{earlier.pk}/")
    open_section(page, "aftersales")
    page.click("text=Ouvrir une réclamation")
    page.click("text=Panne après une réparation de l'atelier")
    page.select_option("#id_channel", "guichet")
    page.fill("#id_description", "La fuite sous la porte est revenue.")
    page.select_option("#id_q_meme_panne", "oui")
    page.fill("#id_q_depuis", (timezone.localdate() - datetime.timedelta(days=2)).isoformat())
    page.fill("#id_q_constat", "Flaque sous la porte après chaque lavage.")
    page.fill("#id_q_usage", "domestique")
    page.click("text=Ouvrir la réclamation et vérifier les garanties")
    claim = Claim.objects.get()
    expect(page.locator(".messages")).to_contain_text(f"Réclamation {claim.number} ouverte.")
    expect(page.locator("#claim-return")).to_have_text("retour SAV")
    expect(page.locator("#claim-covers")).to_contain_text(
        f"Garantie de la réparation (dossier {earlier.number})"
    )
    expect(page.locator("#claim-covers li", has_text="Garantie de la réparation")).to_contain_text(
        f"→ {guarantee_end} · Paris Bastille en cours"
    )

    # a photo of the leak, from the tablet's camera (a file here)
    page.locator("#section-photos").scroll_into_view_if_needed()
    page.set_input_files(
        "#id_photo_images", files=[{"name": "fuite.jpg", "mimeType": "image/jpeg", "buffer": _photo()}]
    )
    page.fill("#id_photo_caption", "Flaque sous la porte")
    page.click("#photo-form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("1 photo(s) ajoutée(s).")
    page.locator("#section-photos").scroll_into_view_if_needed()
    expect(page.locator("#photo-list figcaption")).to_contain_text("Réclamation Flaque sous la porte")

    # the answer: the shop takes the appliance back under its repair guarantee
    page.select_option("#id_answer_outcome", "reparation")
    page.fill(
        "#id_answer_answer_text", "Nous reprenons votre lave-linge sous la garantie de notre réparation."
    )
    page.click("text=Envoyer la réponse écrite")
    expect(page.locator(".messages")).to_contain_text(
        "Réponse enregistrée : lettre jointe à l'e-mail du client."
    )
    claim.refresh_from_db()
    case = claim.new_case
    assert CaseCover.objects.get(case=case).basis == "garantie_reparation"
    page.click(f"text={case.number}")
    expect(page.locator("#case-status")).to_have_text("Reçu")
    open_section(page, "aftersales")
    expect(page.locator("#garanties")).to_contain_text(
        "Ce dossier est pris en charge au titre de : Garantie de la réparation (retour SAV)."
    )
    open_section(page, "photos")
    expect(page.locator("#photos #photo-list img")).to_have_count(1)

    # the quote: the work at 0 €, under the guarantee, signed by the customer
    take_step(page, "prediagnose", "Joint de hublot mal posé lors de la réparation.")
    open_section(page, "quotes")
    page.click("#add-solution")
    page.fill("#id_title", "Reprise sous garantie")
    page.fill("#id_work_description", "Repose du joint de hublot, essai d'étanchéité.")
    page.fill("#id_labour_hours", "0")
    page.click("text=Enregistrer la solution")
    expect(page.locator(".messages")).to_contain_text("Solution « Reprise sous garantie » ajoutée.")
    quote_from_first_solution(page)
    page.click("#action-line summary")
    page.select_option("#id_line_kind", "main_oeuvre")
    page.fill("#id_line_designation", f"Reprise sous garantie de la réparation (dossier {earlier.number})")
    page.fill("#id_line_quantity", "1")
    page.fill("#id_line_unit_price_ht", "0")
    page.click("#action-line button[type=submit]")
    expect(page.locator("#quote-ttc")).to_have_text("0,00\u00a0€")
    page.check("#id_send_channel_1")  # imprimé et remis
    page.click("#send-quote")
    expect(page.locator("#quote-status")).to_have_text("Envoyé")
    page.fill("#id_accept_signer_name", "Lucie Garnier")
    sign(page)
    page.click("#accept-quote")
    expect(page.locator("#quote-status")).to_have_text("Accepté")

    technicien = User.objects.get(username="technicien")
    with extensions.recording_history():  # the repair's own steps have their journeys (fieldwork)
        case_services.case_receive_in_workshop(case=case, actor=technicien)
        case_services.case_start_repair(case=case, actor=technicien)
        case_services.case_mark_repaired(case=case, actor=technicien, note="Joint reposé.")
        case_services.case_commission(case=case, actor=technicien, note="Essai d'étanchéité : aucune fuite.")

    # the zero-euro invoice, nothing to pay, the appliance handed back against the customer's signature
    page.goto(f"{base}/dossiers/{case.pk}/")
    open_section(page, "billing")
    page.click("#invoice-issue")
    expect(page.locator(".messages")).to_contain_text("émise")
    expect(page.locator("#invoice-ttc")).to_contain_text("0,00")
    invoice = Invoice.objects.get()
    assert (invoice.case, str(invoice.total_ttc)) == (case, "0.00")
    page.goto(f"{base}/dossiers/{case.pk}/")
    open_section(page, "billing")
    expect(page.locator("#billing-due")).to_contain_text("0,00")
    page.click("#billing-handback summary")
    page.locator("#billing-handback canvas").scroll_into_view_if_needed()
    sign(page, "#billing-handback [data-signature-pad]")
    page.click("#handback-submit")
    expect(page.locator("#case-status")).to_have_text("Rendu")
    logout(page)

    login(page, base, "responsable")
    page.goto(f"{base}/dossiers/{case.pk}/")
    take_step(page, "close")
    expect(page.locator("#case-status")).to_have_text("Clôturé")
    open_section(page, "billing")
    expect(page.locator("#billing-documents")).to_contain_text(invoice.number)
    # the claim's photo belongs to the claim and to the dossier it is about; the new dossier shows it too
    photo = Photo.objects.get()
    assert (photo.claim, photo.case, photo.stage) == (claim, earlier, "reclamation")
