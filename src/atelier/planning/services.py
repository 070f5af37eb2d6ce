"""Writes of the planning: profiles, days off, visits and their windows, optimising, pinning, validating."""

import datetime
import logging

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from atelier.core.choices import Role
from atelier.core.errors import AtelierError, PermissionRefused
from atelier.core.models import User
from atelier.core.permissions import require_role, require_site
from atelier.planning import builder, checker, solver
from atelier.planning.models import (
    DayOff,
    DayPlan,
    Need,
    PlanDrop,
    PlanPin,
    PlanRoute,
    PlanState,
    PlanStop,
    TechnicianProfile,
    Visit,
    VisitPriority,
    VisitWindow,
)
from atelier.quotes.models import RepairOrder
from atelier.repairs import services as case_services
from atelier.repairs.choices import CaseStatus, WorkLocation

# Minutes by family: a first estimate, corrected by the durations measured on past visits of the family.
logger = logging.getLogger("atelier.planning")
MOBILE_PREFIXES = ("+336", "+337")  # French mobiles (phones are stored in E.164): an SMS reaches only those

BASE_MINUTES = {
    "lave_linge": 60,
    "lave_vaisselle": 55,
    "seche_linge": 50,
    "cuisson": 50,
    "froid": 75,
    "petit_electromenager": 30,
    "televiseur": 45,
    "audio": 40,
    "video": 40,
    "autre": 45,
}
HISTORY_MIN = 3
ARRIVAL_WINDOW = datetime.timedelta(hours=2)


def _manager(actor: User, site) -> None:
    require_role(actor, Role.RESPONSABLE_SAV)
    require_site(actor, site)


# ---------------------------------------------------------------- technicians


@transaction.atomic
def technician_profile_save(*, actor: User, profile: TechnicianProfile) -> TechnicianProfile:
    """Create or update a technician's profile (the form has filled it), after every check."""
    _manager(actor, profile.site)
    if not profile.user.has_role(Role.TECHNICIEN):
        raise AtelierError(_("%(u)s n'a pas le rôle technicien.") % {"u": profile.user}, field="user")
    if not profile.user.sites.filter(pk=profile.site_id).exists():
        raise AtelierError(_("Ce technicien n'est pas rattaché à ce site."))
    from atelier.core import geo

    if profile.home_postcode and not geo.postcode_exists(profile.home_postcode):
        raise AtelierError(
            _("Code postal inconnu : %(p)s.") % {"p": profile.home_postcode}, field="home_postcode"
        )
    for zone in profile.zone_list:
        if not (len(zone) in (2, 3) and zone[:2].isalnum()):
            raise AtelierError(
                _("Zone invalide : « %(z)s » (numéro de département).") % {"z": zone}, field="zones"
            )
    profile.full_clean()
    profile.save()
    return profile


@transaction.atomic
def day_off_add(*, actor: User, profile: TechnicianProfile, day: datetime.date, reason: str = "") -> DayOff:
    _manager(actor, profile.site)
    if DayOff.objects.filter(profile=profile, day=day).exists():
        raise AtelierError(_("Ce jour d'absence est déjà noté."), field="day")
    return DayOff.objects.create(profile=profile, day=day, reason=reason.strip())


# ---------------------------------------------------------------- visits


def estimate_minutes(family: str, needs: list[str]) -> int:
    """The family's base (plus a quarter of an hour for component-level work), averaged with history."""
    base = BASE_MINUTES.get(family, 45) + (15 if Need.NIVEAU_2 in needs else 0)
    past = list(
        Visit.objects.filter(family=family, actual_minutes__isnull=False)
        .order_by("-created_at")
        .values_list("actual_minutes", flat=True)[:20]
    )
    if len(past) < HISTORY_MIN:
        return base
    return round((base + sum(past) / len(past)) / 2)


def _needs_from(text: str) -> list[str]:
    lowered = text.lower()
    needs = []
    if "niveau 2" in lowered or "niveau:2" in lowered or "composant" in lowered:
        needs.append(Need.NIVEAU_2.value)
    if "habilitation" in lowered or "élec" in lowered:
        needs.append(Need.HAB_ELEC.value)
    if "gaz" in lowered:
        needs.append(Need.GAZ.value)
    if "fluide" in lowered or "frigorig" in lowered:
        needs.append(Need.FLUIDES.value)
    return needs


