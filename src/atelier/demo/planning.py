"""Demo planning: the technicians' profiles, customers' windows (next working day) on the home visits waiting
for a date with a proposal to validate, and today's validated plan of the visits already planned for today."""

import datetime

from django.conf import settings
from django.utils import timezone

from atelier.core.days import on_day
from atelier.demo.clock import next_working_days
from atelier.planning import services
from atelier.planning.models import (
    DayPlan,
    PlanPin,
    PlanRoute,
    PlanState,
    TechnicianProfile,
    Visit,
    VisitWindow,
)
from atelier.repairs.choices import CaseStatus

PROFILES = {
    "technicien": {
        "site": "PAR1",
        "families": ["lave_linge", "lave_vaisselle", "seche_linge", "cuisson", "froid"],
        "repair_level": 2,
        "electrical_clearance": True,
        "gas": True,
        "refrigerant_certificate": True,
        "zones": "75, 92, 93, 94",
        "start_from": "domicile",
        "home_postcode": "93100",
        "home_city": "Montreuil",
    },
    "technicien2": {
        "site": "PAR1",
        "families": ["lave_linge", "lave_vaisselle", "seche_linge", "televiseur", "audio", "video"],
        "repair_level": 1,
        "electrical_clearance": True,
        "zones": "75, 92, 93, 94",
        "start_from": "depot",
    },
    "technicien.lyon": {
        "site": "LYO1",
        "families": ["lave_linge", "lave_vaisselle", "seche_linge", "cuisson", "froid", "televiseur"],
        "repair_level": 2,
        "electrical_clearance": True,
        "refrigerant_certificate": True,
        "zones": "69",
        "start_from": "domicile",
        "home_postcode": "69100",
        "home_city": "Villeurbanne",
    },
}
T = datetime.time
WINDOWS = ((T(8), T(12)), (T(13, 30), T(17)), (T(9), T(11)), (T(14), T(16)))
MANAGERS = {"PAR1": "responsable", "LYO1": "reseau"}


def load(*, sites, users, rng) -> dict[str, int]:
    made = {
        "profils techniciens": 0,
        "créneaux clients": 0,
        "visites planifiées aujourd'hui": 0,
        "visites planifiées les jours suivants": 0,
        "rendez-vous de dépôt": 0,
        "ordres de réparation en atelier": 0,
    }
    for username, fields in PROFILES.items():
        user = users.get(username)
        if user is None or TechnicianProfile.objects.filter(user=user).exists():
            continue
        fields = dict(fields)
        site = sites[fields.pop("site")]
        # Shop hours (appointments are given until 18:00 for a shop closing at 19:00).
        TechnicianProfile.objects.create(
            user=user,
            site=site,
            working_days=[0, 1, 2, 3, 4, 5],
            day_start=T(8, 30),
            day_end=T(19, 30),
            **fields,
        )
        made["profils techniciens"] += 1
    today = timezone.localdate()
    tomorrow = next_working_days(today, 1)[0]
    for code, site in sites.items():
        services.visits_sync(site=site)
        waiting = Visit.objects.filter(
            site=site,
            order__case__status__in=[CaseStatus.ACCEPTE, CaseStatus.ATTENTE_PIECES],
            windows__isnull=True,
        ).order_by("pk")
        for visit in waiting:
            # Most customers give one half-day; some two short windows; a few are home all day.
            draw = rng.random()
            chosen = (
                [WINDOWS[0]]
                if draw < 0.4
                else [WINDOWS[1]]
                if draw < 0.7
                else WINDOWS[2:]
                if draw < 0.9
                else []
            )
            for start, end in chosen:
                VisitWindow.objects.create(visit=visit, day=tomorrow, start=start, end=end)
                made["créneaux clients"] += 1
        manager = users.get(MANAGERS[code])
        if manager is None:
            continue
        made["rendez-vous de dépôt"] += _dropoffs(site, manager, next_working_days(today, 3), rng)
        made["ordres de réparation en atelier"] += _workshop_orders(site, manager, today, rng)
        made["visites planifiées aujourd'hui"] += _validated(site, today, manager)
        # The appointments already given for the coming days are validated plans too (the technicians see
        # them in « Ma journée » and their calendar).
        for day in next_working_days(today, 5):
            made["visites planifiées les jours suivants"] += _validated(site, day, manager)
        if not DayPlan.objects.filter(site=site, day=tomorrow, state=PlanState.BROUILLON).exists():
            # A proposal for the next working day around its appointments, for the manager to validate.
            services.plan_optimise(actor=manager, site=site, day=tomorrow, seconds=_solve_seconds())
    return made


# Appliances the counter takes per half-day, by family (a small shop's bench and shelves).
DROPOFF_CAPACITY = {
    "lave_linge": 4,
    "lave_vaisselle": 2,
    "seche_linge": 2,
    "cuisson": 2,
    "froid": 1,
    "petit_electromenager": 6,
    "televiseur": 2,
}


