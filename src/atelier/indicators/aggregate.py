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
from django.db.models import CharField, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Cast, TruncMonth
from django.utils import timezone

from atelier.core.models import Site
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
    StaleNetworkDay,
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
    # the network's rows no longer sum these days exactly: read the sites' rows until they are rebuilt
    StaleNetworkDay.objects.bulk_create(
        [StaleNetworkDay(day=d) for d in sorted(touched)], batch_size=1000, ignore_conflicts=True
    )
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


@transaction.atomic
def rebuild_network(days=None) -> int:
    """Rewrite the network's roll-up rows (no site: every site's rows summed) for these days and their months,
    by default the stale ones (StaleNetworkDay), which are then cleared; rows written. A normal night is one day
    and its month: about a thousand site rows read."""
    stale = StaleNetworkDay.objects.select_for_update()
    if days is None:
        days = list(stale.values_list("day", flat=True))
    days = sorted(set(days))
    if not days:
        return 0
    months = sorted({d.replace(day=1) for d in days})
    network = RollupFigures.objects.filter(site__isnull=True)
    wanted = Q(span=RollupSpan.DAY, start__in=days) | Q(span=RollupSpan.MONTH, start__in=months)
    network.filter(wanted).delete()
    sources = RollupFigures.objects.filter(wanted, site__isnull=False)
    made: dict[tuple, RollupFigures] = {}
    for typed in (
        sources.values("span", "start", "location", "dimension", "value").annotate(**_SUMS).order_by()
    ):
        r: dict[str, Any] = dict(typed)
        key = (r["span"], r["start"], r["location"], r["dimension"], r["value"])
        made[key] = RollupFigures(
            span=r["span"],
            start=r["start"],
            site=None,
            location=r["location"],
            dimension=r["dimension"],
            value=r["value"],
            **{c: r[c] or 0 for c in COUNTERS},
            **{a: r[a] or Decimal("0.00") for a in AMOUNTS},
        )
    carriers = sources.filter(Q(finished__gt=0) | Q(ftf_returned__gt=0), dimension=RollupDimension.PLACE)
    for span, start, location, *dists in carriers.values_list("span", "start", "location", *DISTRIBUTIONS):
        _merge(made[(span, start, location, RollupDimension.PLACE, "")], *dists)
    RollupFigures.objects.bulk_create(made.values(), batch_size=1000)
    StaleNetworkDay.objects.filter(day__in=days).delete()
    return len(made)


def _network_applies(scope: Scope, stored: dict, date_from: datetime.date, date_to: datetime.date) -> bool:
    """Whether the network's rows give exactly the scope's sums: the scope holds every site with stored figures,
    all of them stored up to the same night, and no day of the months read changed since the last summing."""
    if len(scope.site_ids) < 2 or len(set(stored.values())) != 1:
        return False
    outside = list(Site.objects.exclude(pk__in=scope.site_ids).values_list("pk", flat=True))
    if outside and ComputedDay.objects.filter(site_id__in=outside).exists():
        return False
    first, last = date_from.replace(day=1), _next_month(date_to)
    return not StaleNetworkDay.objects.filter(day__gte=first, day__lt=last).exists()


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
    """Each site's last stored night: one probe per site down its (site, day) index, not a MAX over every
    stored day of every site (a network of 250 sites keeps 100,000 of them)."""
    latest = ComputedDay.objects.filter(site_id=OuterRef("pk")).order_by("-day").values("day")[:1]
    rows = (
        Site.objects.filter(pk__in=list(site_ids))
        .order_by()
        .annotate(last=Subquery(latest))
        .values_list("pk", "last")
    )
    return {pk: last for pk, last in rows if last is not None}


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
            network = False
            if group != "site":  # the bars by site need the sites' own rows
                decided = ("network", scope.site_ids, date_from, date_to)
                if live_cache is not None and decided in live_cache:
                    network = live_cache[decided]
                else:
                    network = _network_applies(scope, stored, date_from, date_to)
                    if live_cache is not None:
                        live_cache[decided] = network
            _read_rollup(out, scope, stored, date_from, date_to, group, dimension, distributions, network)
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


