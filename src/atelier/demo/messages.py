"""Demo messages: each state a customer message can be in, on the latest ready dossiers of Paris, so that the
dossier's « Messages avec le client » thread shows what the outbox does (issue 17). Written through the outbox's
services; the providers' outcomes are then recorded as a worker would (the demo runs no worker)."""

import datetime

from django.utils import timezone

from atelier.messaging import services
from atelier.messaging.choices import Channel, Purpose, State
from atelier.messaging.models import Message
from atelier.messaging.services_inbound import message_inbound
from atelier.repairs.choices import CaseStatus
from atelier.repairs.models import RepairCase

READY_TEXT = "Bonjour, votre appareil est réparé et prêt à être retiré à l'atelier. L'équipe SAV."


def load(*, sites, users, rng) -> dict[str, int]:
    made = {"messages aux clients": 0}
    site = sites["PAR1"]
    if Message.objects.filter(site=site, purpose=Purpose.READY).exists():
        return made
    ready = list(
        RepairCase.objects.filter(site=site, status=CaseStatus.PRET)
        .select_related("customer")
        .order_by("-pk")[:3]
    )
    now = timezone.now()
    for n, case in enumerate(ready):
        sent = now - datetime.timedelta(hours=3 + n)
        for channel in (Channel.EMAIL, Channel.SMS):
            message = services.message_enqueue(
                site=site,
                customer=case.customer,
                case=case,
                channel=channel,
                purpose=Purpose.READY,
                subject=f"Dossier {case.number} : appareil prêt",
                body=READY_TEXT,
                actor=users.get("accueil"),
            )
            made["messages aux clients"] += 1
            if message.state != State.QUEUED:
                continue  # « non envoyé » (no address on that channel) stays as the outbox recorded it
            outcome = _outcome(n, channel)
            Message.objects.filter(pk=message.pk).update(created_at=sent, **{"attempts": 1, **outcome(sent)})
        if n == 0 and case.customer.phone:
            message_inbound(
                channel=Channel.SMS,
                sender=case.customer.phone,
                text="Merci, je passe le chercher demain vers 17 h.",
                provider="demo",
                provider_id=f"demo-{case.pk}",
                at=now - datetime.timedelta(hours=1),
            )
            made["messages aux clients"] += 1
    return made


def _outcome(n: int, channel: str):
    """The first dossier's messages were delivered, the second's e-mail bounced, the third's wait in the queue."""
    if n == 0:
        return lambda at: {
            "state": State.DELIVERED,
            "provider": "demo",
            "sent_at": at,
            "delivered_at": at + datetime.timedelta(seconds=20),
        }
    if n == 1 and channel == Channel.EMAIL:
        return lambda at: {
            "state": State.FAILED,
            "provider": "demo",
            "reason": "Refusé par le prestataire : 550 5.1.1 adresse inconnue",
        }
    if n == 1:
        return lambda at: {"state": State.SENT, "provider": "demo", "sent_at": at}
    return lambda at: {"state": State.QUEUED, "attempts": 0}
