"""The workshop week (C1.1 at the bench): bench jobs ranked, then placed by a greedy scheduler in the
technicians' working hours next to their home visits; jobs at risk of missing their promised date flagged.

Ranking, most pressing first (each job carries the sentence that explains its rank):
1. priority: urgent (cold appliances, as for visits) before normal;
2. promised date, earliest first (none: last);
3. parts: reserved before missing (a job waiting for parts cannot start before their expected date);
4. skills: the fewer technicians able to do it, the earlier it is placed (they are the scarce ones).
Booked drop-offs are placed before the jobs: their diagnosis time is bench capacity already promised.

Placing: in rank order, each job goes to the able technician who finishes it soonest, filling the free gaps of
his days (working hours minus the break, his validated home tours or planned visits, and the jobs placed
before), from the day its parts are expected. A job may run over several gaps and days. No job is split
between technicians. Everything is computed on reading: nothing to keep in sync.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, F, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.core.choices import Role
from atelier.customers.choices import ProductFamily
from atelier.planning.builder import WEEKDAYS, at, seconds
from atelier.planning.models import SLOT_START, DropOff, PlanRoute, TechnicianProfile, Visit
from atelier.planning.services.visits import BASE_MINUTES
from atelier.quotes.choices import LineKind
from atelier.quotes.models import RepairOrder, RepairOrderPart
from atelier.quotes.skills import read_skills
from atelier.repairs.choices import CaseStatus, WorkLocation
from atelier.repairs.models import RepairCase

BENCH_STATUSES = (CaseStatus.EN_ATELIER, CaseStatus.ATTENTE_PIECES, CaseStatus.EN_REPARATION)
DIAGNOSIS_MINUTES = 30  # bench time a booked drop-off reserves on its half-day
VISIT_MINUTES = 60  # a planned visit with no validated tour and no visit to plan
URGENT_FAMILIES = ("froid",)
FAR = datetime.date.max


def week_days(week: str | None) -> list[datetime.date]:
    """Monday to Saturday of an ISO week `AAAA-Snn` / `YYYY-Www` (this week when missing); ValueError if not."""
    if not week:  # the week of the next working day: on Sunday, the coming one
        today = timezone.localdate()
        if today.weekday() == 6:
            today += datetime.timedelta(days=1)
        monday = today - datetime.timedelta(days=today.weekday())
    else:
        year, _sep, number = week.upper().replace("S", "W").partition("-W")
        monday = datetime.date.fromisocalendar(int(year), int(number), 1)
    return [monday + datetime.timedelta(days=n) for n in range(6)]


def week_code(day: datetime.date) -> str:
    year, number, _weekday = day.isocalendar()
    return f"{year}-W{number:02d}"


@dataclass
class Slot:
    technician: int  # user pk
    start: datetime.datetime
    end: datetime.datetime


@dataclass
class Job:
    key: str  # "case:<pk>" or "depot:<pk>"
    case: RepairCase | None
    dropoff: DropOff | None
    family: str
    urgent: bool
    promised_on: datetime.date | None
    minutes: int
    needs: list[str]
    parts_missing: str = ""
    parts_eta: datetime.date | None = None
    pinned_to: int | None = None
    not_before: datetime.datetime | None = None  # a drop-off is on the bench from its half-day only
    able: list[int] = field(default_factory=list)
    rank: int = 0
    reason: str = ""
    slots: list[Slot] = field(default_factory=list)
    unplaced: str = ""
    at_risk: str = ""
    technician_name: str = ""

    @property
    def family_label(self) -> str:
        return str(dict(ProductFamily.choices).get(self.family, self.family))

    @property
    def technician(self) -> int | None:
        return self.slots[0].technician if self.slots else None

    @property
    def finish(self) -> datetime.datetime | None:
        return self.slots[-1].end if self.slots else None

    @property
    def hours(self) -> str:
        return (
            f"{self.minutes // 60} h {self.minutes % 60:02d}"
            if self.minutes % 60
            else f"{self.minutes // 60} h"
        )


def _d(day: datetime.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


# ---------------------------------------------------------------- reading the jobs


def _parts(orders: list[RepairOrder], today: datetime.date) -> dict[int, tuple[str, datetime.date | None]]:
    """order pk → (what is missing, when it is expected) from the stock reservations, in two queries."""
    from atelier.stock.choices import ReservationStatus
    from atelier.stock.models import Reservation

    lines = list(RepairOrderPart.objects.filter(order__in=orders).select_related("part", "order"))
    held: dict[int, Decimal] = defaultdict(Decimal)
    for r in Reservation.objects.filter(order_part__in=lines).exclude(status=ReservationStatus.ANNULEE):
        held[r.order_part_id] += r.quantity if r.status == ReservationStatus.ACTIVE else r.consumed
    found: dict[int, tuple[list[str], datetime.date | None]] = {}
    for line in lines:
        lacking = line.quantity - held[line.pk]
        if lacking <= 0:
            continue
        missing, eta = found.get(line.order_id, ([], None))
        expected = max(
            timezone.localtime(line.order.created_at).date() + datetime.timedelta(days=line.lead_time_days),
            today + datetime.timedelta(days=1),  # overdue or unknown: not before tomorrow
        )
        missing.append(_("%(ref)s manquante") % {"ref": line.part.reference})
        found[line.order_id] = (missing, max(eta, expected) if eta else expected)
    return {pk: (", ".join(m), eta) for pk, (m, eta) in found.items()}


def _sites(site) -> dict:
    """The filter on one site or on several (plan_weeks reads every site of a chain manager at once)."""
    return {"site__in": site} if isinstance(site, list | tuple) else {"site": site}


def bench_cases(site):
    """The site's (or sites') dossiers on the bench or accepted for it, unsorted (bench_jobs sorts them).

    `status IN (…)` first, so that the index on (site, status) reads only these open dossiers; the repair order
    is asked with EXISTS (a LEFT JOIN + DISTINCT inside an OR read every dossier of the site, issue 16). No
    ORDER BY: to spare a sort SQLite walked the whole site newest first (repaircase_site_received), its
    statistics averaging the states so that these rare ones looked common."""
    with_order = RepairOrder.objects.filter(case=OuterRef("pk"))
    return (
        RepairCase.objects.filter(
            **_sites(site), location=WorkLocation.ATELIER, status__in=(*BENCH_STATUSES, CaseStatus.ACCEPTE)
        )
        .filter(Q(status__in=BENCH_STATUSES) | Exists(with_order))
        .select_related("customer", "appliance", "technician")
        .order_by()
    )


def bench_jobs(site, today: datetime.date) -> list[Job]:
    """Dossiers in the workshop (en atelier, attente de pièces, en réparation) and accepted workshop repair
    orders, with their order's promised date, skills, labour hours and parts; oldest received first (one site,
    or several: each job's `case.site_id` tells its site)."""
    cases = sorted(bench_cases(site), key=lambda case: (case.received_at, case.pk))
    orders: dict[int, RepairOrder] = {}
    for order in (
        RepairOrder.objects.filter(case__in=cases)
        .annotate(
            labour=Sum("quote__lines__quantity", filter=Q(quote__lines__kind=LineKind.MAIN_OEUVRE)),
        )
        .order_by("created_at", "pk")
    ):
        orders[order.case_id] = order  # the latest order of the dossier
    parts = _parts(list(orders.values()), today)
    jobs = []
    for case in cases:
        order = orders.get(case.pk)
        family = case.appliance.family
        labour = getattr(order, "labour", None)
        minutes = round(labour * 60) if labour else BASE_MINUTES.get(family, 45)
        missing, eta = parts.get(order.pk, ("", None)) if order else ("", None)
        if case.status == CaseStatus.ATTENTE_PIECES and not missing:  # waiting, no reservation tells for what
            missing, eta = _("pièces attendues (sans date connue)"), today + datetime.timedelta(days=1)
        jobs.append(
            Job(
                key=f"case:{case.pk}",
                case=case,
                dropoff=None,
                family=family,
                urgent=family in URGENT_FAMILIES,
                promised_on=order.promised_on if order else None,
                minutes=max(minutes, 15),
                needs=read_skills(order.skills)[0] if order else [],
                parts_missing=missing,
                parts_eta=eta,
                pinned_to=case.technician_id,
            )
        )
    return jobs


