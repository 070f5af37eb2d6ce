"""Validating a draft: the dossiers planned, the validated routes kept apart from drafts, the customers' arrival
window queued in the outbox in the same transaction (sent by the worker after commit)."""

import datetime

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from atelier.core.errors import AtelierError
from atelier.core.models import User
from atelier.planning.models import (
    DayPlan,
    PlanRoute,
    PlanState,
    PlanStop,
)
from atelier.planning.services.common import _locked_plan, _manager
from atelier.quotes.models import RepairOrder
from atelier.repairs import services as case_services
from atelier.repairs.choices import CaseStatus


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
    tell_customers(to_tell, actor)
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
    """Each customer planned or moved gets the arrival window by SMS (or by e-mail without a mobile phone),
    queued in the outbox in the plan's transaction (messaging: sent by the worker after commit, its real state
    on the dossier); the dossier's timeline says so, or asks the counter to call when neither can reach them."""
    from atelier.messaging.choices import Channel, Purpose
    from atelier.messaging.services import channels_for, message_enqueue

    for stop in stops:
        case = stop.visit.order.case
        customer = case.customer
        text = arrival_message(stop)
        channels = channels_for(customer)
        if not channels:
            note = _("Le client n'a ni mobile ni e-mail : appelez-le pour lui donner le créneau.")
        else:
            channel = Channel.SMS if Channel.SMS in channels else Channel.EMAIL
            message_enqueue(
                site=case.site,
                customer=customer,
                case=case,
                channel=channel,
                body=text,
                subject=_("Votre rendez-vous – dossier %(n)s") % {"n": case.number}
                if channel == Channel.EMAIL
                else "",
                purpose=Purpose.VISIT_WINDOW,
                actor=actor,
            )
            note = (
                _("Créneau d'arrivée mis en file pour le client par SMS : « %(t)s »")
                if channel == Channel.SMS
                else _("Créneau d'arrivée mis en file pour le client par e-mail : « %(t)s »")
            ) % {"t": text}
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