@transaction.atomic
def visits_sync(*, site) -> int:
    """Make the visit to plan of every home repair order of the site that has none yet; returns how many."""
    orders = RepairOrder.objects.filter(
        case__site=site,
        location=WorkLocation.DOMICILE,
        visit__isnull=True,
        case__status__in=[CaseStatus.ACCEPTE, CaseStatus.ATTENTE_PIECES, CaseStatus.PLANIFIE],
    ).select_related("case__appliance")
    made = 0
    for order in orders:
        appliance = order.case.appliance
        needs = _needs_from(order.skills)
        urgent = appliance.family == "froid"
        flexible = order.promised_on > timezone.localdate() + datetime.timedelta(days=7)
        Visit.objects.create(
            order=order,
            site=site,
            family=appliance.family,
            brand=appliance.brand,
            duration_minutes=estimate_minutes(appliance.family, needs),
            priority=VisitPriority.URGENT
            if urgent
            else VisitPriority.FLEXIBLE
            if flexible
            else VisitPriority.NORMAL,
            needs=needs,
            tool_kinds=",".join(t.strip() for t in order.tools.split(",") if t.strip()),
        )
        made += 1
    return made


@transaction.atomic
def visit_update(
    *,
    actor: User,
    visit: Visit,
    duration_minutes: int,
    priority: str,
    needs: list[str],
    tool_kinds: str,
    windows: list[tuple[datetime.date, datetime.time, datetime.time]],
) -> Visit:
    """Change what the planner knows of a visit; the customer's windows are replaced as a whole."""
    _manager(actor, visit.site)
    if not 5 <= duration_minutes <= 600:
        raise AtelierError(_("La durée doit être entre 5 et 600 minutes."), field="duration_minutes")
    for day, start, end in windows:
        if end <= start:
            raise AtelierError(
                _("Créneau impossible le %(d)s : %(s)s–%(e)s finit avant de commencer.")
                % {"d": day.strftime("%d/%m/%Y"), "s": start.strftime("%H:%M"), "e": end.strftime("%H:%M")},
                field="windows",
            )
        if day < timezone.localdate():
            raise AtelierError(_("Un créneau ne peut pas être dans le passé."), field="windows")
    fresh = Visit.objects.select_for_update().get(pk=visit.pk)
    fresh.duration_minutes = duration_minutes
    fresh.priority = priority
    fresh.needs = sorted(set(needs))
    fresh.tool_kinds = ",".join(t.strip() for t in tool_kinds.split(",") if t.strip())
    fresh.full_clean()
    fresh.save()
    fresh.windows.all().delete()
    VisitWindow.objects.bulk_create(
        [VisitWindow(visit=fresh, day=d, start=s, end=e) for d, s, e in sorted(windows)]
    )
    return fresh


# ---------------------------------------------------------------- the day plan


def _locked_plan(site, day: datetime.date) -> DayPlan:
    """The site-day row, locked; a manager already optimising or validating it gets a clear refusal."""
    query = DayPlan.objects.select_for_update(nowait=connection.features.has_select_for_update_nowait)
    try:
        return query.get(site=site, day=day)
    except DatabaseError:
        raise AtelierError(
            _(
                "Un autre responsable est en train d'optimiser ou de valider le %(d)s : attendez qu'il ait "
                "fini puis rechargez la page. Le dernier plan validé est conservé."
            )
            % {"d": day.strftime("%d/%m/%Y")}
        ) from None


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
    *, actor: User, site, day: datetime.date, seconds: float | None = None, exclude: set[int] = frozenset()
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


# Steps that end the time spent on site: repaired, or stopped to wait for a part.
ON_SITE_ENDS = ("mark_repaired", "wait_for_parts")
LONGEST_VISIT = 8 * 60  # minutes: a longer gap means the repair was not timed on one visit (e.g. left open)