def dropoff_jobs(site, days: list[datetime.date]) -> list[Job]:
    return [
        Job(
            key=f"depot:{d.pk}",
            case=None,
            dropoff=d,
            family=d.family,
            urgent=False,
            promised_on=None,
            minutes=DIAGNOSIS_MINUTES,
            needs=[],
            parts_eta=d.day,
            not_before=at(d.day, seconds(SLOT_START[d.slot])),
        )
        for d in DropOff.objects.filter(
            **_sites(site), day__in=days, cancelled_at__isnull=True
        ).select_related("customer", "appliance")
    ]


# ---------------------------------------------------------------- technicians and their busy hours


def _capabilities(profile: TechnicianProfile) -> set[str]:
    caps = {f"famille:{f}" for f in profile.families}
    if profile.repair_level >= 2:
        caps.add("niveau:2")
    for flag, code in (
        (profile.electrical_clearance, "hab:elec"),
        (profile.gas, "gaz"),
        (profile.refrigerant_certificate, "fluides"),
    ):
        if flag:
            caps.add(code)
    return caps


def technicians(site) -> list[TechnicianProfile]:
    return list(
        TechnicianProfile.objects.filter(**_sites(site), is_active=True, user__is_active=True)
        .filter(user__roles__role=Role.TECHNICIEN)
        .select_related("user")
        .prefetch_related("days_off")
        .distinct()
    )


