"""Writing to the outbox. `message_enqueue` is the one door for every message to a customer.

The worker's side (taking a queued message, sending it, recording the outcome) is in services_delivery.py;
the sweeps the scheduler runs every few minutes are here: `queue_due` and `requeue_stuck`.
"""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.core.access import require_step
from atelier.core.errors import AtelierError
from atelier.core.locking import lock
from atelier.core.permissions import require_site
from atelier.messaging.choices import Category, Channel, Direction, Purpose, State
from atelier.messaging.models import Message, MessageAttachment

# French numbers an SMS reaches (phones are stored in E.164): +336 and +337. A foreign number is taken as given.
FRENCH_MOBILE_PREFIXES = ("+336", "+337")


def is_mobile(phone: str) -> bool:
    return bool(phone) and (phone.startswith(FRENCH_MOBILE_PREFIXES) or not phone.startswith("+33"))


def recipient_for(customer, channel: str) -> str:
    """The customer's address on `channel` (empty when they gave none): their e-mail, or the first of their
    phone numbers that can receive an SMS."""
    if channel == Channel.EMAIL:
        return customer.email or ""
    return next((p for p in (customer.phone, customer.phone2) if is_mobile(p)), "")


def marketing_consent(customer) -> bool:
    # a dedicated opt-in when the customer file has one, else the general « accepte d'être contacté »
    return bool(getattr(customer, "consent_marketing", getattr(customer, "consent_contact", False)))


def refusal_reason(customer, channel: str, category: str) -> str:
    """Why a message may not go to `customer` on `channel` (empty when it may). Service messages need only an
    address on that channel; marketing needs the customer's opt-in."""
    if not recipient_for(customer, channel):
        if channel == Channel.EMAIL:
            return _("Le client n'a pas d'adresse e-mail.")
        if customer.phone or customer.phone2:
            return _("Le client n'a pas de numéro de mobile.")
        return _("Le client n'a pas de numéro de téléphone.")
    if category == Category.MARKETING and not marketing_consent(customer):
        return _("Le client n'a pas accepté les messages commerciaux.")
    return ""


def channels_for(customer) -> list[str]:
    """The channels a service message can reach this customer on, e-mail first."""
    return [c for c in Channel.values if recipient_for(customer, c)]


def _enqueue_delivery(message_id: int, run_after: datetime.datetime | None = None) -> None:
    """Have the worker deliver the message once the current transaction commits (nothing if it rolls back)."""
    from atelier.messaging.tasks import deliver_message

    task = deliver_message if run_after is None else deliver_message.using(run_after=run_after)
    transaction.on_commit(lambda: task.enqueue(message_id))


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
    MessageAttachment.objects.bulk_create(
        MessageAttachment(message=message, filename=filename, content=content, content_type=content_type)
        for filename, content, content_type in attachments
    )
    if not reason:
        _enqueue_delivery(message.pk)
    return message


def outcome_text(messages: Iterable[Message]) -> str:
    """What a screen says after queuing messages, never « envoyé » before it is: « Message mis en file :
    e-mail (en file), SMS (non envoyé : le client n'a pas de numéro de mobile.) »."""
    parts = []
    for message in messages:
        state = message.get_state_display().lower()
        if message.reason and message.state in (State.REFUSED, State.FAILED):
            state = f"{state} : {message.reason[:1].lower()}{message.reason[1:]}"
        parts.append(f"{message.get_channel_display()} ({state})")
    return _("Message mis en file : %(parts)s") % {"parts": ", ".join(parts)}


# ------------------------------------------------------------------------------------- from the dossier's thread


