"""The billing screens' one action mechanism (the status comes from the refusal: 400 input, 403 role, 409
state; another site's dossier or document is 404) and the privacy of the customer's tracking link (no copy
kept, no referrer, a new link revokes the previous one)."""

import datetime
from decimal import Decimal

from django.utils import timezone

from atelier.billing import handover
from atelier.billing.choices import OfferKind
from atelier.billing.models import Closure, HandBack, Offer, Payment, Suggestion, TrackingLink
from atelier.billing.tests.conftest import SIGNATURE
from atelier.core.tests.factories import UserFactory

GONE = "Ce lien n'est plus valable"


def test_a_role_refusal_is_403_from_the_refusal_and_shows_the_form_again(
    client, invoice, ready_case, technicien
):
    client.force_login(technicien)
    response = client.post(
        f"/facturation/dossier/{ready_case.pk}/action/payment/", {"carte": "10", "payer_resident": "1"}
    )
    assert response.status_code == 403
    assert "Votre rôle ne permet pas cette opération." in response.content.decode()
    assert not Payment.objects.exists()


def test_a_state_refusal_is_409(client, ready_case, accueil):
    client.force_login(accueil)
    url = f"/facturation/dossier/{ready_case.pk}/action/handback/"
    assert client.post(url, {"signer_name": "N. Lefèvre", "signature": SIGNATURE}).status_code == 302
    again = client.post(url, {"signer_name": "Autre", "signature": SIGNATURE})
    assert again.status_code == 409
    assert f"L&#x27;appareil du dossier {ready_case.number} a déjà été rendu." in again.content.decode()
    assert HandBack.objects.get().signer_name == "N. Lefèvre"


def test_payment_and_deposit_share_the_pay_form_shown_again_open(client, invoice, ready_case, accueil):
    client.force_login(accueil)
    response = client.post(
        f"/facturation/dossier/{ready_case.pk}/action/payment/", {"carte": "200", "payer_resident": "1"}
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_pay_carte"' in body and 'id="billing-pay" open' in body


def test_an_unknown_action_is_not_found(client, ready_case, accueil):
    client.force_login(accueil)
    assert client.post(f"/facturation/dossier/{ready_case.pk}/action/effacer/").status_code == 404


def test_another_sites_dossier_receipt_and_closure_are_not_found(
    client, invoice, ready_case, accueil, other_site
):
    from atelier.billing import closures, payments

    payments.payment_take(case=ready_case, actor=accueil, parts=[("carte", "157,68")])
    payment = Payment.objects.get()
    boss = UserFactory(username="compta-par", roles=["comptable"], sites=[ready_case.site])
    closures.closure_run(actor=boss, period="jour", start=timezone.localdate(), site=ready_case.site)
    closure = Closure.objects.get()
    lyon = UserFactory(
        username="resp-lyon", roles=["comptable", "accueil", "responsable_sav"], sites=[other_site]
    )
    client.force_login(lyon)
    for url in (
        f"/facturation/paiement/{payment.pk}/recu/",
        f"/facturation/clotures/{closure.pk}/pdf/",
        f"/facturation/dossier/{ready_case.pk}/action/anomaly/",
        f"/facturation/dossier/{ready_case.pk}/prevenir/",
        f"/facturation/dossier/{ready_case.pk}/lien-de-suivi/",
    ):
        method = client.get if url.endswith("pdf/") or url.endswith("recu/") else client.post
        assert method(url).status_code == 404, url
    assert client.get(f"/api/payments/{payment.pk}/").status_code == 404
    assert not TrackingLink.objects.exists()


def test_an_offer_answer_needs_yes_or_no(client, ready_case, accueil):
    suggestion = Suggestion.objects.create(  # its own, whatever the seeded catalogue holds for the family
        family=ready_case.appliance.family,
        kind=OfferKind.PRODUIT,
        designation="Kit de nettoyage",
        why="Entretien",
        unit_price_ht=Decimal("12.50"),
    )
    client.force_login(accueil)
    url = f"/facturation/dossier/{ready_case.pk}/proposition/{suggestion.pk}/"
    assert client.post(url, {"answer": "peut-être"}).status_code == 400
    assert not Offer.objects.exists()
    assert client.post(url, {"answer": "oui"}).status_code == 302
    assert Offer.objects.get().accepted is True


# ---------------------------------------------------------------- the customer's tracking link


def _private(response):
    return response["Cache-Control"] == "no-store" and response["Referrer-Policy"] == "same-origin"


def test_every_public_answer_is_no_store_and_no_referrer(client, invoice, ready_case):
    link = handover.tracking_link_create(case=ready_case)
    base = f"/suivi/{link.token}/"
    page = client.get(base)
    assert page.status_code == 200 and _private(page)
    pdf = client.get(f"{base}facture/{invoice.pk}/")
    assert pdf.status_code == 200 and _private(pdf)
    for missing in (
        client.get("/suivi/inconnu/"),
        client.get(f"{base}devis/"),
        client.get(f"{base}facture/0/"),
    ):
        assert missing.status_code == 404 and _private(missing)
    refused = client.post(f"{base}devis/accepter/", {"quote": "abc"})
    assert refused.status_code == 404 and _private(refused)


def test_a_new_link_revokes_the_previous_one(client, ready_case):
    old = handover.tracking_link_create(case=ready_case)
    assert client.get(f"/suivi/{old.token}/").status_code == 200
    new = handover.tracking_link_create(case=ready_case)
    response = client.get(f"/suivi/{old.token}/")
    assert response.status_code == 404 and GONE in response.content.decode()
    assert client.get(f"/suivi/{old.token}/facture/1/").status_code == 404
    assert client.get(f"/suivi/{new.token}/").status_code == 200
    old.refresh_from_db()
    assert not old.is_live() and new.is_live()
    assert [link.is_live() for link in TrackingLink.objects.all()] == [True, False]  # newest first


def test_sending_the_link_from_the_counter_revokes_the_link_sent_before(client, ready_case, accueil):
    ready_case.customer.email = "nadia@example.fr"
    ready_case.customer.save()
    client.force_login(accueil)
    assert client.post(f"/facturation/dossier/{ready_case.pk}/lien-de-suivi/").status_code == 302
    first = TrackingLink.objects.get()
    assert client.post(f"/facturation/dossier/{ready_case.pk}/lien-de-suivi/").status_code == 302
    client.logout()
    assert client.get(f"/suivi/{first.token}/").status_code == 404
    assert client.get(f"/suivi/{TrackingLink.objects.first().token}/").status_code == 200


def test_a_link_of_another_dossier_stays_valid(client, ready_case, make_case):
    other = handover.tracking_link_create(case=make_case())
    handover.tracking_link_create(case=ready_case)
    assert client.get(f"/suivi/{other.token}/").status_code == 200


def test_an_expired_link_is_the_same_french_page(client, ready_case):
    link = handover.tracking_link_create(case=ready_case, at=timezone.now() - datetime.timedelta(days=61))
    response = client.get(f"/suivi/{link.token}/")
    assert response.status_code == 404 and GONE in response.content.decode() and _private(response)