@dataclass
class Busy:
    technician: int
    start: datetime.datetime
    end: datetime.datetime
    label: str
    kind: str  # "tournee" (validated tour), "visite" (planned visit), "pause"
    site_id: int | None = None  # the site of the tour or the visit (plan_weeks reads several at once)


def busy_hours(site, profiles: list[TechnicianProfile], days: list[datetime.date]) -> list[Busy]:
    """Home visits of the week: validated tours (leave → back), else the planned visit of the dossier (of one
    site, or of several: each with its site)."""
    ids = [p.user_id for p in profiles]
    busy = []
    toured: set[tuple[int, int, datetime.date]] = set()
    plan_site = {"plan__" + key: value for key, value in _sites(site).items()}
    for route in (
        PlanRoute.objects.filter(
            **plan_site, plan__day__in=days, validated=True, technician_id__in=ids, stops__isnull=False
        )
        .annotate(site_id=F("plan__site_id"))
        .distinct()
    ):
        day = timezone.localtime(route.leave_at).date()
        toured.add((route.site_id, route.technician_id, day))
        busy.append(
            Busy(
                route.technician_id,
                route.leave_at,
                route.back_at,
                _("Tournée à domicile"),
                "tournee",
                route.site_id,
            )
        )
    start = at(days[0], 0)
    end = at(days[-1] + datetime.timedelta(days=1), 0)
    durations = dict(
        Visit.objects.filter(**_sites(site), order__case__planned_for__range=(start, end)).values_list(
            "order__case_id", "duration_minutes"
        )
    )
    for case in RepairCase.objects.filter(
        **_sites(site),
        status=CaseStatus.PLANIFIE,
        technician_id__in=ids,
        planned_for__gte=start,
        planned_for__lt=end,
    ).only("pk", "site_id", "number", "technician_id", "planned_for"):
        begin = case.planned_for
        if (case.site_id, case.technician_id, timezone.localtime(begin).date()) in toured:
            continue
        length = datetime.timedelta(minutes=durations.get(case.pk, VISIT_MINUTES))
        label = _("Visite %(n)s") % {"n": case.number}
        busy.append(Busy(case.technician_id, begin, begin + length, label, "visite", case.site_id))
    return busy


def _free_gaps(profile, day, busy: list[Busy], now: datetime.datetime) -> list[list[datetime.datetime]]:
    if day.weekday() not in (profile.working_days or WEEKDAYS):
        return []
    if any(off.day == day for off in profile.days_off.all()):
        return []
    gaps = [[at(day, seconds(profile.day_start)), at(day, seconds(profile.day_end))]]
    pause = at(day, seconds(profile.break_earliest))
    taken = [(pause, pause + datetime.timedelta(minutes=profile.break_minutes))]
    taken += [(b.start, b.end) for b in busy if b.technician == profile.user_id]
    taken.append((gaps[0][0], max(now, gaps[0][0])))  # the past of today is gone
    for t0, t1 in taken:
        gaps = [piece for g in gaps for piece in _minus(g, t0, t1)]
    return gaps


def _minus(gap, t0, t1):
    if t1 <= gap[0] or t0 >= gap[1]:
        return [gap]
    return [g for g in ([gap[0], t0], [t1, gap[1]]) if g[1] > g[0]]


# ---------------------------------------------------------------- ranking, placing, risks


def _rank_key(job: Job):
    return (
        0 if job.dropoff else 1,
        0 if job.urgent else 1,
        job.promised_on or FAR,
        1 if job.parts_missing else 0,
        len(job.able) or 99,  # scarce skills first; a job nobody can do takes nobody's time: last
        job.key,
    )


def _reason(job: Job) -> str:
    if job.dropoff:
        return _("Dépôt prévu : %(m)s min de diagnostic réservées") % {"m": job.minutes}
    bits = [_("Urgent (froid)") if job.urgent else _("Priorité normale")]
    bits.append(
        _("promis le %(d)s") % {"d": _d(job.promised_on)} if job.promised_on else _("sans délai promis")
    )
    if job.parts_missing:
        bits.append(_("pièces attendues le %(d)s") % {"d": _d(job.parts_eta)})
    else:
        bits.append(_("pièces prêtes"))
    n = len(job.able)
    bits.append(
        _("%(n)s technicien(s) compétent(s)") % {"n": n} if n != 1 else _("1 seul technicien compétent")
    )
    return " · ".join(bits)


@dataclass
class Week:
    days: list[datetime.date]
    profiles: list[TechnicianProfile]
    jobs: list[Job]  # ranked
    busy: list[Busy]

    @property
    def placed(self) -> list[Job]:
        return [j for j in self.jobs if j.slots]

    @property
    def unplaced(self) -> list[Job]:
        return [j for j in self.jobs if not j.slots]

    @property
    def at_risk(self) -> list[Job]:
        return [j for j in self.jobs if j.at_risk]


