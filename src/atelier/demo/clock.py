"""Opening hours as a ruler: positions in working minutes, converted back to local dates and times.

Dossier timelines are planned backwards from "now" in working minutes (the last step a little before now,
each earlier step a plausible delay before the next), so every event falls inside opening hours, none is in
the future, and their order is the order of the positions.
"""

import bisect
import datetime
import functools

from django.utils import timezone

# Monday to Saturday, 9:00–12:30 and 13:30–19:00, like most repair shops; closed on public holidays.
OPENING = ((datetime.time(9, 0), datetime.time(12, 30)), (datetime.time(13, 30), datetime.time(19, 0)))
WORKING_DAYS = range(0, 6)
DAY_MINUTES = sum((end.hour * 60 + end.minute) - (start.hour * 60 + start.minute) for start, end in OPENING)


@functools.cache
def public_holidays(year: int) -> frozenset[datetime.date]:
    """French public holidays (jours fériés) of metropolitan France, Easter-based ones included."""
    # Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher).
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    g = (b - (b + 8) // 25 + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    weekday_shift = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * weekday_shift) // 451
    month, day = divmod(h + weekday_shift - 7 * m + 114, 31)
    easter = datetime.date(year, month, day + 1)
    fixed = [(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)]
    # Lundi de Pâques, Ascension, lundi de Pentecôte.
    moving = [easter + datetime.timedelta(days=n) for n in (1, 39, 50)]
    return frozenset([datetime.date(year, mo, da) for mo, da in fixed] + moving)


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() in WORKING_DAYS and day not in public_holidays(day.year)


class WorkClock:
    """The working minutes of the last `days` days up to `now`, laid end to end from 0 to `total`."""

    def __init__(self, now: datetime.datetime, days: int = 120):
        self.now = timezone.localtime(now)
        self.tz = self.now.tzinfo
        self._starts: list[int] = []  # position of the first minute of each open period
        self._periods: list[tuple[datetime.datetime, datetime.datetime]] = []
        position = 0
        first_day = self.now.date() - datetime.timedelta(days=days)
        for offset in range(days + 1):
            day = first_day + datetime.timedelta(days=offset)
            if not is_working_day(day):
                continue
            for start, end in OPENING:
                begin = timezone.make_aware(datetime.datetime.combine(day, start), self.tz)
                finish = min(timezone.make_aware(datetime.datetime.combine(day, end), self.tz), self.now)
                if finish <= begin:
                    continue
                self._starts.append(position)
                self._periods.append((begin, finish))
                position += int((finish - begin).total_seconds() // 60)
        self.total = position
        self._days = [begin.date() for begin, _ in self._periods]

    def at(self, position: int) -> datetime.datetime:
        """The date and time of a position (clamped to the ruler)."""
        position = max(0, min(position, self.total))
        index = max(0, bisect.bisect_right(self._starts, position) - 1)
        begin, finish = self._periods[index]
        return min(begin + datetime.timedelta(minutes=position - self._starts[index]), finish)

    def start_of_day(self, day: datetime.date) -> int:
        """Position of the first working minute on or after a day's start."""
        index = bisect.bisect_left(self._days, day)
        return self._starts[index] if index < len(self._starts) else self.total

    def minutes_today(self) -> int:
        """Working minutes already gone today: room for dossiers "received today"."""
        return self.total - self.start_of_day(self.now.date())


def next_working_days(after: datetime.date, count: int) -> list[datetime.date]:
    """The next `count` working days after a date (for visits planned in the coming days)."""
    days, day = [], after
    while len(days) < count:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            days.append(day)
    return days


def visit_slots(day: datetime.date, tz) -> list[datetime.datetime]:
    """Half-hour appointment slots of a day, as the planning offers them."""
    slots = []
    for start, end in OPENING:
        moment = timezone.make_aware(datetime.datetime.combine(day, start), tz)
        finish = timezone.make_aware(datetime.datetime.combine(day, end), tz) - datetime.timedelta(minutes=60)
        while moment <= finish:
            slots.append(moment)
            moment += datetime.timedelta(minutes=30)
    return slots
