"""The customer accepts or refuses the quote alone, from the public tracking page (/suivi/<token>/), and the
counter sends that link (« Envoyer le lien de suivi au client »). Bad input: French message, nothing changed."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from atelier.billing import handover
from atelier.billing.models import Notification, TrackingLink
from atelier.billing.tests.conftest import NO_USED, SIGNATURE
from atelier.core.errors import AtelierError, PermissionRefused
from atelier.quotes import decisions as quote_decisions
from atelier.quotes import services as quote_services
from atelier.quotes.models import Quote
from atelier.repairs.choices import CaseStatus
from atelier.repairs.tests.pages import dossier_page


def _send(case, accueil, solution):
    quote = quote_services.quote_create(case=case, actor=accueil, solution=solution, used_part_info=NO_USED)
    return quote_services.quote_send(quote=quote, actor=accueil, channel="papier")


@pytest.fixture
def sent_quote(case, solution, accueil):
    return _send(case, accueil, solution)


@pytest.fixture
def link(case, sent_quote):
    return handover.tracking_link_create(case=case)


def _accept(client, link, q, **overrides):
    data = {"quote": q.pk, "signer_name": "Nadia Lefèvre", "agree": "on", "signature": SIGNATURE}
    data.update(overrides)
    return client.post(
        f"/suivi/{link.token}/devis/accepter/", {k: v for k, v in data.items() if v is not None}
    )


def _unchanged(case, quote, *, quote_status="envoye", case_status=CaseStatus.DEVIS_ENVOYE):
    quote.refresh_from_db()
    case.refresh_from_db()
    assert (quote.status, case.status) == (quote_status, case_status)


def test_tracking_page_offers_to_accept_or_refuse_the_sent_quote(client, link, sent_quote):
    body = client.get(f"/suivi/{link.token}/").content.decode()
    assert f'action="/suivi/{link.token}/devis/accepter/"' in body
    assert f'action="/suivi/{link.token}/devis/refuser/"' in body
    assert "J&#x27;ai lu le devis et je l&#x27;accepte" in body
    assert "data-signature-pad" in body and "csrfmiddlewaretoken" in body
    assert "Pour l'accepter, appelez-nous" not in body
    assert "Lefèvre" not in body  # nothing personal on a page reached by a link


def test_customer_accepts_online_with_name_and_signature(client, link, case, sent_quote):
    response = _accept(client, link, sent_quote)
    assert response.status_code == 302 and response["Location"] == f"/suivi/{link.token}/"
    page = client.get(response["Location"]).content.decode()
    assert f"Merci : vous avez accepté le devis {sent_quote.number}." in page
    assert "<strong>Devis accepté</strong>" in page
    assert 'id="tracking-accept"' not in page

    quote = Quote.objects.get(pk=sent_quote.pk)
    assert (quote.status, quote.signer_name, quote.signature) == ("accepte", "Nadia Lefèvre", SIGNATURE)
    assert quote.decided_at is not None
    case.refresh_from_db()
    event = case.events.latest("pk")
    assert case.status == CaseStatus.ACCEPTE
    assert (event.from_status, event.to_status, event.actor) == ("devis_envoye", "accepte", None)
    # accepted at a distance: the withdrawal period runs (L221-18), 14 days, to the next Monday if it ends on a
    # weekend (L221-19); the customer did not tick the express request (L221-25)
    accepted_on = timezone.localdate(quote.decided_at)
    ends = accepted_on + datetime.timedelta(days=14)
    ends += datetime.timedelta(days=(7 - ends.weekday()) % 7 if ends.weekday() >= 5 else 0)
    assert (quote.acceptance_context, quote.withdrawal_days, quote.withdrawal_ends_on) == (
        "distance",
        14,
        ends,
    )
    assert quote.early_start_at is None
    assert event.note == (
        f"Devis {quote.number} signé en ligne par Nadia Lefèvre, depuis le lien de suivi. Délai de rétractation "
        f"de 14 jours, jusqu'au {ends:%d/%m/%Y} inclus (art. L221-18)."
    )


def test_customer_refuses_online_with_a_reason(client, link, case, sent_quote):
    response = client.post(
        f"/suivi/{link.token}/devis/refuser/",
        {"quote": sent_quote.pk, "reason": "  Trop cher pour un appareil de 12 ans. ", "signer_name": ""},
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert f"Votre refus du devis {sent_quote.number} est enregistré." in page
    assert "<strong>Devis refusé</strong>" in page
    quote = Quote.objects.get(pk=sent_quote.pk)
    assert (quote.status, quote.refusal_reason, quote.diagnosis_fee_ht) == (
        "refuse",
        "Trop cher pour un appareil de 12 ans.",
        0,
    )
    case.refresh_from_db()
    event = case.events.latest("pk")
    assert (case.status, event.actor) == (CaseStatus.REFUSE, None)
    assert (
        event.note
        == "Refusé en ligne, depuis le lien de suivi. Motif : Trop cher pour un appareil de 12 ans."
    )


def test_refusal_without_a_reason_is_refused(client, link, case, sent_quote):
    response = client.post(f"/suivi/{link.token}/devis/refuser/", {"quote": sent_quote.pk, "reason": " "})
    assert response.status_code == 400
    assert "Dites-nous pourquoi vous refusez le devis." in response.content.decode()
    _unchanged(case, sent_quote)


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"signature": None}, "Signez dans le cadre pour accepter le devis."),
        ({"signature": ""}, "Signez dans le cadre pour accepter le devis."),
        (
            {"signature": "data:image/png;base64,AAAA"},
            "La signature reçue n&#x27;est pas une image valable : effacez et faites signer de nouveau.",
        ),
        ({"agree": None}, "Cochez « J&#x27;ai lu le devis et je l&#x27;accepte » pour accepter le devis."),
        ({"signer_name": " "}, "Ce champ est obligatoire."),
    ],
)
def test_incomplete_acceptance_is_refused_and_changes_nothing(
    client, link, case, sent_quote, overrides, message
):
    response = _accept(client, link, sent_quote, **overrides)
    assert response.status_code == 400
    assert message in response.content.decode()
    _unchanged(case, sent_quote)
    assert case.events.latest("pk").to_status == "devis_envoye"


def test_expired_or_unknown_link_is_the_french_not_found_page(client, case, sent_quote):
    old = handover.tracking_link_create(case=case, at=timezone.now() - datetime.timedelta(days=61))
    for token in (old.token, "inconnu"):
        for action in ("accepter", "refuser"):
            response = client.post(
                f"/suivi/{token}/devis/{action}/",
                {
                    "quote": sent_quote.pk,
                    "signer_name": "X",
                    "agree": "on",
                    "signature": SIGNATURE,
                    "reason": "X",
                },
            )
            assert response.status_code == 404
            assert "Ce lien de suivi n'existe pas ou a expiré." in response.content.decode()
    _unchanged(case, sent_quote)


def test_quote_of_another_dossier_or_missing_is_not_found(client, link, case, sent_quote, make_case, accueil):
    other = make_case()
    for posted in ({"quote": ""}, {"quote": "abc"}, {"quote": None}):
        assert _accept(client, link, sent_quote, **posted).status_code == 404
    assert _accept(client, handover.tracking_link_create(case=other), sent_quote).status_code == 404
    _unchanged(case, sent_quote)


def test_quote_already_accepted_at_the_counter_is_not_accepted_again(client, link, case, sent_quote, accueil):
    quote_decisions.quote_accept(quote=sent_quote, actor=accueil, signer_name="Nadia Lefèvre (comptoir)")
    response = _accept(client, link, sent_quote, signer_name="Quelqu'un d'autre")
    assert response.status_code == 400
    assert f"Le devis {sent_quote.number} a déjà été accepté." in response.content.decode()
    _unchanged(case, sent_quote, quote_status="accepte", case_status=CaseStatus.ACCEPTE)
    assert sent_quote.signer_name == "Nadia Lefèvre (comptoir)"
    assert case.events.filter(to_status="accepte").count() == 1


def test_expired_quote_cannot_be_accepted_online(client, link, case, sent_quote):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Quote.objects.filter(pk=sent_quote.pk).update(valid_until=yesterday)
    page = client.get(f"/suivi/{link.token}/").content.decode()
    assert "Ce devis a expiré : appelez-nous pour un nouveau devis." in page
    assert 'id="tracking-accept"' not in page
    response = _accept(client, link, sent_quote)
    assert response.status_code == 400
    assert (
        f"Le devis {sent_quote.number} a expiré le {yesterday:%d/%m/%Y} : appelez-nous pour un nouveau devis."
        in response.content.decode()
    )
    _unchanged(case, sent_quote)


def test_replaced_quote_cannot_be_accepted_online(client, link, case, sent_quote, solution, accueil):
    newer = _send(case, accueil, solution)
    response = _accept(client, link, sent_quote)
    assert response.status_code == 400
    body = response.content.decode()
    assert f"Le devis {sent_quote.number} a été remplacé par une nouvelle version." in body
    assert f'name="quote" value="{newer.pk}"' in body  # the new version is offered instead
    _unchanged(case, sent_quote, quote_status="remplace")
    newer.refresh_from_db()
    assert newer.status == "envoye"


def test_csrf_stays_on_for_the_public_decision(link, case, sent_quote):
    response = _accept(Client(enforce_csrf_checks=True), link, sent_quote)
    assert response.status_code == 403
    _unchanged(case, sent_quote)


def test_online_services_need_a_drawn_signature(sent_quote, case):
    with pytest.raises(AtelierError, match="Signez dans le cadre pour accepter le devis."):
        quote_decisions.quote_accept_online(quote=sent_quote, signer_name="Nadia Lefèvre", signature="")
    with pytest.raises(AtelierError, match="La signature doit être dessinée dans le cadre."):
        quote_decisions.quote_accept_online(
            quote=sent_quote, signer_name="Nadia Lefèvre", signature="data:image/jpeg;base64,/9j/"
        )
    with pytest.raises(AtelierError, match="Notez le motif du refus."):
        quote_decisions.quote_refuse_online(quote=sent_quote, reason="")
    _unchanged(case, sent_quote)


def test_staff_timeline_and_api_say_the_customer_decided_online(client, link, case, sent_quote, accueil):
    _accept(client, link, sent_quote)
    client.force_login(accueil)
    page = dossier_page(client, case.pk)
    assert "par le client (en ligne)" in page
    timeline = client.get(f"/api/cases/{case.pk}/timeline/").json()
    assert (timeline[-1]["to_status"], timeline[-1]["actor"]) == ("accepte", None)


# ---------------------------------------------------------------- « Envoyer le lien de suivi au client »


def test_counter_sends_the_link_to_accept_the_quote_online(
    client, case, sent_quote, accueil, deliver_queued, memory_provider
):
    case.customer.email = "nadia@example.fr"
    case.customer.save()
    client.force_login(accueil)
    page = dossier_page(client, case.pk)
    assert "Envoyer le lien de suivi au client" in page
    response = client.post(f"/facturation/dossier/{case.pk}/lien-de-suivi/")
    assert response.status_code == 302 and response["Location"] == f"/dossiers/{case.pk}/"
    assert (
        "Lien de suivi. Message mis en file : E-mail (en file), SMS (en file)"
        in client.get(response["Location"]).content.decode()
    )
    assert memory_provider.sent == []
    deliver_queued()
    link = TrackingLink.objects.get()
    url = f"http://testserver/suivi/{link.token}/"
    email, sms = memory_provider.sent
    assert email.subject == f"Votre devis {sent_quote.number} à accepter en ligne – dossier {case.number}"
    assert "Vous pouvez le lire et l'accepter en ligne, en le signant, jusqu'au " in email.body
    assert url in email.body and email.recipient == "nadia@example.fr"
    assert (sms.recipient, sms.body) == (
        "+33612345678",
        f"Paris Bastille : votre devis {sent_quote.number} (dossier {case.number}) est à lire et à accepter "
        f"en ligne : {url}",
    )
    assert list(Notification.objects.values_list("channel", flat=True).order_by("pk")) == ["email", "sms"]


def test_staff_of_another_site_or_role_cannot_send_the_link(
    client, case, sent_quote, other_accueil, magasinier
):
    with pytest.raises(PermissionRefused, match="Ce site ne fait pas partie des vôtres."):
        handover.tracking_link_send(case=case, actor=other_accueil, base_url="https://sav.example.fr/")
    with pytest.raises(PermissionRefused, match="Votre rôle ne permet pas") as info:
        handover.tracking_link_send(case=case, actor=magasinier, base_url="https://sav.example.fr/")
    assert info.value.status_code == 403
    client.force_login(other_accueil)  # another site's dossier does not exist for them
    assert client.post(f"/facturation/dossier/{case.pk}/lien-de-suivi/").status_code == 404
    client.force_login(magasinier)
    assert client.post(f"/facturation/dossier/{case.pk}/lien-de-suivi/").status_code == 403
    assert TrackingLink.objects.count() == 0 and Notification.objects.count() == 0


def test_a_customer_no_channel_reaches_is_refused_and_nothing_recorded(client, case, sent_quote, accueil):
    case.customer.email, case.customer.phone, case.customer.phone2 = "", "+33143000000", ""
    case.customer.save()
    client.force_login(accueil)
    response = client.post(f"/facturation/dossier/{case.pk}/lien-de-suivi/")
    assert response.status_code == 400
    assert "Le client n&#x27;a ni e-mail ni mobile : appelez-le ou écrivez-lui." in response.content.decode()
    assert TrackingLink.objects.count() == 0 and Notification.objects.count() == 0
