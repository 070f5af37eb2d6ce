"""Writing to the outbox. `message_enqueue` is the one door for every message to a customer."""

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from atelier.messaging.choices import Category, Channel, Direction, Purpose, State
from atelier.messaging.models import Message, MessageAttachment


def recipient_for(customer, channel: str) -> str:
    """The customer's address on `channel` (empty when they gave none)."""
    if channel == Channel.EMAIL:
        return customer.email or ""
    return customer.phone or ""


def refusal_reason(customer, channel: str, category: str) -> str:
    """Why a message may not go to `customer` on `channel` (empty when it may). Service messages need only an
    address on that channel; marketing needs the customer's opt-in."""
    if not recipient_for(customer, channel):
        if channel == Channel.EMAIL:
            return _("Le client n'a pas d'adresse e-mail.")
        return _("Le client n'a pas de numéro de téléphone.")
    if category == Category.MARKETING and not getattr(customer, "consent_marketing", False):
        return _("Le client n'a pas accepté les messages commerciaux.")
    return ""


@transaction.atomic
def message_enqueue(
    *,
    site,
    customer,
    channel: str,
    body: str,
    purpose: str = Purpose.OTHER,
    category: str = Category.SERVICE,
    subject: str = "",
    case=None,
    actor=None,
    attachments: Iterable[tuple[str, bytes, str]] = (),
    in_reply_to: Message | None = None,
) -> Message:
    """Record a message in the caller's transaction and have the worker send it once that transaction commits.

    A message that may not go (no address on that channel, no consent for marketing) is recorded as « non
    envoyé » with its reason and never queued. `attachments` are (filename, bytes, content type).
    """
    reason = refusal_reason(customer, channel, category)
    message = Message.objects.create(
        site=site,
        customer=customer,
        case=case,
        direction=Direction.OUT,
        channel=channel,
        category=category,
        purpose=purpose,
        recipient=recipient_for(customer, channel),
        subject=subject,
        body=body,
        state=State.REFUSED if reason else State.QUEUED,
        reason=reason,
        created_by=actor,
        in_reply_to=in_reply_to,
    )
    for filename, content, content_type in attachments:
        MessageAttachment.objects.create(
            message=message, filename=filename, content=content, content_type=content_type
        )
    if not reason:
        from atelier.messaging.tasks import deliver_message

        transaction.on_commit(lambda: deliver_message.enqueue(message.pk))
    return message