@transaction.atomic
def message_reply(
    *, actor, customer, channel: str, body: str, case=None, in_reply_to: Message | None = None
) -> Message:
    """Staff write to the customer from the thread (dossier or customer file): a service message, « réponse de
    l'atelier », on a channel the customer has."""
    site = case.site if case is not None else customer.site
    require_step(actor, "messaging.write", site=site)
    require_site(actor, site)
    if case is not None and case.customer_id != customer.pk:
        raise AtelierError(_("Ce dossier n'est pas celui de ce client."), field="case")
    if in_reply_to is not None and in_reply_to.customer_id != customer.pk:
        raise AtelierError(_("Ce message n'est pas de ce client."), field="in_reply_to")
    body = (body or "").strip()
    if not body:
        raise AtelierError(_("Écrivez le message."), field="body")
    if channel not in Channel.values:
        raise AtelierError(_("Choisissez l'e-mail ou le SMS."), field="channel")
    if channel not in channels_for(customer):
        raise AtelierError(refusal_reason(customer, channel, Category.SERVICE), field="channel")
    subject = ""
    if channel == Channel.EMAIL:
        subject = (
            _("Votre dossier %(n)s – %(site)s") % {"n": case.number, "site": site.name}
            if case is not None
            else _("Message de %(site)s") % {"site": site.name}
        )
    return message_enqueue(
        site=site,
        customer=customer,
        case=case,
        channel=channel,
        body=body,
        subject=subject,
        purpose=Purpose.REPLY,
        actor=actor,
        in_reply_to=in_reply_to,
    )


@transaction.atomic
def message_resend(*, actor, message: Message) -> Message:
    """« Renvoyer » a failed or refused message: a new message, same text and attachments, to the customer's
    address of today (corrected since, perhaps); the failed one stays as it was, in the thread's history."""
    require_step(actor, "messaging.write", site=message.site_id)
    require_site(actor, message.site)
    if message.direction != Direction.OUT or message.state not in (State.FAILED, State.REFUSED):
        raise AtelierError(_("Seul un message en échec ou non envoyé peut être renvoyé."))
    if message.customer is None:
        raise AtelierError(_("Ce message n'est lié à aucun client."))
    return message_enqueue(
        site=message.site,
        customer=message.customer,
        case=message.case,
        channel=message.channel,
        body=message.body,
        subject=message.subject,
        purpose=message.purpose,
        category=message.category,
        actor=actor,
        attachments=[(a.filename, bytes(a.content), a.content_type) for a in message.attachments.all()],
        in_reply_to=message.in_reply_to,
    )


# ------------------------------------------------------------------------------- sweeps run by the scheduler


def stuck_after() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.ATELIER_MESSAGE_STUCK_MINUTES)


@transaction.atomic
def queue_due(now: datetime.datetime | None = None) -> int:
    """Enqueue again the delivery of queued messages whose (next) attempt is due since a while: a task lost
    between a commit and its enqueuing (process killed), or a task table emptied. Delivery is idempotent, so a
    task enqueued twice sends once. Returns how many were enqueued."""
    now = now or timezone.now()
    due = (
        Message.objects.filter(state=State.QUEUED, direction=Direction.OUT)
        .annotate(due_at=Coalesce("next_attempt_at", "created_at"))
        .filter(due_at__lte=now - stuck_after())
        .values_list("pk", flat=True)
    )
    pks = list(due)
    for pk in pks:
        _enqueue_delivery(pk)
    return len(pks)


@transaction.atomic
def requeue_stuck(now: datetime.datetime | None = None) -> int:
    """Messages « envoi en cours » for longer than ATELIER_MESSAGE_STUCK_MINUTES: their worker died between
    taking them and recording the outcome. Queued again (the provider may have sent it: the customer may get it
    twice, never zero times), or « échec » when no attempt is left. Returns how many were taken back."""
    from atelier.messaging.services_delivery import max_attempts

    now = now or timezone.now()
    stuck = Message.objects.filter(state=State.SENDING).filter(
        Q(sending_since__lte=now - stuck_after()) | Q(sending_since=None)
    )
    count = 0
    for message in stuck.order_by("pk"):
        message = lock(message)
        if message.state != State.SENDING:
            continue
        interrupted = _("Envoi interrompu (le service d'envoi s'est arrêté).")
        if message.attempts >= max_attempts():
            message.state = State.FAILED
            message.reason = _("Échec après %(n)s tentatives : %(r)s") % {
                "n": message.attempts,
                "r": interrupted,
            }
        else:
            message.state = State.QUEUED
            message.reason = interrupted
            message.next_attempt_at = now
            _enqueue_delivery(message.pk)
        message.sending_since = None
        message.save(update_fields=["state", "reason", "next_attempt_at", "sending_since"])
        count += 1
    return count
