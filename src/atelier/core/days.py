"""Days as ranges of instants: the one way Atelier filters a datetime column by day.

`received_at__date=day` makes the database compute a date for every row (on SQLite Django calls a Python
function per row): no index can serve it. `received_at__gte=start, received_at__lt=end` with the day's
bounds in the current time zone (the site's, Europe/Paris by default) is the same filter, served by an index.
"""

import datetime

from django.utils import timezone


def day_range(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """[start, end) of a local day as aware datetimes: a range an index on the datetime column serves."""
    return day_start(day), day_start(day + datetime.timedelta(days=1))


def day_start(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of a local day, aware (DST-safe: the zone's offset of that very day)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def on_day(field: str, day: datetime.date) -> dict:
    """Lookups for « `field` falls on `day` », to pass to filter(): {field__gte: start, field__lt: end}."""
    start, end = day_range(day)
    return {f"{field}__gte": start, f"{field}__lt": end}
