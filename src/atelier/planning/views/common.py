"""What the planning screens share: who reads and who plans, reading a day from the query string."""

import datetime

from django.utils import timezone


def read_day(value: str | None) -> datetime.date:
    """A day from `?jour=AAAA-MM-JJ`; today when missing or unreadable (a page to look at, not a form)."""
    if value:
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    return timezone.localdate()