def record_actual_duration(case, step_name: str, actor, at) -> None:
    """After-step hook: the minutes between « Commencer la réparation » and the end of the work on site become
    the visit's actual duration, which corrects the next estimates of its family (estimate_minutes)."""
    if step_name not in ON_SITE_ENDS or case.location != WorkLocation.DOMICILE:
        return
    from atelier.repairs.models import CaseEvent

    started = (
        CaseEvent.objects.filter(case=case, kind="transition", to_status=CaseStatus.EN_REPARATION, at__lte=at)
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    if started is None:
        return
    minutes = round((at - started).total_seconds() / 60)
    if 0 < minutes <= LONGEST_VISIT:
        visit = Visit.objects.filter(order__case=case).order_by("-pk").first()
        if visit is not None:
            Visit.objects.filter(pk=visit.pk).update(actual_minutes=minutes)


@transaction.atomic
def plan_validate(*, actor: User, plan: DayPlan, revision: int) -> DayPlan:
    """The draft becomes the plan: dossiers planned (technician, date), customers get their arrival window."""
    _manager(actor, plan.site)
    locked = _locked_plan(plan.site, plan.day)
    if locked.state != PlanState.BROUILLON:
        raise AtelierError(_("Il n'y a pas de proposition à valider : lancez d'abord l'optimisation."))
    if locked.revision != revision:
        raise AtelierError(
            _(
                "Le plan a été ré-optimisé par %(who)s depuis que vous l'avez ouvert : vérifiez la nouvelle "
                "proposition avant de la valider."
            )
            % {"who": locked.optimised_by}
        )
    drafts = list(PlanRoute.objects.filter(plan=locked, validated=False).prefetch_related("stops__visit"))
    # Customers are told when their arrival window is new or differs from the one of the last validated plan.
    told = {
        s.visit_id: (s.arrival_from, s.arrival_to)
        for s in PlanStop.objects.filter(route__plan=locked, route__validated=True)
    }
    to_tell = []
    for route in drafts:
        for stop in route.stops.all():
            _schedule_case(stop, route.technician, actor)
            if told.get(stop.visit_id) != (stop.arrival_from, stop.arrival_to):
                to_tell.append(stop)
    _withdraw_left_out(locked, {s.visit_id for r in drafts for s in r.stops.all()}, actor)
    keep_draft_as_validated(locked, drafts)
    locked.state = PlanState.VALIDE
    locked.validated_at = timezone.now()
    locked.validated_by = actor
    locked.save()
    transaction.on_commit(lambda: tell_customers(to_tell, actor))
    return locked


@transaction.atomic
def plan_validate_week(*, actor: User, site, revisions: dict[datetime.date, int]) -> list[DayPlan]:
    """The week's proposals validated in one go, all or none: a day re-optimised since the manager looked, or
    a visit proposed on two days, refuses the whole week with the day named, and nothing is validated."""
    _manager(actor, site)
    if not revisions:
        raise AtelierError(_("Aucune proposition à valider sur ces jours : proposez d'abord la semaine."))
    days = sorted(revisions)
    proposed: dict[int, datetime.date] = {}
    for stop in PlanStop.objects.filter(
        route__plan__site=site, route__plan__day__in=days, route__validated=False
    ).select_related("route__plan", "visit__order__case"):
        day = stop.route.plan.day
        if stop.visit_id in proposed and proposed[stop.visit_id] != day:
            raise AtelierError(
                _(
                    "Le dossier %(n)s est proposé le %(a)s et le %(b)s : relancez « Proposer la semaine » puis "
                    "validez. Rien n'a été validé."
                )
                % {
                    "n": stop.visit.order.case.number,
                    "a": formats.date_format(min(day, proposed[stop.visit_id]), "l j F"),
                    "b": formats.date_format(max(day, proposed[stop.visit_id]), "l j F"),
                }
            )
        proposed[stop.visit_id] = day
    plans = []
    for day in days:
        plan = DayPlan.objects.filter(site=site, day=day).first()
        try:
            if plan is None:
                raise AtelierError(
                    _("Il n'y a pas de proposition à valider : lancez d'abord l'optimisation.")
                )
            plans.append(plan_validate(actor=actor, plan=plan, revision=revisions[day]))
        except AtelierError as exc:
            raise AtelierError(
                _("%(d)s : %(e)s Rien n'a été validé.")
                % {"d": formats.date_format(day, "l j F").capitalize(), "e": exc.message}
            ) from None
    return plans


def arrival_message(stop: PlanStop) -> str:
    case = stop.visit.order.case
    site = case.site
    names = {
        "site": site.name,
        "day": formats.date_format(timezone.localtime(stop.arrival_from), "l j F"),
        "a": timezone.localtime(stop.arrival_from).strftime("%H:%M"),
        "b": timezone.localtime(stop.arrival_to).strftime("%H:%M"),
        "n": case.number,
        "phone": site.phone or "",
    }
    text = _("%(site)s : votre technicien passera le %(day)s entre %(a)s et %(b)s (dossier %(n)s).") % names
    if site.phone:
        text += " " + _("Un empêchement ? Appelez le %(phone)s.") % names
    return text


def tell_customers(stops: list[PlanStop], actor: User) -> None:
    """After the plan is committed: each customer planned or moved gets the arrival window by SMS (or by
    e-mail without a mobile phone), and the dossier's timeline says so; a message that cannot leave is noted so
    the counter calls instead. A failure here never undoes the plan."""
    from django.core.mail import EmailMessage

    from atelier.core import mail, sms

    for stop in stops:
        case = stop.visit.order.case
        customer = case.customer
        text = arrival_message(stop)
        try:
            if customer.phone.startswith(MOBILE_PREFIXES):
                sms.send_sms(customer.phone, text)
                note = _("Créneau d'arrivée envoyé au client par SMS : « %(t)s »") % {"t": text}
            elif customer.email:
                mail.send(
                    EmailMessage(
                        _("Votre rendez-vous – dossier %(n)s") % {"n": case.number}, text, to=[customer.email]
                    )
                )
                note = _("Créneau d'arrivée envoyé au client par e-mail : « %(t)s »") % {"t": text}
            else:
                note = _("Le client n'a ni mobile ni e-mail : appelez-le pour lui donner le créneau.")
        except Exception:  # an SMS provider or mail server down: the counter calls instead
            logger.exception("avis de passage non envoyé (dossier %s)", case.number)
            note = _("L'avis de passage n'a pas pu partir : appelez le client pour lui donner le créneau.")
        case_services.case_add_note(case=case, actor=actor, note=note)


def _withdraw_left_out(plan: DayPlan, kept: set[int], actor: User) -> None:
    """Visits of the previous validated plan that the new one leaves out: their dossiers are still planned for
    that day, so each gets a timeline note to call the customer and plan again; the plan counts them."""
    withdrawn = []
    previous = PlanStop.objects.filter(route__plan=plan, route__validated=True).exclude(visit_id__in=kept)
    for stop in previous.select_related("visit__order__case"):
        case = stop.visit.order.case
        if case.status != CaseStatus.PLANIFIE:
            continue
        case_services.case_add_note(
            case=case,
            actor=actor,
            note=_(
                "Retiré du plan du %(d)s validé à nouveau : prévenez le client et planifiez une autre date."
            )
            % {"d": plan.day.strftime("%d/%m/%Y")},
        )
        withdrawn.append(case.number)
    plan.figures = {**plan.figures, "withdrawn": withdrawn}


def keep_draft_as_validated(plan: DayPlan, drafts: list[PlanRoute]) -> None:
    """Replace the plan's validated routes by copies of the draft ones (the draft stays for re-optimising)."""
    PlanRoute.objects.filter(plan=plan, validated=True).delete()
    for route in drafts:
        stops = list(route.stops.all())
        route.pk = None
        route.validated = True
        route.save()
        for stop in stops:
            stop.pk = None
            stop.route = route
        PlanStop.objects.bulk_create(stops)


def _schedule_case(stop: PlanStop, technician: User, actor: User) -> None:
    order = stop.visit.order
    case = order.case
    window = _("Arrivée prévue entre %(a)s et %(b)s.") % {
        "a": timezone.localtime(stop.arrival_from).strftime("%H:%M"),
        "b": timezone.localtime(stop.arrival_to).strftime("%H:%M"),
    }
    if case.status in (CaseStatus.ACCEPTE, CaseStatus.ATTENTE_PIECES):
        case_services.case_plan_visit(
            case=case, actor=actor, technician=technician, planned_for=stop.start, note=window
        )
    elif case.technician_id != technician.pk or case.planned_for != stop.start:
        case.technician = technician
        case.planned_for = stop.start
        case.save(update_fields=["technician", "planned_for"])
        case_services.case_add_note(
            case=case,
            actor=actor,
            note=_("Intervention replanifiée avec %(t)s le %(d)s. %(w)s")
            % {"t": technician, "d": timezone.localtime(stop.start).strftime("%d/%m/%Y"), "w": window},
        )
    RepairOrder.objects.filter(pk=order.pk).update(technician=technician, planned_for=stop.start)


def ensure_technician(actor: User) -> None:
    if not (actor.is_superuser or actor.has_role(Role.TECHNICIEN)):
        raise PermissionRefused()