def _read_rollup(
    out, scope, stored, date_from, date_to, group, dimension, distributions, network=False
) -> None:
    """The roll-up rows of the period, each site up to its last stored night, summed in SQL in one grouped query
    per reading (and one for the rows taken off). Per month of the period, whichever reads fewer rows: its
    month row alone (the month is inside the period, or its days outside are not stored yet: the current
    month), the month row MINUS the day rows outside the period, or the day rows inside. A month row is the
    exact sum of its day rows, so each way gives the same sums. `network`: the network's rows (no site) stand
    for every site's."""
    plus_parts: list[Q] = []  # per group of sites stored up to the same night: its sites AND (its rows)
    minus_parts: list[Q] = []
    by_last: dict[datetime.date, list[int]] = defaultdict(list)
    for site_id, last in stored.items():
        by_last[last].append(site_id)
    one_day = datetime.timedelta(days=1)
    for last, site_ids in by_last.items():
        end = min(date_to, last)
        if end < date_from:
            continue
        added, taken_off = [], []
        month = date_from.replace(day=1)
        while month <= end:
            month_last = _next_month(month) - one_day
            lo, hi = max(month, date_from), min(month_last, end)
            stored_hi = min(month_last, last)  # the month row covers month..stored_hi
            outside = (lo - month).days + (stored_hi - hi).days
            inside = (hi - lo).days + 1
            if outside < inside:
                added.append(Q(span=RollupSpan.MONTH, start=month))
                if lo > month:
                    taken_off.append(Q(span=RollupSpan.DAY, start__gte=month, start__lt=lo))
                if stored_hi > hi:
                    taken_off.append(Q(span=RollupSpan.DAY, start__gt=hi, start__lte=stored_hi))
            else:
                added.append(Q(span=RollupSpan.DAY, start__gte=lo, start__lte=hi))
            month = _next_month(month)
        sites = Q(site__isnull=True) if network else Q(site_id__in=site_ids)
        if added:
            plus_parts.append(sites & _any(added))
        if taken_off:
            minus_parts.append(sites & _any(taken_off))
    if not plus_parts:
        return

    def rows_of(which: Q):
        rows = RollupFigures.objects.filter(which, dimension=dimension)
        return rows.filter(location=scope.location) if scope.location else rows

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

    # the rows added, then the day rows taken off their month rows (two plain sums: a sign computed in SQL
    # would be evaluated for every row and every column)
    for parts, sign in ((plus_parts, 1), (minus_parts, -1)):
        if not parts:
            continue
        rows = rows_of(_any(parts))
        aggregated: list[tuple[Any, dict[str, Any]]]
        if g is None:
            aggregated = [(None, rows.aggregate(**_SUMS))]
        else:
            grouped = rows.annotate(g=g).values("g").annotate(**_SUMS).order_by("g")
            aggregated = [(r["g"], dict(r)) for r in grouped]
        for raw, sums_row in aggregated:
            f = out[value_of(raw)]
            for c in COUNTERS:
                f.counts[c] += sign * (sums_row[c] or 0)
            for a in AMOUNTS:
                f.amounts[a] += sign * (sums_row[a] or Decimal("0.00"))
        if distributions:
            carriers = rows.filter(Q(finished__gt=0) | Q(ftf_returned__gt=0))
            _merge_distributions(out, carriers, g, value_of, sign=sign)
    if distributions and minus_parts:
        for f in out.values():  # a key taken off entirely (month row minus day rows): absent, as live
            for bucket in (f.turnaround, f.reasons, f.causes):
                for key in [k for k, n in bucket.items() if not n]:
                    del bucket[key]


def _merge_distributions(out, carriers, g, value_of, *, sign: int = 1) -> None:
    """Add the rows' distributions ({key: count} in JSON) to `out` (times `sign`), summed by the database per
    group and key (json_each / jsonb_each_text): a network year is tens of thousands of rows, which Python
    would decode one by one."""
    carriers = carriers.annotate(g=g if g is not None else Value(0)).values("g", *DISTRIBUTIONS).order_by()
    sql, params = carriers.query.sql_with_params()
    each = "jsonb_each_text" if connection.vendor == "postgresql" else "json_each"
    parts = [
        f"SELECT s.g, '{name}', e.key, SUM(CAST(e.value AS INTEGER)) FROM ({sql}) s, {each}(s.{name}) e "  # noqa: S608 (names from the model)
        f"GROUP BY s.g, e.key"
        for name in DISTRIBUTIONS
    ]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), list(params) * len(DISTRIBUTIONS))
        for raw, name, key, count in cursor.fetchall():
            if isinstance(raw, str) and g is not None and raw[:4].isdigit() and raw[4:5] == "-":
                raw = datetime.date.fromisoformat(raw[:10])  # SQLite's month truncation is text
            f = out[value_of(raw) if g is not None else None]
            if name == "turnaround":
                f.turnaround[int(key)] = f.turnaround.get(int(key), 0) + sign * int(count)
            else:
                bucket = getattr(f, name)
                bucket[key] = bucket.get(key, 0) + sign * int(count)


def _any(conditions: list[Q]) -> Q:
    combined = Q()
    for condition in conditions:
        combined |= condition
    return combined


def _month(value) -> datetime.date | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.date().replace(day=1)
    return value.replace(day=1)


def total(scope: Scope, date_from: datetime.date, date_to: datetime.date) -> Figures:
    return figures(scope, date_from, date_to).get(None) or Figures()
