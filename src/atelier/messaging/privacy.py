"""The outbox's part in the customer's personal data (customers.extensions, docs/personal-data.md).

Only a message FROM the customer counts as a contact: the shop's own reminders and surveys must not keep a
file alive for ever. On anonymisation the text, subject and address of every message are replaced and the
attachments (quotes, advice sheets: copies, the issued originals stay in billing) are deleted.
"""

from django.utils import timezone

from atelier.messaging.choices import Direction
from atelier.messaging.models import Message, MessageAttachment

ANONYMISED_TEXT = "[anonymisé]"


def contact_dates(customer_ids):
    from django.db.models import Max

    rows = (
        Message.objects.filter(customer__in=customer_ids, direction=Direction.IN)
        .values("customer")
        .annotate(last=Max("created_at"))
    )
    for row in rows:
        yield row["customer"], timezone.localdate(row["last"])


def scrub(customer) -> dict[str, int]:
    messages = Message.objects.filter(customer=customer)
    attachments = MessageAttachment.objects.filter(message__customer=customer).delete()[0]
    changed = messages.update(recipient=ANONYMISED_TEXT, sender="", subject="", body=ANONYMISED_TEXT)
    return {"messages échangés": changed, "pièces jointes des messages": attachments}


def export(customer):
    rows = Message.objects.filter(customer=customer).select_related("case").order_by("created_at", "pk")
    return "echanges", [
        {
            "le": message.created_at.isoformat(),
            "sens": message.get_direction_display(),
            "canal": message.get_channel_display(),
            "objet": message.get_purpose_display(),
            "dossier": message.case.number if message.case else None,
            "adresse": message.recipient if message.direction == Direction.OUT else message.sender,
            "sujet": message.subject,
            "texte": message.body,
            "etat": message.get_state_display(),
        }
        for message in rows
    ]
