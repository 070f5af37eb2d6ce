"""What each dossier contributes to the indicators, computed set-based for one stretch of time [start, end).

`collect(site_ids, start, end)` returns the figures of the stretch keyed by (day, site, technician, family,
brand, place): the nightly job stores them (aggregate.refresh_day), the pages add the stretch after the last
stored night (today) computed live the same way. About a dozen queries whatever the number of dossiers; each
reads through an index of its table (dossiers by site and state, by site and reception; events, quotes, orders,
invoices by dossier).

Who counts where (the definitions shown on the page, indicators.registry, say the same in French):
- a dossier is « rendu » on the day of its first « Appareil rendu au client » event; the figures of what
  happened to it (outcome, quote, promised date, parts, money, turnaround) count on that day;
- a dossier is « reçu » on its reception day; it is a « retour » when an earlier dossier on an appliance with
  the same brand and serial number was repaired and handed back within the site's repair guarantee before it;
  that return also marks the earlier dossier as « revenu » on ITS hand-back day (first-time fix), row written
  by the night of the return (`computed_for`);
- claims and disputes count on their opening day.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.core.days import day_start  # noqa: F401  (re-exported for aggregate)
from atelier.indicators.models import AMOUNTS, COUNTERS

DEFAULT_GUARANTEE_DAYS = 90  # a site without a RepairGuaranteeTerm: three months, the usual figure
USED_CONDITIONS = ("reconditionne", "occasion")
Key = tuple[datetime.date, int, int | None, str, str, str]


@dataclass
class Figures:
    """Counters, amounts and distributions of one key (or summed over many)."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTERS, 0))
    amounts: dict[str, Decimal] = field(default_factory=lambda: {a: Decimal("0.00") for a in AMOUNTS})
    turnaround: dict[int, int] = field(default_factory=dict)  # days → dossiers
    reasons: dict[str, int] = field(default_factory=dict)
    causes: dict[str, int] = field(default_factory=dict)

    def add(self, other: Figures) -> None:
        for name, value in other.counts.items():
            self.counts[name] += value
        for name, amount in other.amounts.items():
            self.amounts[name] += amount
        for days, n in other.turnaround.items():
            self.turnaround[days] = self.turnaround.get(days, 0) + n
        for mine, theirs in ((self.reasons, other.reasons), (self.causes, other.causes)):
            for label, n in theirs.items():
                mine[label] = mine.get(label, 0) + n

    def bump(self, name: str, by: int = 1) -> None:
        self.counts[name] += by


def local_day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def reason_label(note: str) -> str:
    """The reason of an unrepairable verdict as written, its first line, trimmed (the Pareto groups equal texts)."""
    first = (note or "").strip().splitlines()[0].strip().rstrip(".") if (note or "").strip() else ""
    return (first[:1].upper() + first[1:])[:80] if first else _("Raison non renseignée")


class _Guarantees:
    """The repair guarantee (days) of each site on a date, from aftersales.RepairGuaranteeTerm (data)."""

    def __init__(self, site_ids: Iterable[int]):
        from atelier.aftersales.models import RepairGuaranteeTerm

        self.terms: dict[int, list[tuple[datetime.date, int]]] = defaultdict(list)
        for site_id, valid_from, days in (
            RepairGuaranteeTerm.objects.filter(site_id__in=list(site_ids))
            .order_by("site_id", "valid_from")
            .values_list("site_id", "valid_from", "days")
        ):
            self.terms[site_id].append((valid_from, days))

    def days(self, site_id: int, on: datetime.date) -> int:
        found = DEFAULT_GUARANTEE_DAYS
        for valid_from, days in self.terms.get(site_id, ()):
            if valid_from <= on:
                found = days
        return found


class _Nights(dict):
    """{night: {key: Figures}}: each contribution filed under the day whose night stores it (the hand-back, the
    reception, the opening), so a whole stretch is computed in one go and stored night by night."""

    def at(self, night: datetime.date, key: Key) -> Figures:
        keys = self.setdefault(night, {})
        if key not in keys:
            keys[key] = Figures()
        return keys[key]


def collect_by_night(
    site_ids: Iterable[int], start: datetime.datetime, end: datetime.datetime
) -> dict[datetime.date, dict[Key, Figures]]:
    """The figures of what happened on these sites in [start, end), by night then key (module docstring)."""
    site_ids = list(site_ids)
    out = _Nights()
    if not site_ids or start >= end:
        return out
    guarantees = _Guarantees(site_ids)
    _finished(out, site_ids, start, end)
    _received(out, site_ids, start, end, guarantees)
    _claims_and_disputes(out, site_ids, start, end)
    return out


def collect(site_ids: Iterable[int], start: datetime.datetime, end: datetime.datetime) -> dict[Key, Figures]:
    """The same, all nights added: what the pages compute live for the days not stored yet."""
    flat: dict[Key, Figures] = defaultdict(Figures)
    for keys in collect_by_night(site_ids, start, end).values():
        for key, f in keys.items():
            flat[key].add(f)
    return flat


