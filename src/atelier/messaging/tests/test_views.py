"""The dossier's message thread and the customer's messages on screen."""

import pytest

from atelier.customers.tests.factories import CustomerFactory
from atelier.messaging import services
from atelier.messaging.choices import Direction, Purpose, State
from atelier.messaging.models import Message
from atelier.messaging.providers.base import PermanentFailure
from atelier.repairs.tests.factories import RepairCaseFactory
from atelier.repairs.tests.pages import dossier_page


@pytest.fixture
def case(site):
    customer = CustomerFactory(site=site, email="nadia@example.fr", phone="+33612345678", phone2="")
    return RepairCaseFactory(site=site, customer=customer)


def _ready(case):
    return services.message_enqueue(
        site=case.site,
        customer=case.customer,
        case=case,
        channel="email",
        body="Prêt.",
        purpose=Purpose.READY,
    )


def test_the_dossier_shows_each_message_with_its_real_state(
    client, case, accueil, deliver_queued, memory_provider
):
    queued = _ready(case)
    client.force_login(accueil)
    page = dossier_page(client, case.pk)
    assert 'id="messages"' in page
    assert f'<span class="badge msg-queued" id="message-state-{queued.pk}">en file</span>' in page
    memory_provider.fail_with = [PermanentFailure("adresse inconnue")]
    deliver_queued()
    page = client.get(f"/messages/dossier/{case.pk}/").content.decode()
    assert f'<span class="badge msg-failed" id="message-state-{queued.pk}">échec</span>' in page
    assert "Refusé par le prestataire : adresse inconnue" in page
    assert f'id="message-resend-{queued.pk}"' in page


def test_the_thread_is_a_fragment_for_htmx(client, case, accueil):
    _ready(case)
    client.force_login(accueil)
    response = client.get(f"/messages/dossier/{case.pk}/", headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<section class="card msg-thread" id="messages">')


def test_answer_the_customer_from_the_thread(client, case, accueil):
    inbound = Message.objects.create(
        site=case.site,
        customer=case.customer,
        case=case,
        direction=Direction.IN,
        channel="sms",
        sender="+33612345678",
        recipient="",
        body="Je passe demain ?",
        state=State.RECEIVED,
        purpose=Purpose.INBOUND,
    )
    client.force_login(accueil)
    page = client.get(f"/messages/dossier/{case.pk}/").content.decode()
    assert "Répondre au client" in page and "Je passe demain ?" in page
    response = client.post(
        f"/messages/dossier/{case.pk}/repondre/",
        {"channel": "sms", "body": "Oui, à partir de 9 h.", "in_reply_to": inbound.pk},
        follow=True,
    )
    assert "Message mis en file : SMS (en file)" in response.content.decode()
    reply = Message.objects.get(direction="out")
    assert (
        reply.purpose,
        reply.channel,
        reply.recipient,
        reply.in_reply_to,
        reply.created_by,
        reply.state,
    ) == (
        "reply",
        "sms",
        "+33612345678",
        inbound,
        accueil,
        "queued",
    )


def test_only_the_customer_s_channels_are_offered_and_an_empty_message_refused(client, case, accueil):
    case.customer.phone = "+33143000000"
    case.customer.save()
    client.force_login(accueil)
    page = client.get(f"/messages/dossier/{case.pk}/").content.decode()
    assert '<option value="email"' in page and '<option value="sms"' not in page
    response = client.post(f"/messages/dossier/{case.pk}/repondre/", {"channel": "sms", "body": "Bonjour"})
    assert response.status_code == 400 and Message.objects.count() == 0
    response = client.post(f"/messages/dossier/{case.pk}/repondre/", {"channel": "email", "body": "  "})
    assert response.status_code == 400 and Message.objects.count() == 0


def test_resend_a_failed_message(client, case, accueil, deliver_queued, memory_provider):
    failed = _ready(case)
    memory_provider.fail_with = [PermanentFailure("boîte pleine")]
    deliver_queued()
    client.force_login(accueil)
    response = client.post(f"/messages/{failed.pk}/renvoyer/")
    assert response.status_code == 302 and response["Location"] == f"/dossiers/{case.pk}/#messages"
    assert list(Message.objects.order_by("pk").values_list("state", flat=True)) == ["failed", "queued"]
    # a sent message cannot be « renvoyé »
    deliver_queued()
    sent = Message.objects.order_by("pk").last()
    response = client.post(f"/messages/{sent.pk}/renvoyer/", follow=True)
    assert "Seul un message en échec ou non envoyé peut être renvoyé." in response.content.decode()
    assert Message.objects.count() == 2


def test_roles_and_sites(client, case, magasinier, other_accueil, technicien):
    _ready(case)
    client.force_login(magasinier)  # « réseau »: the stock keeper reads no customer messages
    assert 'id="messages"' not in dossier_page(client, case.pk)
    assert client.get(f"/messages/dossier/{case.pk}/").status_code == 403
    client.force_login(technicien)  # reads the thread, does not write in « réseau »
    page = client.get(f"/messages/dossier/{case.pk}/").content.decode()
    assert 'id="messages"' in page and 'id="message-reply"' not in page
    assert (
        client.post(f"/messages/dossier/{case.pk}/repondre/", {"channel": "sms", "body": "x"}).status_code
        == 403
    )
    client.force_login(other_accueil)
    assert client.get(f"/messages/dossier/{case.pk}/").status_code == 404


def test_the_customer_file_lists_their_messages(client, case, accueil):
    message = _ready(case)
    client.force_login(accueil)
    page = client.get(f"/clients/{case.customer.pk}/").content.decode()
    assert f'id="customer-message-{message.pk}"' in page
    assert f'<span class="badge msg-queued" id="message-state-{message.pk}">en file</span>' in page
