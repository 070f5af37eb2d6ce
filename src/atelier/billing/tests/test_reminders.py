"""Payment reminders: the balance due on the invoice, by e-mail and SMS with the link to the invoice, at most
one a week, only when something is due, by the counter, the manager or the accountant."""

import datetime

import pytest
from django.utils import timezone

from atelier.billing import handover, payments
from atelier.billing.models import Notification, TrackingLink
from atelier.core.errors import AtelierError, PermissionRefused
from atelier.repairs.tests.pages import dossier_page


@pytest.fixture
def owing(invoice, ready_case, accueil):
    """157,68 € invoiced, 100 € paid by card: 57,68 € due; the customer has an e-mail and a mobile."""
    payments.payment_take(case=ready_case, actor=accueil, parts=[("carte", "100")])
    ready_case.customer.email = "nadia@example.fr"
    ready_case.customer.save()
    return ready_case


def test_the_reminder_says_what_is_due_and_links_to_the_invoice(
    owing, invoice, comptable, deliver_queued, memory_provider
):
    sent = handover.payment_reminder_send(case=owing, actor=comptable, base_url="https://sav.example.fr/")
    assert [(m.channel, m.purpose, m.state) for m in sent] == [
        ("email", "payment_reminder", "queued"),
        ("sms", "payment_reminder", "queued"),
    ]
    assert list(Notification.objects.values_list("channel", "purpose").order_by("pk")) == [
        ("email", "relance"),
        ("sms", "relance"),
    ]
    link = TrackingLink.objects.get()
    deliver_queued()
    email, sms = memory_provider.sent
    assert email.subject == f"Rappel : facture {invoice.number} – dossier {owing.number}"
    assert email.recipient == "nadia@example.fr"
    assert (
        f"il reste 57,68 € à régler sur la facture {invoice.number} du {timezone.localdate():%d/%m/%Y} "
        f"(dossier {owing.number})"
    ) in email.body
    assert f"https://sav.example.fr/suivi/{link.token}/" in email.body
    assert (sms.recipient, sms.body) == (
        "+33612345678",
        f"{owing.site.name} : rappel, il reste 57,68 € à régler sur la facture {invoice.number} "
        f"(dossier {owing.number}) : https://sav.example.fr/suivi/{link.token}/",
    )


def test_one_reminder_a_week_at_most(owing, comptable):
    first = timezone.now()
    handover.payment_reminder_send(case=owing, actor=comptable, base_url="https://x/", at=first)
    with pytest.raises(AtelierError, match="Le client a déjà été relancé le") as info:
        handover.payment_reminder_send(
            case=owing, actor=comptable, base_url="https://x/", at=first + datetime.timedelta(days=6)
        )
    assert info.value.message == (
        f"Le client a déjà été relancé le {timezone.localtime(first):%d/%m/%Y} : attendez au moins 7 jours "
        "entre deux relances."
    )
    assert Notification.objects.count() == 2
    handover.payment_reminder_send(
        case=owing, actor=comptable, base_url="https://x/", at=first + datetime.timedelta(days=8)
    )
    assert Notification.objects.filter(purpose="relance").count() == 4
    assert Notification.objects.order_by("-at").first().at == first + datetime.timedelta(days=8)


def test_no_reminder_when_nothing_is_due_nor_by_a_technician(invoice, ready_case, accueil, technicien):
    with pytest.raises(PermissionRefused, match="Votre rôle ne permet pas"):
        handover.payment_reminder_send(case=ready_case, actor=technicien, base_url="https://x/")
    payments.payment_take(case=ready_case, actor=accueil, parts=[("carte", "157,68")])
    with pytest.raises(AtelierError, match="ne doit rien : pas de relance") as info:
        handover.payment_reminder_send(case=ready_case, actor=accueil, base_url="https://x/")
    assert info.value.message == f"Le dossier {ready_case.number} ne doit rien : pas de relance."
    assert not Notification.objects.exists() and not TrackingLink.objects.exists()


def test_reminder_from_the_dossier_page(client, owing, accueil):
    client.force_login(accueil)
    page = dossier_page(client, owing.pk)
    assert 'id="billing-reminder"' in page and "Relancer le client (57,68\xa0€ dus)" in page
    response = client.post(f"/facturation/dossier/{owing.pk}/relance/", follow=True)
    assert (
        "Relance de paiement. Message mis en file : E-mail (en file), SMS (en file)"
        in response.content.decode()
    )
    assert "Dernière relance le" in dossier_page(client, owing.pk)
    again = client.post(f"/facturation/dossier/{owing.pk}/relance/")
    assert again.status_code == 400 and "attendez au moins 7 jours" in again.content.decode()
