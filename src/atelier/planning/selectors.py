"""Reads of the planning, always limited to the user's sites."""

import datetime
from collections import defaultdict

from django.http import Http404
from django.shortcuts import get_object_or_404

from atelier.core.choices import Role
from atelier.core.models import Site, User
from atelier.core.scoping import site_ids_for, visible_or_404
from atelier.planning.models import DayPlan, PlanDrop, PlanPin, PlanRoute, PlanStop, TechnicianProfile, Visit
from atelier.repairs.models import RepairCase


def user_site(user: User, code: str | None) -> Site:
    """The site asked for by its code (404 when not the user's), else the user's own first site."""
    sites = Site.objects.visible_to(user)
    if code:
        site = sites.filter(code=code).first()
        if site is None:
            raise Http404
        return site
    # The user's own site first (a superuser or a chain manager sees them all, but works somewhere).
    site = sites.filter(pk__in=user.sites.all()).first() or sites.first()
    if site is None:
        raise Http404
    return site


def site_technicians(site: Site):
    """Users of the site with the technician role (with their profile when they have one)."""
    return (
        User.objects.filter(sites=site, roles__role=Role.TECHNICIEN)
        .filter(is_active=True)
        .select_related("technician_profile")
        .order_by("last_name", "username")
        .distinct()
    )


def technician_get(user: User, pk: int) -> User:
    return get_object_or_404(
        User.objects.filter(sites__in=Site.objects.visible_to(user), roles__role=Role.TECHNICIEN).distinct(),
        pk=pk,
    )


def visit_get(user: User, pk: int) -> Visit:
    return visible_or_404(Visit.objects.select_related("order__case__customer"), user, pk=pk)


def visits_to_plan(site: Site):
    """The site's home visits waiting for a date or planned (/planning/visites/), newest first.

    The open dossiers first (index on site and state), then their orders' visits by key: the list follows the
    shop's open work, not every visit it ever made (testing the states on the joined dossier read them all)."""
    from atelier.planning.services.visits import TO_PLAN
    from atelier.quotes.models import RepairOrder

    cases = RepairCase.objects.filter(site=site, status__in=TO_PLAN)
    orders = RepairOrder.objects.filter(case__in=cases.values("pk"))
    return (
        Visit.objects.filter(site=site, order__in=orders.values("pk"))
        .select_related("order__case__customer")
        .prefetch_related("windows")
        .order_by("-created_at", "-pk")
    )


def plan_of(site: Site, day: datetime.date) -> DayPlan | None:
    return DayPlan.objects.filter(site=site, day=day).first()


def week_of(site: Site, first_day: datetime.date, days: int = 5) -> list[dict]:
    """The working days from first_day (Sundays skipped, as « Proposer la semaine » does) with their plan."""
    span = [first_day + datetime.timedelta(days=n) for n in range(days)]
    span = [d for d in span if d.weekday() != 6]
    plans = {p.day: p for p in DayPlan.objects.filter(site=site, day__in=span)}
    return [{"day": d, "plan": plans.get(d)} for d in span]


def plan_routes(plan: DayPlan | None, *, validated: bool) -> list[PlanRoute]:
    if plan is None:
        return []
    return list(
        PlanRoute.objects.filter(plan=plan, validated=validated)
        .select_related("technician")
        .prefetch_related("stops__visit__order__case__customer")
    )


def plan_drops(plan: DayPlan | None) -> list[PlanDrop]:
    if plan is None:
        return []
    return list(PlanDrop.objects.filter(plan=plan).select_related("visit__order__case__customer"))


def plan_pins(plan: DayPlan | None) -> dict[int, User]:
    if plan is None:
        return {}
    return {p.visit_id: p.technician for p in PlanPin.objects.filter(plan=plan).select_related("technician")}


def stops_by_zone(routes: list[PlanRoute]) -> list[tuple[str, list[tuple[PlanStop, PlanRoute]]]]:
    """The plan's visits grouped by postcode (the zone), for the list view."""
    zones = defaultdict(list)
    for route in routes:
        for stop in route.stops.all():
            postcode = stop.visit.order.case.customer.postcode or "—"
            zones[postcode].append((stop, route))
    return [(zone, sorted(items, key=lambda i: i[0].start)) for zone, items in sorted(zones.items())]


def technician_day(user: User, day: datetime.date) -> tuple[PlanRoute | None, list[PlanStop]]:
    """The technician's validated route of the day (his own only)."""
    route = (
        PlanRoute.objects.filter(technician=user, validated=True, plan__day=day)
        .select_related("plan")
        .prefetch_related("stops__visit__order__case__customer", "stops__visit__order__case__appliance")
        .first()
    )
    return route, list(route.stops.all()) if route else []


def announced_visit(case):
    """The dossier's home visit in the last validated plan (technician, time, arrival window), or None."""
    return (
        PlanStop.objects.filter(visit__order__case=case, route__validated=True)
        .select_related("route__technician", "route__plan")
        .order_by("-route__plan__day")
        .first()
    )


def next_planned_day(user: User, after: datetime.date) -> datetime.date | None:
    """The technician's next day with a validated route after `after` (to look ahead from an empty day)."""
    return (
        PlanRoute.objects.filter(technician=user, validated=True, plan__day__gt=after, stops__isnull=False)
        .order_by("plan__day")
        .values_list("plan__day", flat=True)
        .first()
    )


def technician_feed(profile: TechnicianProfile, since: datetime.date) -> list[PlanStop]:
    return list(
        PlanStop.objects.filter(
            route__technician=profile.user, route__validated=True, route__plan__day__gte=since
        )
        .select_related("route__plan__site", "visit__order__case__customer", "visit__order__case__appliance")
        .order_by("start")
    )


# ---------------------------------------------------------------- workshop week and drop-offs


def workshop_week(site: Site, week: str | None = None):
    """The ranked and placed bench jobs of a site's week (planning.workshop); ValueError on a bad week."""
    from atelier.planning.workshop import plan_week, week_days

    return plan_week(site, week_days(week))


def workshop_at_risk(user: User) -> list[tuple[RepairCase, str]]:
    """Dossiers of the user's sites at risk of missing their promised date this week, with the reason (for the
    home page); empty for a user who may not read the workshop planning."""
    from atelier.core.access import may
    from atelier.planning.workshop import plan_weeks, week_days

    if not may(user, "planning.workshop"):
        return []
    # every site's week from the same queries (plan_weeks): a chain manager's home paid ten queries a site
    weeks = plan_weeks(sorted(site_ids_for(user)), week_days(None))
    return [
        (job.case, job.at_risk) for week in weeks.values() for job in week.at_risk if job.case is not None
    ]


def dropoff_day(site: Site, day: datetime.date) -> dict:
    """The day's drop-off appointments and, per family and half-day, the capacity, the booked and the free."""
    from atelier.planning.models import DropOff, DropOffCapacity

    bookings = list(
        DropOff.objects.filter(site=site, day=day, cancelled_at__isnull=True).select_related(
            "customer", "appliance", "booked_by"
        )
    )
    taken: dict[tuple[str, str], int] = defaultdict(int)
    for b in bookings:
        taken[(b.family, b.slot)] += 1
    slots = [
        {
            "family": c.family,
            "family_label": c.get_family_display(),
            "slot": c.slot,
            "slot_label": c.get_slot_display(),
            "capacity": c.capacity,
            "booked": taken[(c.family, c.slot)],
            "free": max(c.capacity - taken[(c.family, c.slot)], 0),
        }
        for c in DropOffCapacity.objects.filter(site=site).order_by("family", "slot")
    ]
    return {"day": day, "bookings": bookings, "slots": slots}
