"""The providers' callbacks: delivery receipts and customers' replies (docs/messages-providers.md).

Each URL carries the shared secret ATELIER_WEBHOOK_SECRET (providers call them without a session; none of
them signs its SMS callbacks in a way every plan offers): a wrong or missing secret answers 403 before anything
is read. They answer 200 to whatever they understood or chose to ignore, because a provider retries any other
answer; a body that is not what the provider sends answers 400.
"""

import hashlib
import json
import logging
from datetime import UTC, datetime
from email import policy
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr, parsedate_to_datetime

from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.html import strip_tags
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from atelier.messaging.choices import Channel, State
from atelier.messaging.providers.base import parse_reply_address
from atelier.messaging.services_inbound import message_inbound, message_receipt

logger = logging.getLogger("atelier.messaging")

# Brevo's SMS events (msg_status) that end a message without delivery.
BREVO_FAILED = {"hard_bounce", "soft_bounce", "rejected", "skip", "blacklisted"}
# OVHcloud's delivery report codes (dlr): 1 delivered to the phone; 2 and 16 not delivered; 4 and 8 on the way.
OVH_DELIVERED, OVH_FAILED = {"1"}, {"2", "16"}


def _authorised(secret: str) -> bool:
    expected = settings.ATELIER_WEBHOOK_SECRET
    return bool(expected) and constant_time_compare(secret, expected)


def _ok() -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def _json(request):
    try:
        return json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None


def _from_epoch(value) -> datetime:
    try:
        return datetime.fromtimestamp(int(value), tz=UTC)
    except (TypeError, ValueError, OverflowError):
        return timezone.now()


@csrf_exempt
@require_POST
def brevo_sms(request, secret):
    """Brevo's transactional SMS webhook (one event, or a list when batched): receipts and replies."""
    if not _authorised(secret):
        return HttpResponseForbidden()
    data = _json(request)
    events = data if isinstance(data, list) else [data]
    if not all(isinstance(e, dict) for e in events):
        return HttpResponseBadRequest("JSON attendu")
    for event in events:
        status, message_id = str(event.get("msg_status", "")), str(event.get("messageId", ""))
        at = _from_epoch(event.get("ts_event"))
        if status == "delivered":
            message_receipt(provider="brevo", provider_id=message_id, state=State.DELIVERED, at=at)
        elif status in BREVO_FAILED:
            reason = f"{status} : {event.get('description') or event.get('status') or ''}".strip(" :")
            message_receipt(
                provider="brevo", provider_id=message_id, state=State.FAILED, reason=reason, at=at
            )
        elif status == "replied":
            # a reply has no id of its own: the event's content identifies it across Brevo's retries
            digest = hashlib.sha256(json.dumps(event, sort_keys=True).encode()).hexdigest()[:32]
            message_inbound(
                channel=Channel.SMS,
                sender=str(event.get("to", "")),
                text=str(event.get("reply", "")),
                provider="brevo",
                provider_id=f"reply-{digest}",
                at=at,
            )
    return _ok()


@csrf_exempt
@require_http_methods(["GET", "POST"])
def ovh_receipt(request, secret):
    """OVHcloud's delivery report callback (callBackUrl of the SMS account): id, dlr, ptt, description."""
    if not _authorised(secret):
        return HttpResponseForbidden()
    params = request.GET if request.method == "GET" else request.POST
    job_id, dlr = params.get("id", ""), params.get("dlr", "")
    if dlr in OVH_DELIVERED:
        message_receipt(provider="ovh", provider_id=job_id, state=State.DELIVERED, at=timezone.now())
    elif dlr in OVH_FAILED:
        reason = params.get("description") or f"dlr {dlr}, ptt {params.get('ptt', '')}"
        message_receipt(
            provider="ovh", provider_id=job_id, state=State.FAILED, reason=reason, at=timezone.now()
        )
    return _ok()


@csrf_exempt
@require_http_methods(["GET", "POST"])
def ovh_incoming(request, secret):
    """OVHcloud's incoming SMS callback (replies to a short number): id, sender (or senderid), message."""
    if not _authorised(secret):
        return HttpResponseForbidden()
    params = request.GET if request.method == "GET" else request.POST
    sender = params.get("sender") or params.get("senderid") or ""
    if not sender:
        return HttpResponseBadRequest("sender manquant")
    message_inbound(
        channel=Channel.SMS,
        sender=sender,
        text=params.get("message", ""),
        provider="ovh",
        provider_id=f"in-{params.get('id', '')}" if params.get("id") else "",
        at=timezone.now(),
    )
    return _ok()


@csrf_exempt
@require_POST
def email_raw(request, secret):
    """A whole e-mail (RFC 822) as the body, e.g. piped by Postfix (`curl --data-binary @-`), or in the
    `body-mime` field of a Mailgun « store/forward » route to a …/mime URL."""
    if not _authorised(secret):
        return HttpResponseForbidden()
    raw = request.POST.get("body-mime", "").encode() if "body-mime" in request.POST else request.body
    if not raw.strip():
        return HttpResponseBadRequest("e-mail vide")
    mail = BytesParser(policy=policy.default).parsebytes(raw)
    addresses = [a for _, a in getaddresses(mail.get_all("To", []) + mail.get_all("Cc", []))]
    addresses += [str(v) for v in mail.get_all("Delivered-To", []) + mail.get_all("X-Original-To", [])]
    hint = next(
        (a for a in addresses if parse_reply_address(a) is not None), addresses[0] if addresses else ""
    )
    body = mail.get_body(preferencelist=("plain", "html"))
    text = body.get_content() if body is not None else ""
    if body is not None and body.get_content_type() == "text/html":
        text = strip_tags(text)
    try:
        at = parsedate_to_datetime(mail["Date"]) if mail["Date"] else timezone.now()
    except (TypeError, ValueError):
        at = timezone.now()
    message_inbound(
        channel=Channel.EMAIL,
        sender=parseaddr(str(mail["From"] or ""))[1],
        text=text,
        provider="email",
        provider_id=str(mail["Message-ID"] or "").strip("<> "),
        at=at,
        subject=str(mail["Subject"] or ""),
        in_reply_to_hint=hint,
    )
    return _ok()


@csrf_exempt
@require_POST
def brevo_email(request, secret):
    """Brevo's inbound e-mail parsing webhook: {"items": [{"MessageId", "From": {"Address"}, "To": [{"Address"}],
    "Subject", "RawTextBody", "ExtractedMarkdownMessage", "SentAtDate"}]}."""
    if not _authorised(secret):
        return HttpResponseForbidden()
    data = _json(request)
    items = data.get("items") if isinstance(data, dict) else None
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        return HttpResponseBadRequest("items attendu")
    for item in items:
        to = [a.get("Address", "") for a in item.get("To") or [] if isinstance(a, dict)]
        hint = next((a for a in to if parse_reply_address(a) is not None), to[0] if to else "")
        try:
            at = parsedate_to_datetime(item["SentAtDate"])
        except (KeyError, TypeError, ValueError):
            at = timezone.now()
        message_inbound(
            channel=Channel.EMAIL,
            sender=str((item.get("From") or {}).get("Address", "")),
            text=str(item.get("ExtractedMarkdownMessage") or item.get("RawTextBody") or ""),
            provider="brevo",
            provider_id=str(item.get("MessageId", "")).strip("<> "),
            at=at,
            subject=str(item.get("Subject", "")),
            in_reply_to_hint=hint,
        )
    return _ok()
