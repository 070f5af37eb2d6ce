"""From the database to the planning problem of one site and one day (and back to times of day)."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from atelier.core import geo
from atelier.core.choices import Role
from atelier.core.days import on_day
from atelier.planning.models import StartFrom, TechnicianProfile, Visit
from atelier.planning.problem import Problem, Technician
from atelier.planning.problem import Visit as Job
from atelier.planning.travel import default_matrix
from atelier.quotes.models import RepairOrder
from atelier.repairs.choices import CaseStatus
from atelier.repairs.models import RepairCase

DAY = 24 * 3600
WEEKDAYS = [0, 1, 2, 3, 4]


def seconds(t: datetime.time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


def at(day: datetime.date, secs: int) -> datetime.datetime:
    """Seconds from midnight of the day, as an aware datetime in the site's time zone."""
    midnight = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return midnight + datetime.timedelta(seconds=secs)


def tool_blockers(user, codes: list[str], on: datetime.date) -> list[str]:
    """Reasons a technician cannot take a visit needing these tool kinds (the fieldwork app decides)."""
    try:
        from atelier.fieldwork import selectors
    except ImportError:
        return []
    check = getattr(selectors, "tool_blockers", None)
    return list(check(user, codes, on)) if check else []


def parts_ready(order) -> tuple[bool, str]:
    """Whether the order's parts are in the van or reserved (the stock app decides)."""
    try:
        from atelier.stock import selectors
    except ImportError:
        return True, ""
    check = getattr(selectors, "order_parts_ready", None)
    if check is None:
        return True, ""
    return check(order)


def candidate_visits(site, day: datetime.date):
    """Home visits of the site waiting for a date, plus those already planned on that day.

    The dossiers first (the index on site and state), then their orders' visits by key: with the states tested
    on the joined dossier, SQLite read every visit of the site ever made (20,000 at 200,000 dossiers, issue 16)."""
    cases = RepairCase.objects.filter(site=site).filter(
        Q(status__in=[CaseStatus.ACCEPTE, CaseStatus.ATTENTE_PIECES])
        | Q(status=CaseStatus.PLANIFIE, **on_day("planned_for", day))
    )
    orders = RepairOrder.objects.filter(case__in=cases.values("pk"))
    return (
        Visit.objects.filter(site=site, order__in=orders.values("pk"))
        .select_related("order", "order__case", "order__case__customer")
        .prefetch_related("windows")
    )


def working_technicians(site, day: datetime.date) -> list[TechnicianProfile]:
    profiles = (
        TechnicianProfile.objects.filter(site=site, is_active=True, user__is_active=True)
        .filter(user__roles__role=Role.TECHNICIEN)
        .exclude(days_off__day=day)
        .select_related("user")
        .distinct()
    )
    return [p for p in profiles if day.weekday() in (p.working_days or WEEKDAYS)]


def _place(postcode: str, city: str) -> tuple[float, float] | None:
    commune = geo.locate(postcode or "", city or "")
    if commune is None or commune.latitude is None:
        return None
    return commune.latitude, commune.longitude


@dataclass
class DayProblem:
    problem: Problem
    profiles: dict[str, TechnicianProfile]
    visits: dict[str, Visit]
    left_out: dict[str, str] = field(default_factory=dict)  # visits refused before solving, with the reason


def build_day(
    site, day: datetime.date, pins: dict[int, int] | None = None, exclude: set[int] = frozenset()
) -> DayProblem:
    """pins: visit pk -> technician user pk; exclude: visits already given to an earlier day of the week."""
    pins = pins or {}
    points: list[tuple[float, float]] = []

    def point(lat_lon) -> int:
        points.append(lat_lon)
        return len(points) - 1

    depot_place = _place(site.postcode, site.city) or (48.8566, 2.3522)
    depot = point(depot_place)
    left_out: dict[str, str] = {}
    visits: dict[str, Visit] = {}
    jobs: list[Job] = []
    for visit in candidate_visits(site, day).exclude(pk__in=exclude):
        key = str(visit.pk)
        ready, why = parts_ready(visit.order)
        if not ready:
            left_out[key] = why or "Les pièces ne sont pas prêtes."
            visits[key] = visit
            continue
        windows = list(visit.windows.all())
        today = [(seconds(w.start), seconds(w.end)) for w in windows if w.day == day]
        if windows and not today:
            continue  # the customer gave other days: this visit is not for this one
        customer = visit.order.case.customer
        if customer.latitude is not None and customer.longitude is not None:
            place = (float(customer.latitude), float(customer.longitude))
        else:
            place = _place(customer.postcode, customer.city)
        if place is None:
            left_out[key] = "Adresse du client sans code postal connu : impossible de situer la visite."
            visits[key] = visit
            continue
        requires = {f"famille:{visit.family}", *visit.needs}
        requires |= {f"outil:{code}" for code in visit.tool_codes}
        if customer.postcode:
            requires.add(f"zone:{customer.postcode[:2]}")
        if visit.brand:
            requires.add(f"marque:{visit.brand.strip().upper()}")
        pinned = pins.get(visit.pk)
        jobs.append(
            Job(
                key=key,
                location=point(place),
                duration=visit.duration_minutes * 60,
                windows=tuple(today) or ((0, DAY - 1),),
                priority=visit.priority,
                requires=frozenset(requires),
                pinned_to=str(pinned) if pinned else None,
            )
        )
        visits[key] = visit

    zones = {c for j in jobs for c in j.requires if c.startswith("zone:")}
    brands = {c for j in jobs for c in j.requires if c.startswith("marque:")}
    tools = {c.removeprefix("outil:") for j in jobs for c in j.requires if c.startswith("outil:")}
    technicians, profiles = [], {}
    for profile in working_technicians(site, day):
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
        caps |= {f"zone:{z}" for z in profile.zone_list} if profile.zone_list else zones
        caps |= {f"marque:{b}" for b in profile.brand_list} if profile.brand_list else brands
        caps |= {f"outil:{code}" for code in tools if not tool_blockers(profile.user, [code], day)}
        home = depot
        if profile.start_from == StartFrom.DOMICILE:
            home_place = _place(profile.home_postcode, profile.home_city)
            home = point(home_place) if home_place else depot
        key = str(profile.user_id)
        technicians.append(
            Technician(
                key=key,
                start=home,
                end=home,
                shift_start=seconds(profile.day_start),
                shift_end=seconds(profile.day_end),
                capabilities=frozenset(caps),
                break_earliest=seconds(profile.break_earliest),
                break_latest=seconds(profile.break_latest),
                break_duration=profile.break_minutes * 60,
            )
        )
        profiles[key] = profile
    distances, durations = default_matrix().matrix(points)
    problem = Problem(
        technicians=technicians, visits=jobs, distances=distances.tolist(), durations=durations.tolist()
    )
    return DayProblem(problem=problem, profiles=profiles, visits=visits, left_out=left_out)
