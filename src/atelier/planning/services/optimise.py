"""Optimising a site's day or week: a new draft (routes, stops, left-out visits) replaces the previous draft;
pinning a visit on a technician by hand."""

import datetime
from collections.abc import Set as AbstractSet

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.core.errors import AtelierError
from atelier.core.models import User
from atelier.planning import builder, checker, solver
from atelier.planning.models import (
    DayPlan,
    PlanDrop,
    PlanPin,
    PlanRoute,
    PlanState,
    PlanStop,
    TechnicianProfile,
    Visit,
)
from atelier.planning.services.common import _locked_plan, _manager
from atelier.planning.services.visits import visits_sync

ARRIVAL_WINDOW = datetime.timedelta(hours=2)


def arrival_window(
    start: datetime.datetime, within: tuple[datetime.datetime, datetime.datetime] | None = None
) -> tuple[datetime.datetime, datetime.datetime]:
    """What the customer is told: a two-hour window from the half hour before the planned start, kept inside
    the customer's own window when there is one (no point announcing 7:30 to someone home from 8:00)."""
    local = timezone.localtime(start)
    floor = local.replace(minute=0 if local.minute < 30 else 30, second=0, microsecond=0)
    begin = floor - datetime.timedelta(minutes=30)
    end = begin + ARRIVAL_WINDOW
    if within is not None:
        if begin < within[0]:
            begin, end = within[0], min(within[1], within[0] + ARRIVAL_WINDOW)
        end = max(min(end, within[1]), start)
    return begin, end


def plan_optimise(
    *,
    actor: User,
    site,
    day: datetime.date,
    seconds: float | None = None,
    exclude: AbstractSet[int] = frozenset(),
) -> DayPlan:
    """Optimise the site's day: a new draft replaces the previous draft; the validated plan stays as it is."""
    _manager(actor, site)
    if day < timezone.localdate():
        raise AtelierError(_("On ne planifie pas un jour passé."), field="day")
    # The site-day row is made in its own short transaction: a second manager then meets the row lock (and
    # its clear message) instead of waiting on the first one's uncommitted insert for the whole solve.
    DayPlan.objects.get_or_create(site=site, day=day)
    return _optimise_locked(actor=actor, site=site, day=day, seconds=seconds, exclude=exclude)


def plan_optimise_week(
    *, actor: User, site, first_day: datetime.date, days: int = 5, seconds: float | None = None
) -> list[DayPlan]:
    """A draft for each working day from first_day: each day takes what the days before it left, urgent first
    (the solver leaves out the least urgent), so a visit is proposed on one day only."""
    taken: set[int] = set()
    plans = []
    for offset in range(days):
        day = first_day + datetime.timedelta(days=offset)
        if day.weekday() == 6:
            continue
        plan = plan_optimise(actor=actor, site=site, day=day, seconds=seconds, exclude=taken)
        taken |= set(
            PlanStop.objects.filter(route__plan=plan, route__validated=False).values_list(
                "visit_id", flat=True
            )
        )
        plans.append(plan)
    return plans


@transaction.atomic
def _optimise_locked(*, actor: User, site, day: datetime.date, seconds: float | None, exclude) -> DayPlan:
    plan = _locked_plan(site, day)
    visits_sync(site=site)
    pins = dict(PlanPin.objects.filter(plan=plan).values_list("visit_id", "technician_id"))
    built = builder.build_day(site, day, pins, exclude=exclude)
    seconds = seconds if seconds is not None else getattr(settings, "ATELIER_PLANNING_SECONDS", 5)
    result = solver.solve(built.problem, seconds=seconds)
    result.dropped.update(built.left_out)
    broken = checker.check(built.problem, result)
    if broken:  # never expected: the checker is the last guard before anything is shown or saved
        raise AtelierError(_("Plan refusé par le contrôle : %(e)s") % {"e": " ; ".join(broken[:5])})
    PlanRoute.objects.filter(plan=plan, validated=False).delete()
    PlanDrop.objects.filter(plan=plan).delete()
    pinned = set(pins)
    for route in result.routes:
        row = PlanRoute.objects.create(
            plan=plan,
            validated=False,
            technician=built.profiles[route.technician].user,
            leave_at=builder.at(day, route.leave),
            back_at=builder.at(day, route.back),
            break_at=builder.at(day, route.break_start) if route.break_start is not None else None,
            break_minutes=built.problem.technician(route.technician).break_duration // 60,
            distance_m=route.distance,
            travel_s=route.travel,
        )
        for position, stop in enumerate(route.stops, start=1):
            start = builder.at(day, stop.start)
            job = next(v for v in built.problem.visits if v.key == stop.visit)
            own = next(((a, b) for a, b in job.windows if a <= stop.start <= b), None)
            within = (builder.at(day, own[0]), builder.at(day, own[1])) if own else None
            begin, end = arrival_window(start, within)
            PlanStop.objects.create(
                route=row,
                visit=built.visits[stop.visit],
                position=position,
                start=start,
                end=builder.at(day, stop.end),
                arrival_from=begin,
                arrival_to=end,
                pinned=int(stop.visit) in pinned,
            )
    PlanDrop.objects.bulk_create(
        [
            PlanDrop(plan=plan, visit=built.visits[key], reason=reason[:255])
            for key, reason in result.dropped.items()
        ]
    )
    plan.state = PlanState.BROUILLON
    plan.revision += 1
    plan.optimised_at = timezone.now()
    plan.optimised_by = actor
    plan.figures = {
        "planned": len(result.planned_keys()),
        "dropped": len(result.dropped),
        "km": round(result.distance / 1000, 1),
        "technicians": result.vehicles,
        "seconds": round(result.seconds, 1),
    }
    plan.save()
    return plan


@transaction.atomic
def plan_pin(*, actor: User, plan: DayPlan, visit: Visit, technician: User | None) -> DayPlan:
    """Put a visit on a technician by hand (or free it with None); the manager then re-optimises the rest."""
    _manager(actor, plan.site)
    locked = _locked_plan(plan.site, plan.day)
    if visit.site_id != plan.site_id:
        raise AtelierError(_("Cette visite n'est pas de ce site."))
    if technician is None:
        PlanPin.objects.filter(plan=locked, visit=visit).delete()
        return locked
    profile = TechnicianProfile.objects.filter(user=technician, site=plan.site, is_active=True).first()
    if profile is None:
        raise AtelierError(_("%(t)s n'est pas un technicien planifiable de ce site.") % {"t": technician})
    PlanPin.objects.update_or_create(plan=locked, visit=visit, defaults={"technician": technician})
    return locked
