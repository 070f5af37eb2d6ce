"""Test helpers: messages are delivered in tests only when a test says so.

The tests keep the database task backend: a request (or a service) records its messages « en file » and sends
nothing, as in production. A test that wants them sent calls `deliver_queued()`, which runs the worker's own
function (services_delivery.message_deliver) on every message due, in order, and returns them as recorded.
The provider is the MemoryProvider (settings): what it was handed is in `MemoryProvider.sent`.
"""

import datetime

from django.db.models import Q
from django.utils import timezone

from atelier.messaging.choices import Direction, State
from atelier.messaging.models import Message
from atelier.messaging.services_delivery import message_deliver


def deliver_queued(now: datetime.datetime | None = None) -> list[Message]:
    now = now or timezone.now()
    due = Message.objects.filter(state=State.QUEUED, direction=Direction.OUT).filter(
        Q(next_attempt_at=None) | Q(next_attempt_at__lte=now)
    )
    done = [message_deliver(pk, now=now) for pk in due.order_by("pk").values_list("pk", flat=True)]
    return [m for m in done if m is not None]
