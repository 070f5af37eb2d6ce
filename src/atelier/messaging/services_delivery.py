"""The worker's side of the outbox: take one queued message, hand it to its provider, record what happened.

Three short steps so that nothing is lost and nothing is sent twice by us:
1. under the row's lock, in its own transaction: skip unless « en file » and due, then « envoi en cours »
   (committed before the provider is called: a worker killed during the call leaves a message the sweeper
   `services.requeue_stuck` finds and queues again);
2. the provider's call, outside any transaction (a slow SMTP server holds no lock);
3. under the lock again: « envoyé » (provider, its id, time), or another try later with back-off, or « échec »
   with the reason.
"""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.core.locking import lock_rows
from atelier.messaging.choices import Channel, Direction, State
from atelier.messaging.models import Message
from atelier.messaging.providers import base as providers
from atelier.messaging.services import _enqueue_delivery

logger = logging.getLogger("atelier.messaging")
REASON_LENGTH = 500  # Message.reason's max_length


def max_attempts() -> int:
    return max(1, settings.ATELIER_MESSAGE_MAX_ATTEMPTS)


def retry_delay(attempts: int) -> datetime.timedelta:
    """The wait after the `attempts`-th try failed for a temporary reason (the schedule's last step repeats)."""
    delays = settings.ATELIER_MESSAGE_RETRY_DELAYS or [60]
    return datetime.timedelta(seconds=delays[min(attempts, len(delays)) - 1])


def reply_address(message: Message) -> str:
    """Where the customer's answer to an e-mail goes: the inbound mailbox, with this message's signed tag so
    that the answer lands on its thread (providers.base.reply_address), or, without one, the site's address."""
    return providers.reply_address(message) or message.site.email or ""


def outgoing_for(message: Message) -> providers.Outgoing:
    return providers.Outgoing(
        channel=message.channel,
        recipient=message.recipient,
        body=message.body,
        subject=message.subject,
        reference=str(message.pk),
        reply_to=reply_address(message) if message.channel == Channel.EMAIL else "",
        attachments=tuple(
            (a.filename, bytes(a.content), a.content_type) for a in message.attachments.order_by("pk")
        ),
    )


def _locked(message_id: int) -> Message | None:
    rows = lock_rows(Message.objects.filter(pk=message_id), related=["site"])
    return rows[0] if rows else None


def _take(message_id: int, now: datetime.datetime) -> Message | None:
    """Step 1: the message marked « envoi en cours », or None when it is not ours to send now (already sent,
    failed, refused, taken by another worker, or its next try is not due: a task enqueued twice)."""
    with transaction.atomic():
        message = _locked(message_id)
        if message is None or message.direction != Direction.OUT or message.state != State.QUEUED:
            return None
        if message.next_attempt_at is not None and message.next_attempt_at > now:
            return None
        message.state = State.SENDING
        message.sending_since = now
        message.attempts += 1
        message.save(update_fields=["state", "sending_since", "attempts"])
        return message


def _clip(text: str) -> str:
    return text if len(text) <= REASON_LENGTH else text[: REASON_LENGTH - 1] + "…"


def _record(message_id: int, now: datetime.datetime, accepted=None, failure=None) -> Message | None:
    """Step 3, under the lock: the outcome, unless the message moved meanwhile (the sweeper took it back)."""
    with transaction.atomic():
        message = _locked(message_id)
        if message is None:
            return None
        if accepted is not None:
            # sent, even if the sweeper queued it again meanwhile: the queued task will then find nothing to do
            if message.state not in (State.SENDING, State.QUEUED):
                return message
            message.state = State.SENT
            message.provider = accepted.provider[:40]
            message.provider_id = accepted.provider_id[:120]
            message.sent_at = now
            message.reason = ""
            message.next_attempt_at = None
        elif message.state != State.SENDING:
            return message
        elif isinstance(failure, providers.PermanentFailure):
            message.state = State.FAILED
            message.reason = _clip(_("Refusé par le prestataire : %(r)s") % {"r": failure.reason})
            message.next_attempt_at = None
        elif message.attempts >= max_attempts():
            message.state = State.FAILED
            message.reason = _clip(
                _("Échec après %(n)s tentatives : %(r)s") % {"n": message.attempts, "r": failure.reason}
            )
            message.next_attempt_at = None
        else:
            message.state = State.QUEUED
            message.reason = _clip(failure.reason)
            message.next_attempt_at = now + retry_delay(message.attempts)
            _enqueue_delivery(message.pk, run_after=message.next_attempt_at)
        message.sending_since = None
        message.save()
        return message


def message_deliver(message_id: int, now: datetime.datetime | None = None) -> Message | None:
    """Send one queued message (the body of tasks.deliver_message); returns it as recorded, or None when there
    was nothing to do. Never raises for a provider's failure: the failure is the message's state."""
    now = now or timezone.now()
    message = _take(message_id, now)
    if message is None:
        return None
    try:
        accepted = providers.send(outgoing_for(message))
    except providers.ProviderFailure as failure:
        logger.warning("message %s non envoyé (%s) : %s", message.pk, type(failure).__name__, failure.reason)
        return _record(message.pk, now, failure=failure)
    except Exception as exc:  # a provider's bug or an unexpected network error: worth another try, logged
        logger.exception("message %s : erreur du prestataire", message.pk)
        unexpected = providers.TemporaryFailure(_("Erreur inattendue du prestataire (%(e)s).") % {"e": exc})
        return _record(message.pk, now, failure=unexpected)
    return _record(message.pk, now, accepted=accepted)
