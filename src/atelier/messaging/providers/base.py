"""The one interface between the outbox and whoever carries a message (SMTP server, SMS provider's HTTP API).

`send(outgoing)` picks the provider of the outgoing message's channel from the settings
(`ATELIER_EMAIL_PROVIDER`, `ATELIER_SMS_PROVIDER`: dotted paths of a class with `name` and
`send(outgoing) -> Accepted`) and hands it the message. A provider raises `TemporaryFailure` when trying again
later may work (time-out, 5xx, throttled) and `PermanentFailure` when it never will (number refused, address
rejected, account closed): the worker retries the first with back-off and records the second at once.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.module_loading import import_string

from atelier.core.params import as_id


@dataclass(frozen=True)
class Outgoing:
    channel: str  # messaging.choices.Channel
    recipient: str  # e-mail address, or phone number in international form (+33…)
    body: str
    subject: str = ""
    reference: str = ""  # our message id: providers echo it back in receipts where their API allows
    reply_to: str = ""  # e-mail: where the customer's answer goes (the thread's inbound address)
    attachments: tuple[tuple[str, bytes, str], ...] = field(default=())  # (filename, content, content type)


@dataclass(frozen=True)
class Accepted:
    provider: str  # short name, e.g. "smtp", "brevo"
    provider_id: str = ""  # the provider's id of the message, used to match delivery receipts


class ProviderFailure(Exception):
    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


class TemporaryFailure(ProviderFailure):
    """Worth trying again later."""


class PermanentFailure(ProviderFailure):
    """Trying again will not help."""


def provider_for(channel: str):
    from atelier.messaging.choices import Channel

    setting = "ATELIER_EMAIL_PROVIDER" if channel == Channel.EMAIL else "ATELIER_SMS_PROVIDER"
    return import_string(getattr(settings, setting))()


def send(outgoing: Outgoing) -> Accepted:
    return provider_for(outgoing.channel).send(outgoing)


class MemoryProvider:
    """Keeps what it is given in `sent` (tests, demo). `fail_with` makes the next sends fail: a list of
    exceptions consumed one per call."""

    name = "memory"
    sent: list[Outgoing] = []
    fail_with: list[ProviderFailure] = []

    def send(self, outgoing: Outgoing) -> Accepted:
        if MemoryProvider.fail_with:
            raise MemoryProvider.fail_with.pop(0)
        MemoryProvider.sent.append(outgoing)
        return Accepted(provider=self.name, provider_id=f"mem-{len(MemoryProvider.sent)}")

    @classmethod
    def reset(cls) -> None:
        cls.sent = []
        cls.fail_with = []


class NoSmsProvider:
    """The default when no SMS provider is configured: every SMS fails at once with the reason, so that the
    dossier says « échec » instead of pretending the customer was told."""

    name = "none"

    def send(self, outgoing: Outgoing) -> Accepted:
        from django.utils.translation import gettext as _

        raise PermanentFailure(_("Aucun prestataire SMS n'est configuré (ATELIER_SMS_PROVIDER)."))


def e164(number: str) -> str:
    """A phone number as written by a provider or a customer (+33…, 0033…, 33612…, 06…) in E.164 form, or ""
    when it is not a valid number."""
    import phonenumbers

    raw = "".join(c for c in number or "" if c.isdigit() or c == "+")
    if raw.startswith("00"):
        raw = "+" + raw[2:]
    elif raw and not raw.startswith(("+", "0")):
        raw = "+" + raw  # providers send international numbers without their « + » (Brevo: 33612345678)
    try:
        parsed = phonenumbers.parse(raw, "FR")
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_valid_number(parsed):
        return ""
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


# Replies by e-mail: each outgoing e-mail carries a Reply-To of the form `sav+<id>.<signature>@atelier.example`
# (ATELIER_INBOUND_EMAIL = "sav@atelier.example"), so that the customer's answer lands on the thread of the
# message it answers. The signature is an HMAC of the id keyed by SECRET_KEY, in lower-case hexadecimal: some
# mail servers change the case of the local part, which would break a base64 signature.
_REPLY_SALT = "atelier.messaging.reply-address"


def _reply_signature(message_id: int) -> str:
    from django.utils.crypto import salted_hmac

    return salted_hmac(_REPLY_SALT, str(message_id)).hexdigest()[:16]


def reply_address(message) -> str:
    """The Reply-To of an outgoing e-mail (empty when ATELIER_INBOUND_EMAIL is not set)."""
    inbound = getattr(settings, "ATELIER_INBOUND_EMAIL", "")
    if not inbound or "@" not in inbound:
        return ""
    local, domain = inbound.rsplit("@", 1)
    return f"{local}+{message.pk}.{_reply_signature(message.pk)}@{domain}"


def parse_reply_address(address: str) -> int | None:
    """The id of the message whose reply address this is, or None (not one of ours, or a forged signature)."""
    from email.utils import parseaddr

    from django.utils.crypto import constant_time_compare

    _, address = parseaddr(address or "")
    local = address.rsplit("@", 1)[0]
    if "+" not in local:
        return None
    token = local.rsplit("+", 1)[1].lower()
    message_id, _, signature = token.partition(".")
    number = as_id(message_id)
    if number is None or not constant_time_compare(signature, _reply_signature(number)):
        return None
    return number