def _dropoffs(site, manager, days, rng) -> int:
    """The site's drop-off capacities and, for the next working days, appointments booked at the counter for
    customers of the site and one of their appliances (the workshop week shows them as expected arrivals)."""
    from atelier.customers.models import Appliance
    from atelier.planning.models import DropOffCapacity, DropOffSlot

    if DropOffCapacity.objects.filter(site=site).exists():
        return 0
    DropOffCapacity.objects.bulk_create(
        DropOffCapacity(site=site, family=family, slot=slot, capacity=capacity)
        for family, capacity in DROPOFF_CAPACITY.items()
        for slot in DropOffSlot.values
    )
    appliances = list(
        Appliance.objects.filter(customer__site=site, family__in=DROPOFF_CAPACITY)
        .select_related("customer")
        .order_by("pk")[:12]
    )
    booked = 0
    for appliance in appliances[: 3 * len(days)]:
        day = days[booked % len(days)]
        slot = DropOffSlot.MATIN if rng.random() < 0.5 else DropOffSlot.APRES_MIDI
        try:
            services.dropoff_book(
                actor=manager,
                site=site,
                day=day,
                slot=slot,
                family=appliance.family,
                customer=appliance.customer,
                appliance=appliance,
                note="Rendez-vous pris par téléphone.",
            )
        except services.SlotFull:
            continue
        booked += 1
    return booked


def _workshop_orders(site, manager, today, rng) -> int:
    """The repair orders of the dossiers in the workshop (the story moved them there from their accepted quote):
    a promised date, the skills of the family, the quote's parts reserved, or ordered for those waiting for
    parts. Written as history (their dates are the dossier's), so the workshop week has real promises."""
    from atelier.core.services import sequence_next
    from atelier.quotes.choices import LineKind, PartAction, QuoteStatus
    from atelier.quotes.models import RepairOrder, RepairOrderPart
    from atelier.repairs.models import RepairCase

    cases = (
        RepairCase.objects.filter(
            site=site,
            location="atelier",
            status__in=[CaseStatus.EN_ATELIER, CaseStatus.ATTENTE_PIECES, CaseStatus.EN_REPARATION],
            repair_orders__isnull=True,
            quotes__status=QuoteStatus.ACCEPTE,
        )
        .select_related("appliance")
        .distinct()
        .order_by("pk")
    )
    made = 0
    for case in cases:
        quote = case.quotes.filter(status=QuoteStatus.ACCEPTE).order_by("-version").first()
        waiting = case.status == CaseStatus.ATTENTE_PIECES
        year = case.status_changed_at.year
        number = sequence_next(site=site, kind="ordre", year=year)
        order = RepairOrder.objects.create(
            quote=quote,
            case=case,
            number=f"OR-{site.code}-{year}-{number:06d}",
            work_to_do=quote.nature_of_work,
            location="atelier",
            promised_on=today + datetime.timedelta(days=rng.choice((1, 2, 3, 4, 6, 8, 10))),
            skills="niveau:2,hab:elec"
            if case.appliance.family in ("lave_vaisselle", "froid")
            else "hab:elec",
            technician=case.technician,
            created_by=manager,
            created_at=case.status_changed_at,
        )
        for line in quote.lines.filter(kind=LineKind.PIECE, part__isnull=False):
            RepairOrderPart.objects.create(
                order=order,
                part_id=line.part_id,
                quantity=line.quantity,
                action=PartAction.COMMANDEE if waiting else PartAction.RESERVEE,
                lead_time_days=line.lead_time_days or 3,
            )
        made += 1
    return made


def _validated(site, today, manager) -> int:
    """The day's validated plan: the home visits the demo's story planned for that day, each with its
    technician and about its time. Validated without going through the dossiers again: they are planned
    already (and a demo must not write dossier events at the hour it is run)."""
    if DayPlan.objects.filter(site=site, day=today).exclude(state=PlanState.VIDE).exists():
        return 0
    planned = list(
        Visit.objects.filter(
            site=site, order__case__status=CaseStatus.PLANIFIE, **on_day("order__case__planned_for", today)
        ).select_related("order__case")
    )
    if not planned:
        return 0
    plan, _ = DayPlan.objects.get_or_create(site=site, day=today)
    for visit in planned:
        case = visit.order.case
        if (
            case.technician_id is None
            or not TechnicianProfile.objects.filter(user_id=case.technician_id).exists()
        ):
            continue
        PlanPin.objects.get_or_create(plan=plan, visit=visit, defaults={"technician_id": case.technician_id})
        at = timezone.localtime(case.planned_for)
        end = (at + datetime.timedelta(minutes=30)).time()
        VisitWindow.objects.get_or_create(visit=visit, day=today, start=at.time(), end=max(end, at.time()))
    others = set(
        Visit.objects.filter(site=site).exclude(pk__in=[v.pk for v in planned]).values_list("pk", flat=True)
    )
    plan = services.plan_optimise(
        actor=manager, site=site, day=today, seconds=_solve_seconds(), exclude=others
    )
    drafts = list(PlanRoute.objects.filter(plan=plan, validated=False).prefetch_related("stops"))
    services.keep_draft_as_validated(plan, drafts)
    DayPlan.objects.filter(pk=plan.pk).update(
        state=PlanState.VALIDE, validated_at=timezone.now(), validated_by=manager
    )
    return plan.figures.get("planned", 0)


def _solve_seconds() -> float:
    """A second per day is plenty for the demo's handful of visits; less where the settings ask (the tests)."""
    return min(1.0, float(getattr(settings, "ATELIER_PLANNING_SECONDS", 5)))
