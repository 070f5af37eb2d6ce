"""Writing services of the dossier: open it, one service per transition, notes and assignment.

Every service is atomic, locks the dossier row (core.locking.lock), re-checks state, role and site under the
lock, then writes the change and its timeline entry together. Roles come from repairs.workflow: the steps'
table, and its permissions for work that does not move the dossier (notes, assignment).
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.core.access import require_step
from atelier.core.choices import Role
from atelier.core.errors import AtelierError, PermissionRefused, TransitionRefused
from atelier.core.locking import lock
from atelier.core.models import Site, User
from atelier.core.permissions import require_site
from atelier.core.services import sequence_next
from atelier.customers.models import Appliance, Customer
from atelier.repairs import extensions, workflow
from atelier.repairs.choices import CaseStatus, Channel, EventKind, WorkLocation
from atelier.repairs.models import CaseEvent, RepairCase
from atelier.repairs.workflow import BY_NAME, Transition

NUMBER_KIND = "dossier"


def _number(site: Site, year: int) -> str:
    value = sequence_next(site=site, kind=NUMBER_KIND, year=year)
    return f"{site.code}-{year}-{value:06d}"


@transaction.atomic
def case_open(
    *,
    actor: User,
    customer: Customer,
    appliance: Appliance,
    customer_words: str,
    channel: str = Channel.COMPTOIR,
    location: str = WorkLocation.ATELIER,
    accessories: str = "",
    visible_condition: str = "",
    at: datetime.datetime | None = None,
) -> RepairCase:
    """Open a dossier at intake for one appliance of a customer, in the customer's site."""
    require_step(actor, "repairs.open", site=customer.site)
    require_site(actor, customer.site)
    if appliance.customer_id != customer.pk:
        raise AtelierError(_("Cet appareil n'appartient pas à ce client."), field="appliance")
    if customer.anonymised_at:  # RGPD: the person is gone from this file; a new visit opens a new file
        raise AtelierError(_("Cette fiche client a été anonymisée : ouvrez une nouvelle fiche."))
    if not customer_words.strip():
        raise AtelierError(_("Notez la panne avec les mots du client."), field="customer_words")
    at = at or timezone.now()
    case = RepairCase(
        site=customer.site,
        customer=customer,
        appliance=appliance,
        customer_words=customer_words.strip(),
        channel=channel,
        location=location,
        accessories=accessories.strip(),
        visible_condition=visible_condition.strip(),
        received_at=at,
        received_by=actor,
        status_changed_at=at,
    )
    case.full_clean(exclude=["number"])
    case.number = _number(customer.site, timezone.localtime(at).year)
    case.save()
    CaseEvent.objects.create(
        case=case,
        at=at,
        actor=actor,
        kind=EventKind.OPENED,
        to_status=case.status,
        label=_("Dossier ouvert (%(channel)s)") % {"channel": case.get_channel_display()},
    )
    return case


@transaction.atomic
def _transition(
    *,
    name: str,
    case: RepairCase,
    actor: User | None,
    note: str = "",
    at: datetime.datetime | None = None,
    by_system: bool = False,
    label: str = "",
    **changes,
) -> RepairCase:
    step: Transition = BY_NAME[name]
    if by_system:
        pass  # a scheduled job (case_close_automatically): no one's role, the rule is the job's
    elif actor is None:
        # the customer alone, through the tracking link: the unguessable link stands for role and site
        if not step.customer_may:
            raise PermissionRefused(
                _("« %(step)s » ne peut être fait que par le personnel du magasin.") % {"step": step.label}
            )
    else:
        require_site(actor, case.site)
        workflow.check_role(step, actor, case.site)
    fresh = lock(case)  # two people cannot move the dossier at once
    if fresh.status not in step.sources or (step.location and step.location != fresh.location):
        raise TransitionRefused(
            _("« %(step)s » est impossible : le dossier %(number)s est à l'état « %(state)s ».")
            % {"step": step.label, "number": fresh.number, "state": fresh.get_status_display()}
        )
    if refusals := extensions.step_refusals(fresh, name):
        raise TransitionRefused(
            _("« %(step)s » est impossible pour le dossier %(number)s : %(reasons)s")
            % {"step": step.label, "number": fresh.number, "reasons": " ; ".join(refusals)}
        )
    note = (note or "").strip()
    if step.note_required and not note:
        raise AtelierError(_("Renseignez « %(what)s ».") % {"what": step.note_label}, field="note")
    at = at or timezone.now()
    from_status = fresh.status
    for field, value in changes.items():
        setattr(fresh, field, value)
    fresh.status = step.target
    fresh.status_changed_at = at
    if step.target == CaseStatus.CLOTURE:
        fresh.closed_at = at
    fresh.save()
    CaseEvent.objects.create(
        case=fresh,
        at=at,
        actor=actor,
        kind=EventKind.TRANSITION,
        from_status=from_status,
        to_status=step.target,
        label=label or str(step.label),
        note=note,
    )
    extensions.run_after_step(fresh, name, actor, at)
    _copy_state(fresh, into=case)
    return fresh


