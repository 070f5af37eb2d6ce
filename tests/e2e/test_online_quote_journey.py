"""The counter sends the tracking link; the customer opens it, signs on screen and accepts the quote online."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from atelier.billing.models import TrackingLink
from atelier.core.choices import Role
from atelier.core.tests.factories import SiteFactory, UserFactory
from atelier.customers.models import Appliance, Customer
from atelier.quotes import services as quote_services
from atelier.quotes.models import Quote
from atelier.repairs import services as case_services
from atelier.stock.models import Part
from tests.e2e.steps import login, logout, sign

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _dossier_with_a_sent_quote():
    site = SiteFactory(code="PAR1", name="Paris Bastille")
    accueil = UserFactory(username="accueil", roles=[Role.ACCUEIL], sites=[site], first_name="Accueil")
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
        customer=customer, family="lave_linge", brand="Bosch", model_ref="WAN28208FF"
    )
    pump = Part.objects.create(
        reference="BSH-00145212", designation="Pompe de vidange", price_ht=Decimal("48.90")
    )
    case = case_services.case_open(
        actor=accueil, customer=customer, appliance=appliance, customer_words="Il ne vidange plus."
    )
    case_services.case_prediagnose(case=case, actor=accueil, note="Pompe bloquée.")
    solution = quote_services.solution_create(
        case=case,
        actor=accueil,
        title="Remplacement de la pompe",
        work_description="Pompe neuve, essai de vidange.",
        labour_hours="1.5",
        parts=[(pump, 1)],
    )
    quote = quote_services.quote_create(
        case=case, actor=accueil, solution=solution, used_part_info="Aucune pompe d'occasion disponible."
    )
    quote_services.quote_send(quote=quote, actor=accueil, channel="papier")
    return case


def test_customer_accepts_the_quote_online_from_the_link_the_counter_sent(live_server, page):
    case = _dossier_with_a_sent_quote()
    base = live_server.url

    login(page, base, "accueil")
    page.goto(f"{base}/dossiers/{case.pk}/")
    page.click("#tracking-send")
    expect(page.locator(".messages")).to_contain_text(
        "Lien de suivi. Message mis en file : E-mail (en file), SMS (en file)"
    )
    # the dossier's thread shows both messages « en file » (nothing has left: no worker runs here)
    expect(page.locator("#message-thread .badge.msg-queued")).to_have_count(2)
    logout(page)

    link = TrackingLink.objects.get()
    page.goto(f"{base}/suivi/{link.token}/")
    expect(page.locator("#tracking-status")).to_have_text("Devis envoyé")
    # without the box ticked nothing is accepted, the French reason is shown
    page.fill("#id_accept_signer_name", "Lucie Garnier")
    sign(page, "#tracking-accept [data-signature-pad]")
    page.locator("#id_accept_agree").evaluate("box => box.required = false")  # skip the browser's own check
    page.click("#tracking-accept-submit")
    expect(page.locator("#tracking-accept")).to_contain_text(
        "Cochez « J'ai lu le devis et je l'accepte » pour accepter le devis."
    )
    assert Quote.objects.get().status == "envoye"

    page.fill("#id_accept_signer_name", "Lucie Garnier")
    sign(page, "#tracking-accept [data-signature-pad]")
    page.check("#id_accept_agree")
    page.click("#tracking-accept-submit")
    expect(page.locator(".messages")).to_contain_text("Merci : vous avez accepté le devis DEV-PAR1-")
    expect(page.locator("#tracking-decision")).to_contain_text("Devis accepté")
    expect(page.locator("#tracking-status")).to_have_text("Accepté")

    quote = Quote.objects.get()
    assert (quote.status, quote.signer_name) == ("accepte", "Lucie Garnier")
    assert quote.signature.startswith("data:image/png;base64,")
    case.refresh_from_db()
    assert case.status == "accepte" and case.events.latest("pk").actor is None
