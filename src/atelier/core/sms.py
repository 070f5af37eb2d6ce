"""SMS to customers through a pluggable backend: settings.ATELIER_SMS_BACKEND names a class with `send(phone, text)`.

The default writes the message to the log (development, tests, shops without an SMS provider); a provider's
backend is a small class in the deployment's own package.
"""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("atelier.sms")


class LogBackend:
    def send(self, phone: str, text: str) -> None:
        logger.info("SMS à %s : %s", phone, text)


class MemoryBackend:
    """Keeps the messages in `outbox` (tests)."""

    outbox: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        MemoryBackend.outbox.append((phone, text))


def send_sms(phone: str, text: str) -> None:
    import_string(settings.ATELIER_SMS_BACKEND)().send(phone, text)