def _copy_state(fresh: RepairCase, *, into: RepairCase) -> None:
    """Keep the caller's object in step with what was saved, without reading it back."""
    for field in fresh._meta.concrete_fields:
        setattr(into, field.attname, getattr(fresh, field.attname))


def _take_if_technician(case: RepairCase, actor: User) -> dict:
    """A technician who starts work on an unassigned dossier becomes its technician."""
    if case.technician_id is None and actor.has_role(Role.TECHNICIEN):  # a trade, not a permission
        return {"technician": actor}
    return {}


def case_prediagnose(*, case: RepairCase, actor: User, note: str, at=None) -> RepairCase:
    return _transition(name="prediagnose", case=case, actor=actor, note=note, at=at)


def case_send_quote(*, case: RepairCase, actor: User, note: str = "", at=None) -> RepairCase:
    return _transition(name="send_quote", case=case, actor=actor, note=note, at=at)


def case_accept_quote(*, case: RepairCase, actor: User | None, note: str = "", at=None) -> RepairCase:
    """actor None: the customer accepted online, through the tracking link (the quote's service checks it)."""
    return _transition(name="accept_quote", case=case, actor=actor, note=note, at=at)


def case_refuse_quote(*, case: RepairCase, actor: User | None, note: str, at=None) -> RepairCase:
    return _transition(name="refuse_quote", case=case, actor=actor, note=note, at=at)


def case_plan_visit(
    *,
    case: RepairCase,
    actor: User,
    technician: User | None,
    planned_for: datetime.datetime | None,
    note: str = "",
    at=None,
) -> RepairCase:
    """Plan the home visit: a technician of the dossier's site and a date."""
    if technician is None or planned_for is None:
        raise AtelierError(_("Choisissez le technicien et la date de l'intervention."), field="technician")
    _check_technician(case, technician)
    return _transition(
        name="plan_visit",
        case=case,
        actor=actor,
        note=note,
        at=at,
        technician=technician,
        planned_for=planned_for,
    )


def case_receive_in_workshop(*, case: RepairCase, actor: User, note: str = "", at=None) -> RepairCase:
    return _transition(
        name="receive_in_workshop",
        case=case,
        actor=actor,
        note=note,
        at=at,
        **_take_if_technician(case, actor),
    )


def case_wait_for_parts(*, case: RepairCase, actor: User, note: str, at=None) -> RepairCase:
    return _transition(name="wait_for_parts", case=case, actor=actor, note=note, at=at)


def case_start_repair(*, case: RepairCase, actor: User, note: str = "", at=None) -> RepairCase:
    return _transition(
        name="start_repair", case=case, actor=actor, note=note, at=at, **_take_if_technician(case, actor)
    )


def case_mark_repaired(*, case: RepairCase, actor: User, note: str, at=None) -> RepairCase:
    return _transition(name="mark_repaired", case=case, actor=actor, note=note, at=at)


def case_commission(*, case: RepairCase, actor: User, note: str, at=None) -> RepairCase:
    return _transition(name="commission", case=case, actor=actor, note=note, at=at)


def case_hand_back(*, case: RepairCase, actor: User, note: str = "", at=None) -> RepairCase:
    return _transition(name="hand_back", case=case, actor=actor, note=note, at=at)


def case_close(*, case: RepairCase, actor: User, note: str = "", at=None) -> RepairCase:
    return _transition(name="close", case=case, actor=actor, note=note, at=at)


