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
