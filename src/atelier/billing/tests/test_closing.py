"""Closing the file: signed hand-back, invoice issued and paid (or unpaid balance recorded), incidents per
brand, the customer told (e-mail, SMS backend), the public tracking page (unknown/expired → French 404)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from atelier.billing import handover, payments, services
from atelier.billing.models import ClosingRulesStart, HandBack, Incident, Notification, TrackingLink
from atelier.billing.tests.conftest import SIGNATURE
from atelier.core.errors import AtelierError, TransitionRefused
from atelier.repairs import services as case_services
from atelier.repairs.choices import CaseStatus
from atelier.repairs.tests.pages import dossier_page

D = Decimal


def _hand_back(case, user):
    return handover.hand_back_record(case=case, actor=user, signer_name="Nadia Lefèvre", signature=SIGNATURE)


def test_generic_hand_back_without_signature_is_refused(ready_case, accueil):
    with pytest.raises(TransitionRefused, match="l'appareil se rend contre la signature du client"):
        case_services.case_hand_back(case=ready_case, actor=accueil)
    ready_case.refresh_from_db()
    assert ready_case.status == CaseStatus.PRET


def test_hand_back_needs_name_and_signature(ready_case, accueil):
    with pytest.raises(AtelierError, match="La signature du client est nécessaire"):
        handover.hand_back_record(case=ready_case, actor=accueil, signer_name="N. Lefèvre", signature="")
    with pytest.raises(AtelierError, match="Indiquez le nom de la personne"):
        handover.hand_back_record(case=ready_case, actor=accueil, signer_name=" ", signature=SIGNATURE)
    assert not HandBack.objects.exists()


def test_close_refused_until_invoiced_and_paid_then_closes(ready_case, accueil, responsable):
    _hand_back(ready_case, accueil)
    ready_case.refresh_from_db()
    assert ready_case.status == CaseStatus.RENDU
    with pytest.raises(TransitionRefused, match="la facture n'est pas émise") as info:
        case_services.case_close(case=ready_case, actor=responsable)
    assert "la facture n'est pas émise" in info.value.message
    services.invoice_issue(case=ready_case, actor=accueil)
    with pytest.raises(TransitionRefused, match="la facture n'est pas entièrement payée") as info:
        case_services.case_close(case=ready_case, actor=responsable)
    assert "la facture n'est pas entièrement payée (reste dû 157,68 €)" in info.value.message
    ready_case.refresh_from_db()
    assert ready_case.status == CaseStatus.RENDU
    payments.payment_take(case=ready_case, actor=accueil, parts=[("carte", "157.68")])
    case_services.case_close(case=ready_case, actor=responsable, note="RAS")
    ready_case.refresh_from_db()
    assert ready_case.status == CaseStatus.CLOTURE


def test_close_with_unpaid_balance_recorded_and_assigned(ready_case, accueil, responsable):
    _hand_back(ready_case, accueil)
    services.invoice_issue(case=ready_case, actor=accueil)
    payments.payment_take(case=ready_case, actor=accueil, parts=[("cheque", "100")])
    payments.unpaid_record(
        case=ready_case, actor=responsable, reason="Solde promis à 30 jours", assigned_to=accueil
    )
    case_services.case_close(case=ready_case, actor=responsable)
    ready_case.refresh_from_db()
    assert ready_case.status == CaseStatus.CLOTURE


def test_dossiers_opened_before_billing_in_atelier_are_not_checked(make_case, accueil, responsable, site):
    """A site that came from another system: dossiers opened before its start day were billed over there."""
    case = make_case()
    ClosingRulesStart.objects.create(site=site, since=timezone.localdate() + datetime.timedelta(days=1))
    case_services.case_prediagnose(case=case, actor=accueil, note="Carte électronique HS.")
    case_services.case_send_quote(case=case, actor=accueil)
    case_services.case_refuse_quote(case=case, actor=accueil, note="Trop cher.")
    case_services.case_hand_back(case=case, actor=accueil)
    case_services.case_close(case=case, actor=responsable)
    assert case.status == CaseStatus.CLOTURE


def test_without_a_start_day_every_dossier_is_checked(make_case, accueil, site):
    case = make_case()
    case_services.case_prediagnose(case=case, actor=accueil, note="Carte électronique HS.")
    case_services.case_send_quote(case=case, actor=accueil)
    case_services.case_refuse_quote(case=case, actor=accueil, note="Trop cher.")
    with pytest.raises(
        TransitionRefused,
        match="l'appareil se rend contre la signature du client, depuis la section « Facturation et remise »",
    ) as refused:
        case_services.case_hand_back(case=case, actor=accueil)
    assert refused.value.message.endswith(
        "l'appareil se rend contre la signature du client, depuis la section « Facturation et remise »"
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.REFUSE


def test_incidents_are_recorded_per_brand(ready_case, technicien):
    handover.incident_record(
        case=ready_case, actor=technicien, kind="montage", description="Durite mal clipsée d'usine."
    )
    with pytest.raises(AtelierError, match="Décrivez le constat"):
        handover.incident_record(case=ready_case, actor=technicien, kind="montage", description="")
    assert list(Incident.objects.values_list("brand", "kind")) == [("BOSCH", "montage")]


def test_customer_told_by_email_and_sms_with_a_tracking_link(
    ready_case, accueil, deliver_queued, memory_provider
):
    ready_case.customer.email = "nadia@example.fr"
    ready_case.customer.save()
    sent = handover.notify_ready(case=ready_case, actor=accueil, base_url="https://sav.example.fr/")
    assert [(m.channel, m.purpose, m.state, m.recipient) for m in sent] == [
        ("email", "ready", "queued", "nadia@example.fr"),
        ("sms", "ready", "queued", "+33612345678"),
    ]
    assert memory_provider.sent == []
    link = TrackingLink.objects.get()
    assert len(link.token) >= 43
    assert Notification.objects.count() == 2
    deliver_queued()
    email, sms = memory_provider.sent
    assert email.subject == f"Votre appareil est prêt – dossier {ready_case.number}"
    assert f"https://sav.example.fr/suivi/{link.token}/" in email.body
    assert sms.recipient == "+33612345678" and f"/suivi/{link.token}/" in sms.body
    assert [m.state for m in ready_case.messages.order_by("pk")] == ["sent", "sent"]


def test_a_customer_without_e_mail_gets_the_sms_and_the_e_mail_is_not_sent_with_the_reason(
    ready_case, accueil
):
    ready_case.customer.email = ""
    ready_case.customer.save()
    sent = handover.notify_ready(case=ready_case, actor=accueil, base_url="https://sav.example.fr/")
    assert [(m.channel, m.state, m.reason) for m in sent] == [
        ("email", "refused", "Le client n'a pas d'adresse e-mail."),
        ("sms", "queued", ""),
    ]
    assert list(Notification.objects.values_list("channel", flat=True)) == ["sms"]


def test_notify_refused_when_not_ready(make_case, accueil):
    with pytest.raises(TransitionRefused, match="l'appareil n'est pas prêt"):
        handover.notify_ready(case=make_case(), actor=accueil, base_url="http://x/")


def test_public_tracking_page_shows_state_and_invoice_only(client, invoice, ready_case):
    link = handover.tracking_link_create(case=ready_case)
    response = client.get(f"/suivi/{link.token}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Mis en service / prêt" in body and invoice.number in body
    assert ready_case.customer.phone not in body and "Lefèvre" not in body
    pdf = client.get(f"/suivi/{link.token}/facture/{invoice.pk}/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_unknown_or_expired_tracking_link_is_a_french_404(client, ready_case):
    link = handover.tracking_link_create(case=ready_case, at=timezone.now() - datetime.timedelta(days=61))
    for url in (f"/suivi/{link.token}/", "/suivi/inconnu/", f"/suivi/{link.token}/facture/1/"):
        response = client.get(url)
        assert response.status_code == 404
        assert "Ce lien de suivi n'existe pas ou a expiré." in response.content.decode()


def test_offer_once_and_never_after_the_invoice(ready_case, accueil, invoice):
    from atelier.billing.models import Suggestion

    descaler = Suggestion.objects.get(designation="Détartrant lave-linge (2 doses)")
    with pytest.raises(AtelierError, match="La facture est déjà émise"):
        handover.offer_record(case=ready_case, actor=accueil, suggestion=descaler, accepted=True)
    handover.offer_record(case=ready_case, actor=accueil, suggestion=descaler, accepted=False)
    with pytest.raises(AtelierError, match="déjà été proposée"):
        handover.offer_record(case=ready_case, actor=accueil, suggestion=descaler, accepted=False)


def test_advice_sheet_emailed_as_pdf(ready_case, accueil, deliver_queued, memory_provider):
    ready_case.customer.email = "nadia@example.fr"
    ready_case.customer.save()
    _hand_back(ready_case, accueil)
    handover.advice_email(case=ready_case, actor=accueil)
    assert HandBack.objects.get().advice_emailed_at is None  # queued is not « envoyée »
    deliver_queued()
    (message,) = memory_provider.sent
    assert message.subject == "Lave-linge : nos conseils pour le faire durer"
    assert message.attachments[0][0] == f"conseils-{ready_case.number}.pdf"
    assert HandBack.objects.get().advice_emailed_at == ready_case.messages.get(purpose="advice").sent_at


def test_a_mail_server_down_never_fails_the_counter_the_message_waits_with_the_reason(
    client, ready_case, accueil, deliver_queued, memory_provider
):
    from atelier.messaging.providers.base import TemporaryFailure

    ready_case.customer.email = "nadia@example.fr"
    ready_case.customer.save()
    client.force_login(accueil)
    response = client.post(f"/facturation/dossier/{ready_case.pk}/conseils/envoyer/")
    assert response.status_code == 302
    memory_provider.fail_with = [TemporaryFailure("le serveur de messagerie ne répond pas")]
    (message,) = deliver_queued()
    assert (message.state, message.attempts, message.reason) == (
        "queued",
        1,
        "le serveur de messagerie ne répond pas",
    )
    assert Notification.objects.count() == 1


def test_the_billing_section_shows_the_real_state_of_each_message(
    client, ready_case, accueil, deliver_queued
):
    from atelier.messaging.providers.base import MemoryProvider, PermanentFailure

    ready_case.customer.email = "nadia@example.fr"
    ready_case.customer.save()
    client.force_login(accueil)
    response = client.post(f"/facturation/dossier/{ready_case.pk}/prevenir/", follow=True)
    page = response.content.decode()
    assert "Appareil prêt. Message mis en file : E-mail (en file), SMS (en file)" in page
    page = dossier_page(client, ready_case.pk)
    assert page.count(": en file") >= 2 and "Appareil prêt par E-mail le" in page
    MemoryProvider.fail_with = [PermanentFailure("adresse inconnue")]
    deliver_queued()
    page = dossier_page(client, ready_case.pk)
    assert (
        "Appareil prêt par E-mail le" in page
        and ": échec (Refusé par le prestataire : adresse inconnue)" in page
    )
    assert "Appareil prêt par SMS le" in page and ": envoyé" in page