def _dims(row: dict) -> tuple[int, int | None, str, str, str]:
    return (
        row["site_id"],
        row["technician_id"],
        row["appliance__family"] or "",
        row["appliance__brand"] or "",
        row["location"],
    )


CASE_FIELDS = (
    "pk",
    "site_id",
    "technician_id",
    "appliance__family",
    "appliance__brand",
    "location",
    "received_at",
)


def finished_candidates(site_ids, start):
    """The dossiers that may have been handed back since `start`: still « rendu », or closed since, through the
    (site, state, …) indexes. No order: the model's, newest received first, had SQLite walk every dossier of
    the site in that order (issue 16; repairs/tests/test_query_plans.py)."""
    from django.db.models import Q

    from atelier.repairs.choices import CaseStatus as S
    from atelier.repairs.models import RepairCase

    return (
        RepairCase.objects.filter(site_id__in=site_ids)
        .filter(Q(status=S.RENDU, status_changed_at__gte=start) | Q(status=S.CLOTURE, closed_at__gte=start))
        .order_by()
    )


def _finished(out: _Nights, site_ids: list[int], start, end) -> None:
    from atelier.billing.models import Invoice
    from atelier.diagnostics.models import Diagnosis
    from atelier.quotes.models import Quote, QuoteLine, RepairOrder
    from atelier.repairs.choices import CaseStatus as S
    from atelier.repairs.models import CaseEvent

    cases = {row["pk"]: row for row in finished_candidates(site_ids, start).values(*CASE_FIELDS)}
    if not cases:
        return
    events: dict[int, list[tuple]] = defaultdict(list)
    for row in (
        CaseEvent.objects.filter(case_id__in=list(cases), kind="transition")
        .order_by("case_id", "at", "pk")
        .values_list("case_id", "at", "from_status", "to_status", "note")
    ):
        events[row[0]].append(row[1:])
    handed: dict[int, datetime.datetime] = {}
    for case_id, rows in events.items():
        first = next((at for at, _f, to, _n in rows if to == S.RENDU), None)
        if first is not None and start <= first < end:
            handed[case_id] = first
    if not handed:
        return
    ids = list(handed)
    no_fault = set(Diagnosis.objects.filter(case_id__in=ids, unsolved=True).values_list("case_id", flat=True))
    decisions: dict[int, str] = {}
    accepted_quote: dict[int, int] = {}
    for case_id, quote_id, status in (
        Quote.objects.filter(case_id__in=ids, status__in=("accepte", "refuse"))
        .order_by("case_id", "version")
        .values_list("case_id", "pk", "status")
    ):
        decisions[case_id] = status
        if status == "accepte":
            accepted_quote[case_id] = quote_id
    promised: dict[int, datetime.date] = {}
    for case_id, promised_on in (
        RepairOrder.objects.filter(case_id__in=ids)
        .order_by("case_id", "created_at")
        .values_list("case_id", "promised_on")
    ):
        promised[case_id] = promised_on
    parts: dict[int, list[tuple]] = defaultdict(list)
    quote_case = {q: c for c, q in accepted_quote.items()}
    for quote_id, quantity, condition, cost in QuoteLine.objects.filter(
        quote_id__in=list(quote_case), part__isnull=False
    ).values_list("quote_id", "quantity", "part_condition", "part__purchase_price_ht"):
        parts[quote_case[quote_id]].append((quantity, condition, cost))
    revenue: dict[int, Decimal] = defaultdict(lambda: Decimal("0.00"))
    for case_id, kind, total in Invoice.objects.filter(case_id__in=ids).values_list(
        "case_id", "kind", "total_ht"
    ):
        revenue[case_id] += -abs(total) if kind == "avoir" else total

    for case_id, at in handed.items():
        case = cases[case_id]
        f = out.at(local_day(at), (local_day(at), *_dims(case)))
        rows = events[case_id]
        reached = {to for _a, _f, to, _n in rows}
        f.bump("finished")
        days = (local_day(at) - local_day(case["received_at"])).days
        f.turnaround[days] = f.turnaround.get(days, 0) + 1
        if S.REPARE in reached:
            f.bump("repaired")
            f.bump("ftf_eligible")
        elif S.NON_REPARABLE in reached:
            f.bump("unrepairable")
            note = next((n for _a, _f, to, n in rows if to == S.NON_REPARABLE), "")
            label = reason_label(note)
            f.reasons[label] = f.reasons.get(label, 0) + 1
        elif S.REFUSE in reached:
            f.bump("refused")
        if case_id in no_fault:
            f.bump("no_fault")
        if decisions.get(case_id) == "accepte":
            f.bump("quotes_accepted")
        elif decisions.get(case_id) == "refuse":
            f.bump("quotes_refused")
        ready = next((a for a, _f, to, _n in rows if to == S.PRET), None)
        if case_id in promised and ready is not None:
            f.bump("promised")
            if local_day(ready) <= promised[case_id]:
                f.bump("promised_kept")
        waited = _parts_wait_hours(rows, S.ATTENTE_PIECES)
        if waited is not None:
            f.bump("parts_waits")
            f.bump("parts_wait_hours", waited)
        for quantity, condition, cost in parts[case_id]:
            n = int(quantity)
            f.bump("parts", n)
            if condition in USED_CONDITIONS:
                f.bump("used_parts", n)
            f.amounts["cost_ht"] += (cost or Decimal("0.00")) * quantity
        f.amounts["revenue_ht"] += revenue.get(case_id, Decimal("0.00"))


