"""What the indicators page, its CSV exports and the API show, from validated filters (forms.IndicatorFilters)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

from atelier.core.models import Site, User
from atelier.customers.choices import ProductFamily
from atelier.indicators import charts
from atelier.indicators.aggregate import Scope
from atelier.indicators.aggregate import figures as _figures
from atelier.indicators.facts import Figures
from atelier.indicators.registry import INDICATORS, Data, Indicator, Result, fr_number, fr_percent, rate

MONTHS = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.")


@dataclass
class Line:
    indicator: Indicator
    now: Result
    before: Result

    @property
    def trend(self) -> str:
        """↗ / ↘ / = against the previous period, and whether that is good news."""
        a, b = self.now.value, self.before.value
        if a is None or b is None or a == b:
            return "="
        return "↗" if a > b else "↘"

    @property
    def better(self) -> bool | None:
        a, b = self.now.value, self.before.value
        if a is None or b is None or a == b:
            return None
        return (a > b) == self.now.higher_is_better


def data_for(
    scope: Scope, date_from: datetime.date, date_to: datetime.date, live_cache: dict | None = None
) -> Data:
    by_location = dict(_figures(scope, date_from, date_to, group="location", live_cache=live_cache))
    total = Figures()
    for f in by_location.values():
        total.add(f)
    return Data(total, by_location, scope, date_from, date_to)


def indicator_lines(
    scope: Scope,
    period: tuple[datetime.date, datetime.date],
    previous: tuple[datetime.date, datetime.date],
    codes: list[str] | None = None,
    live_cache: dict | None = None,
) -> list[Line]:
    now = data_for(scope, period[0], period[1], live_cache)
    before = data_for(scope, previous[0], previous[1], live_cache)
    return [
        Line(i, i.compute(now), i.compute(before)) for i in INDICATORS if codes is None or i.code in codes
    ]


def month_label(month: datetime.date) -> str:
    return f"{MONTHS[month.month - 1]} {month:%y}"


def _twelve_months(date_to: datetime.date) -> tuple[datetime.date, list[datetime.date]]:
    first = date_to.replace(day=1)
    months = []
    for _i in range(12):
        months.append(first)
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    months.reverse()
    return months[0], months


def build_charts(
    scope: Scope,
    date_from: datetime.date,
    date_to: datetime.date,
    *,
    network: bool = False,
    live_cache: dict | None = None,
) -> list[charts.Chart]:
    """The page's charts: trends over the 12 months up to the period's end; bars and Paretos over the period."""
    out: list[charts.Chart] = []
    cache = {} if live_cache is None else live_cache

    def figures(*args, **kwargs):  # every reading of the page shares today's live figures
        return _figures(*args, live_cache=cache, **kwargs)

    start, months = _twelve_months(date_to)
    by_month = figures(scope, start, date_to, group="month", distributions=False)
    labels = [month_label(m) for m in months]
    received = [by_month.get(m, Figures()).counts["received"] for m in months]
    finished = [by_month.get(m, Figures()).counts["finished"] for m in months]
    title = _("Dossiers reçus et rendus par mois")
    c = charts.Chart(
        "tendance_volumes",
        title,
        [_("Mois"), _("Reçus"), _("Rendus")],
        [[lab, str(r), str(f)] for lab, r, f in zip(labels, received, finished, strict=True)],
    )
    c.svg = charts.line_chart(
        labels,
        [(_("Reçus"), [float(v) for v in received]), (_("Rendus"), [float(v) for v in finished])],
        title=title,
    )
    out.append(c)

    def rates(f: Figures) -> tuple[float | None, float | None, float | None]:
        k = f.counts
        return (
            rate(k["ftf_eligible"] - k["ftf_returned"], k["ftf_eligible"]),
            rate(k["quotes_accepted"], k["quotes_accepted"] + k["quotes_refused"]),
            rate(k["repaired"], k["repaired"] + k["unrepairable"]),
        )

    per_month = [rates(by_month.get(m, Figures())) for m in months]
    title = _("Taux par mois")
    names = [_("Premier coup"), _("Devis acceptés"), _("Réparés")]
    c = charts.Chart(
        "tendance_taux",
        title,
        [_("Mois"), *names],
        [[lab, *(fr_percent(v) for v in r)] for lab, r in zip(labels, per_month, strict=True)],
    )
    c.svg = charts.line_chart(
        labels, [(n, [r[i] for r in per_month]) for i, n in enumerate(names)], title=title, unit=" %"
    )
    out.append(c)

    families = dict(ProductFamily.choices)
    by_family = figures(scope, date_from, date_to, group="family", distributions=False)
    out.append(
        _bars(
            by_family,
            "family",
            _("Dossiers rendus par famille"),
            lambda v: str(families.get(v, v or _("Sans famille"))),
        )
    )
    by_tech = figures(scope, date_from, date_to, group="technician", distributions=False)
    names_of = {
        u.pk: u.get_full_name() or u.username
        for u in User.objects.filter(pk__in=[v for v in by_tech if v is not None])
    }
    out.append(
        _bars(
            by_tech,
            "technician",
            _("Dossiers rendus par technicien"),
            lambda v: names_of.get(v, _("Non affecté")),
        )
    )
    if network:
        codes = dict(Site.objects.filter(pk__in=scope.site_ids).values_list("pk", "code"))
        by_site = figures(scope, date_from, date_to, group="site", distributions=False)
        out.insert(0, _bars(by_site, "site", _("Dossiers rendus par site"), lambda v: codes.get(v, "?")))

    total = Figures()  # the period's reading per place (the indicators' own, read once for the page)
    for f in figures(scope, date_from, date_to, group="location").values():
        total.add(f)
    for code, title, items in (
        ("pareto_retours", _("Causes des retours sous garantie (Pareto)"), total.causes),
        ("pareto_non_reparables", _("Raisons des verdicts « non réparable » (Pareto)"), total.reasons),
    ):
        rows = charts.pareto(list(items.items()))
        c = charts.Chart(
            code,
            title,
            [_("Cause"), _("Nombre"), _("Cumul")],
            [[lab, str(n), fr_percent(cum)] for lab, n, cum in rows],
        )
        c.svg = charts.pareto_chart(rows, title=title)
        out.append(c)
    return out


def _bars(grouped: dict, group: str, title: str, name) -> charts.Chart:
    items = sorted(
        ((name(v), f) for v, f in grouped.items() if f.counts["finished"]),
        key=lambda kv: (-kv[1].counts["finished"], kv[0]),
    )
    rows = []
    for label, f in items:
        k = f.counts
        rows.append(
            [
                label,
                str(k["finished"]),
                fr_percent(rate(k["ftf_eligible"] - k["ftf_returned"], k["ftf_eligible"])),
                fr_percent(rate(k["repaired"], k["repaired"] + k["unrepairable"])),
            ]
        )
    c = charts.Chart(f"par_{group}", title, [_("Groupe"), _("Rendus"), _("Premier coup"), _("Réparés")], rows)
    c.svg = charts.bar_chart([(label, float(f.counts["finished"])) for label, f in items], title=title)
    return c


def as_number(value) -> float | str | None:
    """A value for JSON: floats rounded to 0.1, Decimal as text (money stays exact)."""
    if value is None:
        return None
    if isinstance(value, float):
        return round(value, 1)
    if isinstance(value, int):
        return value
    return str(value)


__all__ = ["Line", "build_charts", "data_for", "fr_number", "indicator_lines", "as_number"]