def plan_week(site, days: list[datetime.date], *, now: datetime.datetime | None = None) -> Week:
    return plan_weeks([site], days, now=now)[site.pk]


def plan_weeks(sites, days: list[datetime.date], *, now: datetime.datetime | None = None) -> dict[int, Week]:
    """The week of each site (sites or their pks; the weeks by pk), every site read by the same queries: a chain
    manager's home asks for all their sites' jobs at risk, and ten queries a site were most of its cost
    (issue 16). Each site is planned on its own: its technicians, its jobs, its technicians' busy hours."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    sites = [getattr(site, "pk", site) for site in sites]
    profiles = technicians(sites)
    jobs = dropoff_jobs(sites, days) + bench_jobs(sites, today)
    busy = busy_hours(sites, profiles, days)
    return {
        site: _plan(
            site,
            days,
            [p for p in profiles if p.site_id == site],
            [j for j in jobs if (j.case or j.dropoff).site_id == site],
            busy,
            now,
            today,
        )
        for site in sites
    }


def _plan(site_id, days, profiles, jobs, all_busy, now, today) -> Week:
    caps = {p.user_id: _capabilities(p) for p in profiles}
    by_user = {p.user_id: p for p in profiles}
    for job in jobs:
        wanted = {f"famille:{job.family}", *job.needs}
        able = [uid for uid, c in caps.items() if wanted <= c]
        job.able = [job.pinned_to] if job.pinned_to in able else able
    jobs.sort(key=_rank_key)
    busy = [b for b in all_busy if b.site_id == site_id and b.technician in by_user]
    gaps = {(p.user_id, d): _free_gaps(p, d, busy, now) for p in profiles for d in days}
    for rank, job in enumerate(jobs, start=1):
        job.rank, job.reason = rank, _reason(job)
        _place(job, days, gaps)
        if job.slots:
            job.technician_name = str(by_user[job.slots[0].technician])
        job.at_risk = _risk(job, days, today)
    return Week(days=days, profiles=profiles, jobs=jobs, busy=busy)


def _place(job: Job, days, gaps) -> None:
    if not job.able:
        job.unplaced = _("Aucun technicien n'a la famille et les compétences demandées.")
        return
    earliest = job.parts_eta or days[0]
    open_days = [d for d in days if d >= earliest]
    best: list[Slot] | None = None
    for uid in job.able:
        slots, left = [], job.minutes
        for day in open_days:
            for g0, g1 in gaps[(uid, day)]:
                if left <= 0:
                    break
                if job.not_before is not None:
                    g0 = max(g0, job.not_before)
                    if g0 >= g1:
                        continue
                take = min(left, int((g1 - g0).total_seconds() // 60))
                if take >= 15 or take == left:  # no crumbs of a few minutes
                    slots.append(Slot(uid, g0, g0 + datetime.timedelta(minutes=take)))
                    left -= take
            if left <= 0:
                break
        if left <= 0 and (best is None or slots[-1].end < best[-1].end):
            best = slots
    if best is None:
        job.unplaced = (
            _("Pièces attendues le %(d)s : pas de place cette semaine après leur arrivée.")
            % {"d": _d(job.parts_eta)}
            if job.parts_missing and open_days != days
            else _("Pas assez d'heures d'atelier libres cette semaine pour %(h)s de travail.")
            % {"h": job.hours}
        )
        return
    job.slots = best
    for slot in best:
        key = (slot.technician, timezone.localtime(slot.start).date())
        gaps[key] = [piece for g in gaps[key] for piece in _minus(g, slot.start, slot.end)]


def _risk(job: Job, days: list[datetime.date], today: datetime.date) -> str:
    """Why the job may miss its promised date (empty: it should not)."""
    promised = job.promised_on
    if job.case is None or promised is None:
        return ""
    if promised < today:
        return _("Délai promis du %(p)s dépassé.") % {"p": _d(promised)}
    if job.parts_missing and job.parts_eta and job.parts_eta > promised:
        return _("Pièces attendues le %(e)s, après le délai promis du %(p)s.") % {
            "e": _d(job.parts_eta),
            "p": _d(promised),
        }
    if job.finish is not None:
        end = timezone.localtime(job.finish).date()
        if end > promised:
            return _("Fin prévue le %(e)s (%(h)s de travail restantes), après le délai promis du %(p)s.") % {
                "e": _d(end),
                "h": job.hours,
                "p": _d(promised),
            }
        return ""
    if promised <= days[-1]:
        return _("Pas de place à l'atelier avant le délai promis du %(p)s : %(why)s") % {
            "p": _d(promised),
            "why": job.unplaced,
        }
    return ""
