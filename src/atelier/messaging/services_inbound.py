"""What comes back from the providers: delivery receipts of our messages, and the customers' replies.

Both are called by the providers' webhooks (messaging.webhooks), which providers retry until they get a 2xx:
each service is idempotent (the same receipt or reply twice changes nothing the second time).
"""

import logging
import re
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q

from atelier.core.models import Site
from atelier.messaging.choices import Channel, Direction, Purpose, State
from atelier.messaging.models import Message
from atelier.messaging.providers.base import e164, parse_reply_address

logger = logging.getLogger("atelier.messaging")

# Before a receipt, a message may still be marked « en file » / « envoi en cours » (the worker records the
# provider's acceptance after the call; a fast receipt can overtake it).
_NOT_FINAL = (State.QUEUED, State.SENDING, State.SENT)


@transaction.atomic
def message_receipt(*, provider: str, provider_id: str, state: str, reason: str = "", at: datetime):
    """Record a provider's delivery receipt: « distribué » (with its time) or « échec » (with the reason).

    Returns the message, or None when no message of ours has that id (logged; the webhook answers 200 all the
    same, or the provider would retry forever). A receipt never undoes « distribué », and a failure receipt for
    a message already failed keeps the first reason.
    """
    if state not in (State.DELIVERED, State.FAILED):
        raise ValueError(f"receipt state {state!r}")
    message = (
        Message.objects.select_for_update()
        .filter(provider=provider, provider_id=provider_id, direction=Direction.OUT)
        .first()
        if provider_id
        else None
    )
    if message is None:
        logger.warning(
            "Accusé de réception %s %s : aucun message ne porte cette référence.", provider, provider_id
        )
        return None
    if state == State.DELIVERED and message.state != State.DELIVERED:
        message.state, message.delivered_at, message.reason = State.DELIVERED, at, ""
        message.save(update_fields=["state", "delivered_at", "reason"])
    elif state == State.FAILED and message.state in _NOT_FINAL:
        message.state, message.reason = State.FAILED, reason[:500]
        message.save(update_fields=["state", "reason"])
    return message


@transaction.atomic
def message_inbound(
    *,
    channel: str,
    sender: str,
    text: str,
    provider: str,
    provider_id: str,
    at: datetime,
    subject: str = "",
    in_reply_to_hint: str = "",
    recipient: str = "",
) -> Message:
    """Record a customer's SMS or e-mail on the right thread, « reçu ».

    Where it goes, first match wins:
    1. the message named by the reply address it was sent to (`in_reply_to_hint`, e-mail: see
       providers.base.reply_address): that message's customer, dossier and site;
    2. the latest message we sent to that address (phone or e-mail): its customer, dossier and site;
    3. a customer of any site with that phone (or second phone) or e-mail, and their latest open dossier;
    4. otherwise the « non attribués » inbox: no customer, no dossier, the site of ATELIER_INBOUND_SITE (its
       code) or else the first site, so that nothing is lost.
    A reply already recorded (same provider and id) is returned as it is.
    """
    if provider_id:
        known = Message.objects.filter(
            provider=provider, provider_id=provider_id, direction=Direction.IN
        ).first()
        if known is not None:
            return known
    if channel == Channel.SMS:
        address = e164(sender) or sender.strip()
    else:
        address = sender.strip().lower()
        text = strip_quoted(text) or text.strip()
    answered = _answered_message(channel, address, in_reply_to_hint)
    customer = case = None
    if answered is not None:
        site, customer, case = answered.site, answered.customer, answered.case
    else:
        customer = _customer_of(channel, address)
        if customer is not None:
            site, case = customer.site, _latest_open_case(customer)
        else:
            site = _unassigned_site()
    fields = dict(
        site=site,
        customer=customer,
        case=case,
        direction=Direction.IN,
        channel=channel,
        purpose=Purpose.INBOUND,
        recipient=(recipient or in_reply_to_hint or provider)[:254],
        sender=address[:254],
        subject=subject[:200],
        body=text,
        state=State.RECEIVED,
        provider=provider,
        provider_id=provider_id[:120],
        in_reply_to=answered,
        created_at=at,
        sent_at=at,
    )
    try:
        with transaction.atomic():
            return Message.objects.create(**fields)
    except (
        IntegrityError
    ):  # the same reply, recorded meanwhile by a retry of the provider (message_inbound_once)
        return Message.objects.get(
            provider=provider, provider_id=fields["provider_id"], direction=Direction.IN
        )


def _answered_message(channel: str, address: str, hint: str) -> Message | None:
    message_id = parse_reply_address(hint) if hint else None
    if message_id is not None:
        found = Message.objects.filter(pk=message_id, direction=Direction.OUT).first()
        if found is not None:
            return found
    if not address:
        return None
    recipient = Q(recipient=address) if channel == Channel.SMS else Q(recipient__iexact=address)
    return (
        Message.objects.filter(recipient, channel=channel, direction=Direction.OUT, customer__isnull=False)
        .order_by("-created_at", "-id")
        .first()
    )


def _customer_of(channel: str, address: str):
    from atelier.customers.models import Customer

    if not address:
        return None
    if channel == Channel.SMS:
        match = Q(phone=address) | Q(phone2=address)
    else:
        match = Q(email__iexact=address)
    return Customer.objects.filter(match).order_by("-id").first()


def _latest_open_case(customer):
    from atelier.repairs.choices import OPEN_STATUSES
    from atelier.repairs.models import RepairCase

    return (
        RepairCase.objects.filter(customer=customer, status__in=OPEN_STATUSES)
        .order_by("-received_at", "-id")
        .first()
    )


def _unassigned_site() -> Site:
    code = getattr(settings, "ATELIER_INBOUND_SITE", "")
    site = Site.objects.filter(code=code).first() if code else None
    return site or Site.objects.order_by("pk")[0]  # an installation has at least one site


# « Le 3 mars 2026 à 10:02, Atelier <sav@…> a écrit : », « On Tue, … wrote: », Outlook's « -----Original
# Message----- » / « De : … » block: where the quoted history starts.
_HISTORY = re.compile(
    r"^\s*(le\s.*\sa\s+écrit\s*:|on\s.*\swrote\s*:|-{2,}\s*(original message|message d'origine)\s*-{2,}|"
    r"de\s*:\s.*@.*|from\s*:\s.*@.*)\s*$",
    re.IGNORECASE,
)


_WRAPPED_END = re.compile(r"^.*\S.*\s(a\s+écrit|wrote)\s*:\s*$", re.IGNORECASE)


def strip_quoted(text: str) -> str:
    """The customer's own words of an e-mail reply: quoted lines (« > … ») and everything from the « Le … a
    écrit : » line (or its English and Outlook forms) on are dropped; a signature after « -- » too."""
    kept: list[str] = []
    for line in (text or "").replace("\r\n", "\n").split("\n"):
        if _HISTORY.match(line) or line.rstrip() == "--":
            break
        if _WRAPPED_END.match(line):  # « Le … Atelier <» wrapped over two lines: drop its first half too
            if kept and re.match(r"^\s*(le|on)\s", kept[-1], re.IGNORECASE):
                kept.pop()
            break
        if line.lstrip().startswith(">"):
            continue
        kept.append(line.rstrip())
    return "\n".join(kept).strip()