def _parts_wait_hours(rows: list[tuple], waiting: str) -> int | None:
    """Whole hours spent « en attente de pièces » (all stays added), None when the dossier never waited."""
    total, since, waited = 0.0, None, False
    for at, from_status, to_status, _note in rows:
        if since is not None and from_status == waiting:
            total += (at - since).total_seconds()
            since = None
        if to_status == waiting:
            since, waited = at, True
    return round(total / 3600) if waited else None


def _received(out: _Nights, site_ids: list[int], start, end, guarantees: _Guarantees) -> None:
    from atelier.diagnostics.models import Diagnosis
    from atelier.repairs.choices import CaseStatus as S
    from atelier.repairs.models import CaseEvent, RepairCase

    received = list(
        RepairCase.objects.filter(site_id__in=site_ids, received_at__gte=start, received_at__lt=end).values(
            *CASE_FIELDS, "appliance__serial_number"
        )
    )
    by_serial: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for case in received:
        night = local_day(case["received_at"])
        out.at(night, (night, *_dims(case))).bump("received")
        serial = (case["appliance__serial_number"] or "").strip()
        if serial:
            by_serial[(case["appliance__brand"].strip().lower(), serial)].append(case)
    if not by_serial:
        return
    # earlier dossiers on the same serial numbers (index on the serial), repaired and handed back
    earlier = list(
        RepairCase.objects.filter(
            site_id__in=site_ids, appliance__serial_number__in={s for _b, s in by_serial}, received_at__lt=end
        ).values(*CASE_FIELDS, "appliance__serial_number")
    )
    earlier_ids = [c["pk"] for c in earlier]
    moments: dict[int, dict[str, datetime.datetime]] = defaultdict(dict)
    for case_id, at, to in (
        CaseEvent.objects.filter(
            case_id__in=earlier_ids, kind="transition", to_status__in=(S.REPARE, S.RENDU)
        )
        .order_by("at", "pk")
        .values_list("case_id", "at", "to_status")
    ):
        moments[case_id].setdefault(to, at)
    causes = dict(
        Diagnosis.objects.filter(case_id__in=earlier_ids, confirmed_cause__isnull=False).values_list(
            "case_id", "confirmed_cause__title"
        )
    )
    for key, new_cases in by_serial.items():
        olds = [
            c
            for c in earlier
            if (c["appliance__brand"].strip().lower(), c["appliance__serial_number"].strip()) == key
        ]
        for new in new_cases:
            original = None
            for old in olds:
                m = moments.get(old["pk"], {})
                back = m.get(S.RENDU)
                if old["pk"] == new["pk"] or S.REPARE not in m or back is None or back > new["received_at"]:
                    continue
                limit = guarantees.days(old["site_id"], local_day(back))
                if (local_day(new["received_at"]) - local_day(back)).days <= limit:
                    if original is None or back > moments[original["pk"]][S.RENDU]:
                        original = old  # the latest repair before this one
            if original is None:
                continue
            night = local_day(new["received_at"])
            out.at(night, (night, *_dims(new))).bump("repeats")
            back_day = local_day(moments[original["pk"]][S.RENDU])
            f = out.at(
                night, (back_day, *_dims(original))
            )  # stored by the return's night, on the original's day
            f.bump("ftf_returned")
            cause = causes.get(original["pk"]) or _("Cause non renseignée")
            f.causes[cause] = f.causes.get(cause, 0) + 1


def _claims_and_disputes(out: _Nights, site_ids: list[int], start, end) -> None:
    from atelier.aftersales.models import Claim
    from atelier.disputes.models import Dispute

    for row in Claim.objects.filter(site_id__in=site_ids, opened_at__gte=start, opened_at__lt=end).values(
        "site_id",
        "opened_at",
        "appliance__family",
        "appliance__brand",
        "earlier_case__technician_id",
        "earlier_case__location",
    ):
        dims = (
            row["site_id"],
            row["earlier_case__technician_id"],
            row["appliance__family"] or "",
            row["appliance__brand"] or "",
            row["earlier_case__location"] or "atelier",
        )
        night = local_day(row["opened_at"])
        out.at(night, (night, *dims)).bump("claims")
    disputes = Dispute.objects.filter(site_id__in=site_ids, opened_at__gte=start, opened_at__lt=end)
    for dispute in disputes.values(
        "site_id",
        "opened_at",
        "case__appliance__family",
        "case__appliance__brand",
        "case__technician_id",
        "case__location",
    ):
        dims = (
            dispute["site_id"],
            dispute["case__technician_id"],
            dispute["case__appliance__family"] or "",
            dispute["case__appliance__brand"] or "",
            dispute["case__location"] or "atelier",
        )
        night = local_day(dispute["opened_at"])
        out.at(night, (night, *dims)).bump("disputes")
