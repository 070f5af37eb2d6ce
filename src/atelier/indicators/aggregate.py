"""Stored and live figures, read the same way: the nightly job stores each past day's figures
(`refresh_day`), the pages sum the stored rows of the period and add, computed live, the days after the last
stored night (today, or more when the job did not run) — always exact up to the previous night plus today.

The filters (`Scope`) are the dimensions of the rows; sums run in the database grouped by at most one
dimension; the distributions (turnaround, reasons, causes) are merged in Python from the rows that carry one."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Case, CharField, DecimalField, F, IntegerField, Max, Q, Sum, Value, When
from django.db.models.functions import Cast, TruncMonth
from django.utils import timezone

from atelier.indicators.facts import Figures, Key, collect, collect_by_night, day_start
from atelier.indicators.models import (
    AMOUNTS,
    COUNTERS,
    DISTRIBUTIONS,
    ComputedDay,
    DailyFigures,
    RollupDimension,
    RollupFigures,
    RollupSpan,
)

FIRST_RUN_DAYS = 400  # a site never computed: the job fills this many past days on its first night


@dataclass(frozen=True)
class Scope:
    """Which rows: sites (already limited to the user's), and optionally one technician, family, brand, place."""

    site_ids: tuple[int, ...]
    technician_id: int | None = None
    family: str = ""
    brand: str = ""
    location: str = ""

    def row_filter(self) -> Q:
        q = Q(site_id__in=self.site_ids)
        if self.technician_id is not None:
            q &= Q(technician_id=self.technician_id)
        if self.family:
            q &= Q(family=self.family)
        if self.brand:
            q &= Q(brand__iexact=self.brand)
        if self.location:
            q &= Q(location=self.location)
        return q

    def keeps(self, key: Key) -> bool:
        _day, site_id, technician_id, family, brand, location = key
        return (
            site_id in self.site_ids
            and (self.technician_id is None or technician_id == self.technician_id)
            and (not self.family or family == self.family)
            and (not self.brand or brand.lower() == self.brand.lower())
            and (not self.location or location == self.location)
        )


# ---- writing (the nightly job) ----


def refresh_day(site_id: int, day: datetime.date) -> int:
    """Store the figures of one past day of a site (replacing what that night wrote before); rows written."""
    return refresh_range(site_id, day, day)


@transaction.atomic
def refresh_range(site_id: int, first: datetime.date, last: datetime.date) -> int:
    """Store the figures of the days first..last of a site, computed in one go and filed night by night
    (replacing what those nights wrote before); rows written."""
    replaced = DailyFigures.objects.filter(site_id=site_id, computed_for__gte=first, computed_for__lte=last)
    touched = set(replaced.values_list("day", flat=True).distinct())
    replaced.delete()
    nights = collect_by_night([site_id], day_start(first), day_start(last + datetime.timedelta(days=1)))
    rows = [
        DailyFigures(
            day=key[0],
            computed_for=night,
            site_id=key[1],
            technician_id=key[2],
            family=key[3],
            brand=key[4],
            location=key[5],
            **f.counts,
            **f.amounts,
            turnaround={str(k): v for k, v in f.turnaround.items()},
            reasons=f.reasons,
            causes=f.causes,
        )
        for night, keys in nights.items()
        for key, f in keys.items()
    ]
    DailyFigures.objects.bulk_create(rows, batch_size=1000)
    touched.update(row.day for row in rows)
    rebuild_rollup(site_id, touched)
    days = [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]
    ComputedDay.objects.filter(site_id=site_id, day__in=days).delete()
    now = timezone.now()
    ComputedDay.objects.bulk_create(
        [ComputedDay(site_id=site_id, day=d, computed_at=now) for d in days], batch_size=1000
    )
    return len(rows)


# the roll-up: what a page reads without a technician, family or brand filter
ROLLUP_DIMENSIONS = {
    RollupDimension.PLACE: None,
    RollupDimension.FAMILY: "family",
    RollupDimension.TECHNICIAN: "technician",
}
_SUMS = {**{c: Sum(c) for c in COUNTERS}, **{a: Sum(a) for a in AMOUNTS}}
# the roll-up's reading: a row counts with its sign (−1: a day row taken off its month row)
_SIGNED_SUMS = {
    **{c: Sum(F(c) * F("sign"), output_field=IntegerField()) for c in COUNTERS},
    **{a: Sum(F(a) * F("sign"), output_field=DecimalField(max_digits=16, decimal_places=2)) for a in AMOUNTS},
}


def rebuild_rollup(site_id: int, days) -> int:
    """Rewrite the roll-up rows of a site for these days and for their months, from DailyFigures (so each
    roll-up row is exactly the sum of the day rows it covers); rows written."""
    days = sorted(set(days))
    if not days:
        return 0
    months = sorted({d.replace(day=1) for d in days})
    RollupFigures.objects.filter(site_id=site_id, span=RollupSpan.DAY, start__in=days).delete()
    RollupFigures.objects.filter(site_id=site_id, span=RollupSpan.MONTH, start__in=months).delete()
    rows: list[RollupFigures] = []
    for span, wanted in ((RollupSpan.DAY, days), (RollupSpan.MONTH, months)):
        bucket: Any
        if span == RollupSpan.DAY:
            source = DailyFigures.objects.filter(site_id=site_id, day__in=wanted)
            bucket = F("day")
        else:
            in_months = Q(pk__in=[])
            for month in wanted:
                in_months |= Q(day__gte=month, day__lt=_next_month(month))
            source = DailyFigures.objects.filter(in_months, site_id=site_id)
            bucket = TruncMonth("day")
        for dimension, column in ROLLUP_DIMENSIONS.items():
            grouped = source.annotate(b=bucket)
            if column is None:
                grouped = grouped.annotate(v=Value(""))
            else:
                grouped = grouped.annotate(
                    v=Cast(F("family" if column == "family" else "technician_id"), CharField())
                )
            made: dict[tuple, RollupFigures] = {}
            for typed in grouped.values("b", "location", "v").annotate(**_SUMS).order_by():
                r: dict[str, Any] = dict(typed)
                start = _as_date(r["b"])  # a day, or the first day of a month (TruncMonth)
                row = RollupFigures(
                    span=span,
                    start=start,
                    site_id=site_id,
                    location=r["location"],
                    dimension=dimension,
                    value=r["v"] or "",
                    **{c: r[c] or 0 for c in COUNTERS},
                    **{a: r[a] or Decimal("0.00") for a in AMOUNTS},
                )
                made[(start, r["location"])] = row
                rows.append(row)
            if column is None:  # the distributions, merged from the day rows that carry one
                carriers = grouped.filter(Q(finished__gt=0) | Q(ftf_returned__gt=0))
                for b, location, *dists in carriers.values_list("b", "location", *DISTRIBUTIONS):
                    start = _as_date(b)
                    _merge(made[(start, location)], *dists)
    RollupFigures.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def _merge(row, turnaround: dict, reasons: dict, causes: dict) -> None:
    for mine, theirs in ((row.turnaround, turnaround), (row.reasons, reasons), (row.causes, causes)):
        for k, v in theirs.items():
            mine[k] = mine.get(k, 0) + v


def _next_month(day: datetime.date) -> datetime.date:
    """The first day of the month after the day's."""
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def _as_date(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def last_computed(site_ids) -> dict[int, datetime.date]:
    return dict(
        ComputedDay.objects.filter(site_id__in=list(site_ids))
        .values("site_id")
        .annotate(last=Max("day"))
        .values_list("site_id", "last")
    )


def refresh_due(site_id: int, today: datetime.date) -> list[datetime.date]:
    """Store every day of the site not stored yet, up to yesterday (a missed night is caught up)."""
    last = last_computed([site_id]).get(site_id) or today - datetime.timedelta(days=FIRST_RUN_DAYS + 1)
    first, yesterday = last + datetime.timedelta(days=1), today - datetime.timedelta(days=1)
    if first > yesterday:
        return []
    refresh_range(site_id, first, yesterday)
    return [first + datetime.timedelta(days=n) for n in range((yesterday - first).days + 1)]


# ---- reading (pages, API) ----

GROUPS = {
    "month": TruncMonth("day"),
    "family": F("family"),
    "technician": F("technician_id"),
    "site": F("site_id"),
    "location": F("location"),
}


def _group_value(key: Key, group: str | None):
    if group is None:
        return None
    if group == "month":
        return key[0].replace(day=1)
    return {"family": key[3], "technician": key[2], "site": key[1], "location": key[5]}[group]


def figures(
    scope: Scope,
    date_from: datetime.date,
    date_to: datetime.date,
    *,
    group: str | None = None,
    distributions: bool = True,
    live_cache: dict | None = None,
) -> dict:
    """The figures of [date_from, date_to] (inclusive) in the scope: {group value: Figures} ({None: …} with no
    group). Stored rows for the days each site has stored, live figures for the days after (`live_cache`: a dict
    kept by the caller for one page, so its several readings compute today once)."""
    memo = ("read", scope, date_from, date_to, group, distributions)
    if live_cache is not None and memo in live_cache:  # the same reading twice in a page: read once
        return live_cache[memo]
    out: dict = defaultdict(Figures)
    if live_cache is not None:
        live_cache[memo] = out
    if not scope.site_ids:
        return out
    if live_cache is None or ("stored", scope.site_ids) not in live_cache:
        stored = last_computed(scope.site_ids)
        if live_cache is not None:
            live_cache[("stored", scope.site_ids)] = stored
    else:
        stored = live_cache[("stored", scope.site_ids)]
    if stored:
        dimension = {"family": RollupDimension.FAMILY, "technician": RollupDimension.TECHNICIAN}.get(
            group or "", RollupDimension.PLACE
        )
        unfiltered = scope.technician_id is None and not scope.family and not scope.brand
        if unfiltered and (dimension == RollupDimension.PLACE or not distributions):
            _read_rollup(out, scope, stored, date_from, date_to, group, dimension, distributions)
        else:
            _read_days(out, scope, stored, date_from, date_to, group, distributions)
    # live: each site from the day after its last stored night to date_to (never after today)
    today = timezone.localdate()
    end_day = min(date_to, today)
    starts: dict[datetime.date, list[int]] = defaultdict(list)
    for site_id in scope.site_ids:
        last: datetime.date | None = stored.get(site_id)
        first_live = max(date_from, last + datetime.timedelta(days=1)) if last else date_from
        if first_live <= end_day:
            starts[first_live].append(site_id)
    for first_live, site_ids in starts.items():
        cache_key = (tuple(site_ids), first_live, end_day)
        if live_cache is not None and cache_key in live_cache:
            live = live_cache[cache_key]
        else:
            live = collect(site_ids, day_start(first_live), day_start(end_day + datetime.timedelta(days=1)))
            if live_cache is not None:
                live_cache[cache_key] = live
        for key, f in live.items():
            if date_from <= key[0] <= date_to and scope.keeps(key):
                if not distributions:
                    f = Figures(counts=f.counts, amounts=f.amounts)
                out[_group_value(key, group)].add(f)  # add() copies: the cached figures stay as computed
    return out


def _read_days(out, scope, stored, date_from, date_to, group, distributions) -> None:
    """The stored day rows of the period (filters by technician, family or brand, which the roll-up lacks)."""
    rows = DailyFigures.objects.filter(scope.row_filter(), day__gte=date_from, day__lte=date_to)
    # a site's stored rows are read only up to its last stored night (the live part covers what follows)
    by_site = Q()
    for site_id, last in stored.items():
        by_site |= Q(site_id=site_id, day__lte=last)
    rows = rows.filter(by_site)
    aggregated: list[tuple[Any, dict[str, Any]]]
    if group is None:
        aggregated = [(None, rows.aggregate(**_SUMS))]
    else:
        grouped = rows.annotate(g=GROUPS[group]).values("g").annotate(**_SUMS).order_by("g")
        aggregated = [(r["g"], dict(r)) for r in grouped]
    for value, sums_row in aggregated:
        f = out[_month(value) if group == "month" else value]
        for c in COUNTERS:
            f.counts[c] += sums_row[c] or 0
        for a in AMOUNTS:
            f.amounts[a] += sums_row[a] or Decimal("0.00")
    if distributions:
        carriers = rows.filter(Q(finished__gt=0) | Q(ftf_returned__gt=0))
        _merge_distributions(
            out,
            carriers,
            GROUPS[group] if group else None,
            lambda raw: _month(raw) if group == "month" else raw,
        )


def _read_rollup(out, scope, stored, date_from, date_to, group, dimension, distributions) -> None:
    """The roll-up rows of the period, each site up to its last stored night, summed in SQL in one grouped query
    per reading. Per month of the period, whichever reads fewer rows: its month row alone (the month is inside
    the period, or its days outside are not stored yet: the current month), the month row MINUS the day rows
    outside the period (a sign of −1), or the day rows inside. A month row is the exact sum of its day rows, so
    each way gives the same sums."""
    plus, minus = Q(pk__in=[]), Q(pk__in=[])
    minus_days = Q(pk__in=[])  # the same day rows, without the sites: the sign's test, when one night for all
    by_last: dict[datetime.date, list[int]] = defaultdict(list)
    for site_id, last in stored.items():
        by_last[last].append(site_id)
    one_day = datetime.timedelta(days=1)
    for last, site_ids in by_last.items():
        end = min(date_to, last)
        if end < date_from:
            continue
        sites = Q(site_id__in=site_ids)
        month = date_from.replace(day=1)
        while month <= end:
            month_last = _next_month(month) - one_day
            lo, hi = max(month, date_from), min(month_last, end)
            stored_hi = min(month_last, last)  # the month row covers month..stored_hi
            outside = (lo - month).days + (stored_hi - hi).days
            inside = (hi - lo).days + 1
            if outside < inside:
                plus |= sites & Q(span=RollupSpan.MONTH, start=month)
                if lo > month:
                    minus_days |= Q(span=RollupSpan.DAY, start__gte=month, start__lt=lo)
                    minus |= sites & Q(span=RollupSpan.DAY, start__gte=month, start__lt=lo)
                if stored_hi > hi:
                    minus_days |= Q(span=RollupSpan.DAY, start__gt=hi, start__lte=stored_hi)
                    minus |= sites & Q(span=RollupSpan.DAY, start__gt=hi, start__lte=stored_hi)
            else:
                plus |= sites & Q(span=RollupSpan.DAY, start__gte=lo, start__lte=hi)
            month = _next_month(month)
    wanted = plus | minus
    rows = RollupFigures.objects.filter(wanted, dimension=dimension).annotate(
        # (with one last night for every site, the day rows taken off and the day rows read fall on different
        # days: the sign needs no list of sites, which the database would test for each row and column)
        sign=Case(
            When(minus_days if len(by_last) == 1 else minus, then=Value(-1)),
            default=Value(1),
            output_field=IntegerField(),
        )
    )
    if scope.location:
        rows = rows.filter(location=scope.location)
    g = {
        None: None,
        "month": TruncMonth("start"),
        "family": F("value"),
        "technician": F("value"),
        "site": F("site_id"),
        "location": F("location"),
    }[group]

    def value_of(raw):
        if group == "month":
            return _month(raw)
        if group == "technician":
            return int(raw) if raw else None
        return raw

    aggregated: list[tuple[Any, dict[str, Any]]]
    if g is None:
        aggregated = [(None, rows.aggregate(**_SIGNED_SUMS))]
    else:
        grouped = rows.annotate(g=g).values("g").annotate(**_SIGNED_SUMS).order_by("g")
        aggregated = [(r["g"], dict(r)) for r in grouped]
    for raw, sums_row in aggregated:
        f = out[value_of(raw)]
        for c in COUNTERS:
            f.counts[c] += sums_row[c] or 0
        for a in AMOUNTS:
            f.amounts[a] += sums_row[a] or Decimal("0.00")
    if distributions:
        carriers = rows.filter(Q(finished__gt=0) | Q(ftf_returned__gt=0))
        _merge_distributions(out, carriers, g, value_of, signed=True)


def _merge_distributions(out, carriers, g, value_of, *, signed: bool = False) -> None:
    """Add the rows' distributions ({key: count} in JSON) to `out`, summed by the database per group and key
    (json_each / jsonb_each_text): a network year is tens of thousands of rows, which Python would decode one
    by one."""
    carriers = carriers.annotate(g=g if g is not None else Value(0))
    if not signed:
        carriers = carriers.annotate(sign=Value(1))
    carriers = carriers.values("g", "sign", *DISTRIBUTIONS)
    sql, params = carriers.query.sql_with_params()
    each = "jsonb_each_text" if connection.vendor == "postgresql" else "json_each"
    parts = [
        f"SELECT s.g, '{name}', e.key, SUM(CAST(e.value AS INTEGER) * s.sign) FROM ({sql}) s, {each}(s.{name}) e "  # noqa: S608 (names from the model)
        f"GROUP BY s.g, e.key"
        for name in DISTRIBUTIONS
    ]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), list(params) * len(DISTRIBUTIONS))
        for raw, name, key, count in cursor.fetchall():
            if not count:  # a key taken off entirely (month row minus day rows): absent, as live
                continue
            if isinstance(raw, str) and g is not None and raw[:4].isdigit() and raw[4:5] == "-":
                raw = datetime.date.fromisoformat(raw[:10])  # SQLite's month truncation is text
            f = out[value_of(raw) if g is not None else None]
            if name == "turnaround":
                f.turnaround[int(key)] = f.turnaround.get(int(key), 0) + int(count)
            else:
                bucket = getattr(f, name)
                bucket[key] = bucket.get(key, 0) + int(count)


def _month(value) -> datetime.date | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.date().replace(day=1)
    return value.replace(day=1)


def total(scope: Scope, date_from: datetime.date, date_to: datetime.date) -> Figures:
    return figures(scope, date_from, date_to).get(None) or Figures()
