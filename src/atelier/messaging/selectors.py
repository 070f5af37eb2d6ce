"""Reading the outbox: a dossier's thread, a customer's messages, the API's list, the backlog for /healthz."""

import datetime

from django.conf import settings
from django.db.models import Count, Min, Q
from django.utils import timezone

from atelier.messaging.choices import Direction, State
from atelier.messaging.models import Message

THREAD_SIZE = 50  # a dossier's thread on its page (newest first); the API pages through all of them
CUSTOMER_SIZE = 10


def message_list(user, *, case=None, customer=None, state: str = ""):
    """The messages the user may read (their sites), newest first, filtered by dossier, customer and state."""
    qs = Message.objects.visible_to(user).select_related("customer", "case", "created_by")
    if case is not None:
        qs = qs.filter(case=case)
    if customer is not None:
        qs = qs.filter(customer=customer)
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("-created_at", "-pk")


def case_thread(user, case) -> list[Message]:
    """The dossier's messages, outbound and inbound, newest first (the customer's replies included)."""
    return list(message_list(user, case=case).select_related(None).select_related("created_by")[:THREAD_SIZE])


def customer_messages(user, customer) -> list[Message]:
    return list(
        message_list(user, customer=customer).select_related(None).select_related("case")[:CUSTOMER_SIZE]
    )


def outbox_health(now: datetime.datetime | None = None) -> dict:
    """The outbox's backlog for /healthz (every site): messages waiting, the oldest one's age in seconds, the
    failures of the last 24 hours. One query."""
    now = now or timezone.now()
    figures = Message.objects.filter(direction=Direction.OUT).aggregate(
        queued=Count("pk", filter=Q(state__in=[State.QUEUED, State.SENDING])),
        oldest=Min("created_at", filter=Q(state__in=[State.QUEUED, State.SENDING])),
        failed=Count("pk", filter=Q(state=State.FAILED, created_at__gte=now - datetime.timedelta(hours=24))),
    )
    oldest = figures["oldest"]
    return {
        "queued": figures["queued"],
        "oldest_queued_seconds": int((now - oldest).total_seconds()) if oldest is not None else 0,
        "failed_last_24h": figures["failed"],
        "overdue": overdue_count(now),
    }


def overdue_count(now: datetime.datetime) -> int:
    """Messages whose try has been due for longer than ATELIER_MESSAGE_STUCK_MINUTES: no worker is taking them
    (a message waiting for its retry in back-off is not overdue)."""
    late = now - datetime.timedelta(minutes=settings.ATELIER_MESSAGE_STUCK_MINUTES)
    return Message.objects.filter(
        Q(next_attempt_at__lt=late) | Q(next_attempt_at__isnull=True, created_at__lt=late),
        direction=Direction.OUT,
        state=State.QUEUED,
    ).count()


def outbox_check() -> dict:
    """/healthz's « outbox » check (core.health): « degraded » while messages are overdue."""
    from atelier.core.health import CheckFailed

    figures = outbox_health()
    if figures["overdue"]:
        raise CheckFailed(figures)
    return figures