def case_close_automatically(*, case: RepairCase, note: str, at=None) -> RepairCase:
    """The scheduler closes a dossier handed back and paid for some days (billing.services_followup): the
    same step as « Clôturer le dossier », taken by no one, its timeline entry « Clôture automatique » saying why."""
    return _transition(
        name="close", case=case, actor=None, note=note, at=at, by_system=True, label=_("Clôture automatique")
    )


@transaction.atomic
def case_system_note(*, case: RepairCase, label: str, note: str, at=None) -> CaseEvent:
    """A timeline entry written by a scheduled job (a quote expired…): no actor, the label says what."""
    return CaseEvent.objects.create(
        case=case, at=at or timezone.now(), actor=None, kind=EventKind.NOTE, label=label, note=note
    )


def case_declare_unrepairable(*, case: RepairCase, actor: User, note: str, at=None) -> RepairCase:
    return _transition(name="declare_unrepairable", case=case, actor=actor, note=note, at=at)


def case_cancel(*, case: RepairCase, actor: User, note: str, at=None) -> RepairCase:
    return _transition(name="cancel", case=case, actor=actor, note=note, at=at)


def case_abandon(*, case: RepairCase, actor: User, note: str = "", at=None) -> RepairCase:
    """The owner never came back: the appliance enters the shop's stock (called by the second life's intake)."""
    return _transition(name="abandon", case=case, actor=actor, note=note, at=at)


# The service of each step of workflow.TRANSITIONS, for the dossier page's single "take this step" view.
SERVICES = {
    "prediagnose": case_prediagnose,
    "send_quote": case_send_quote,
    "accept_quote": case_accept_quote,
    "refuse_quote": case_refuse_quote,
    "plan_visit": case_plan_visit,
    "receive_in_workshop": case_receive_in_workshop,
    "wait_for_parts": case_wait_for_parts,
    "start_repair": case_start_repair,
    "mark_repaired": case_mark_repaired,
    "commission": case_commission,
    "hand_back": case_hand_back,
    "close": case_close,
    "declare_unrepairable": case_declare_unrepairable,
    "cancel": case_cancel,
    "abandon": case_abandon,
}


def _check_technician(case: RepairCase, technician: User) -> None:
    if not technician.is_active or not technician.has_role(Role.TECHNICIEN):
        raise AtelierError(_("%(name)s n'est pas technicien.") % {"name": technician}, field="technician")
    if not technician.sites.filter(pk=case.site_id).exists():
        raise AtelierError(
            _("%(name)s ne travaille pas sur le site %(site)s.")
            % {"name": technician, "site": case.site.code},
            field="technician",
        )


@transaction.atomic
def case_assign_technician(*, case: RepairCase, actor: User, technician: User | None) -> RepairCase:
    """Assign (or unassign) the technician in charge; closed or cancelled dossiers are frozen."""
    workflow.check_role(workflow.ASSIGN, actor, case.site)
    require_site(actor, case.site)
    fresh = lock(case)
    if fresh.is_closed:
        raise TransitionRefused(_("Le dossier %(number)s est fermé.") % {"number": fresh.number})
    if technician is not None:
        _check_technician(fresh, technician)
    fresh.technician = technician
    fresh.save(update_fields=["technician"])
    label = (_("Confié à %(name)s") % {"name": technician}) if technician else _("Technicien retiré")
    CaseEvent.objects.create(case=fresh, actor=actor, kind=EventKind.ASSIGNMENT, label=label)
    _copy_state(fresh, into=case)
    return fresh


@transaction.atomic
def case_add_note(*, case: RepairCase, actor: User, note: str) -> CaseEvent:
    """A free note on the timeline (call to the customer, remark), by the roles that work on the dossier
    (workflow.ADD_NOTE: the roles of its steps; not the accountant nor the trainer, who only read it)."""
    workflow.check_role(workflow.ADD_NOTE, actor, case.site)
    require_site(actor, case.site)
    note = note.strip()
    if not note:
        raise AtelierError(_("La note est vide."), field="note")
    return CaseEvent.objects.create(case=case, actor=actor, kind=EventKind.NOTE, label=_("Note"), note=note)
