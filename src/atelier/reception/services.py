"""Writes of the reception: take a ticket or log a call, call next (or out of turn), close a ticket (served,
no-show, redirected), take charge of the customer, record and handle complaints.

Every service is atomic; the ticket is locked (core.locking.lock) and its state re-checked before it changes.
"Call next" skips rows other counters hold (SKIP LOCKED on PostgreSQL), so two counters calling at the same
instant get two different tickets and neither waits for the other.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.core.access import require_step
from atelier.core.errors import AtelierError
from atelier.core.locking import lock
from atelier.core.models import Site, User
from atelier.core.permissions import require_site
from atelier.core.services import sequence_next
from atelier.customers.choices import ConsentSource
from atelier.customers.models import Customer
from atelier.customers.services import customer_create
from atelier.reception.choices import (
    Channel,
    ComplaintCause,
    Destination,
    Reason,
    TicketEventKind,
    TicketStatus,
)
from atelier.reception.errors import QueueEmpty, TicketClosed
from atelier.reception.models import Complaint, Counter, PriorityRule, Ticket, TicketEvent
from atelier.reception.queueing import rank_at
from atelier.repairs.models import RepairCase


def _event(ticket: Ticket, kind: str, actor: User, at: datetime.datetime, note: str = "") -> None:
    TicketEvent.objects.create(ticket=ticket, kind=kind, actor=actor, at=at, note=note)


def _check_counter(actor: User, counter: Counter) -> None:
    require_site(actor, counter.site)
    if not counter.is_active:
        raise AtelierError(_("Le %(counter)s est fermé.") % {"counter": counter.name}, field="counter")


@transaction.atomic
def ticket_take(
    *,
    actor: User,
    site: Site,
    reason: str,
    channel: str = Channel.COMPTOIR,
    priority: PriorityRule | None = None,
    caller_number: str = "",
    at: datetime.datetime | None = None,
) -> Ticket:
    """A newcomer takes a numbered ticket (at the counter), or a phone call is logged and answered at once.

    Numbers restart at 1 every day and per site, from a gapless sequence.
    """
    require_step(actor, "reception.queue", site=site)
    require_site(actor, site)
    if reason not in Reason.values:
        raise AtelierError(_("Motif inconnu : « %(value)s ».") % {"value": reason}, field="reason")
    if channel not in Channel.values:
        raise AtelierError(_("Canal inconnu : « %(value)s ».") % {"value": channel}, field="channel")
    caller_number = caller_number.strip()
    if channel == Channel.TELEPHONE and not caller_number:
        raise AtelierError(_("Notez le numéro de l'appelant (ou « masqué »)."), field="caller_number")
    if priority is not None and not priority.is_active:
        raise AtelierError(_("Cette priorité n'est plus en vigueur."), field="priority")
    at = at or timezone.now()
    day = timezone.localdate(at)
    ticket = Ticket(
        site=site,
        day=day,
        channel=channel,
        reason=reason,
        caller_number=caller_number if channel == Channel.TELEPHONE else "",
        priority=priority,
        arrived_at=at,
        rank_at=rank_at(at, priority.boost_minutes if priority else 0),
        created_by=actor,
    )
    if channel == Channel.TELEPHONE:  # the person who logs the call is the one answering it
        ticket.status = TicketStatus.APPELE
        ticket.called_at = at
        ticket.called_by = actor
        ticket.wait_seconds = 0
    ticket.number = sequence_next(site=site, kind=f"ticket-{day:%m%d}", year=day.year)
    ticket.full_clean()
    ticket.save()
    _event(ticket, TicketEventKind.PRIS, actor, at)
    return ticket


def _mark_called(ticket: Ticket, *, actor: User, counter: Counter, at: datetime.datetime) -> None:
    ticket.status = TicketStatus.APPELE
    ticket.counter = counter
    ticket.called_at = at
    ticket.called_by = actor
    ticket.wait_seconds = max(0, int((at - ticket.arrived_at).total_seconds()))
    ticket.save(
        update_fields=["status", "counter", "called_at", "called_by", "wait_seconds", "override_reason"]
    )


@transaction.atomic
def ticket_call_next(*, actor: User, counter: Counter, at: datetime.datetime | None = None) -> Ticket:
    """Call the waiting ticket that comes first by the rules (rank, then arrival) to this counter."""
    require_step(actor, "reception.queue")
    _check_counter(actor, counter)
    at = at or timezone.now()
    # Not core.locking: SKIP LOCKED is the point here, a row another counter holds is passed over, not waited for.
    ticket = (
        Ticket.objects.select_for_update(skip_locked=True)
        .filter(site_id=counter.site_id, status=TicketStatus.EN_ATTENTE)
        .order_by("rank_at", "pk")
        .first()
    )
    if ticket is None:
        raise QueueEmpty()
    _mark_called(ticket, actor=actor, counter=counter, at=at)
    _event(ticket, TicketEventKind.APPELE, actor, at, counter.name)
    return ticket


@transaction.atomic
def ticket_call(
    *, actor: User, ticket: Ticket, counter: Counter, reason: str, at: datetime.datetime | None = None
) -> Ticket:
    """Call a given ticket out of turn; the reason is required and logged."""
    require_step(actor, "reception.queue", site=ticket.site)
    _check_counter(actor, counter)
    require_site(actor, ticket.site)
    if ticket.site_id != counter.site_id:
        raise AtelierError(_("Ce ticket n'est pas dans la file de ce guichet."))
    reason = reason.strip()
    if not reason:
        raise AtelierError(_("Indiquez pourquoi ce ticket passe avant son tour."), field="reason")
    ticket = lock(ticket, related=("site", "counter"))
    if ticket.status != TicketStatus.EN_ATTENTE:
        raise TicketClosed(
            _("Le ticket %(code)s n'est plus en attente (%(status)s).")
            % {"code": ticket.code, "status": ticket.get_status_display().lower()}
        )
    at = at or timezone.now()
    ticket.override_reason = reason
    _mark_called(ticket, actor=actor, counter=counter, at=at)
    _event(ticket, TicketEventKind.APPELE_HORS_TOUR, actor, at, reason)
    return ticket


def _finish(ticket: Ticket, *, actor: User, status: str, kind: str, at, note: str = "", **fields) -> Ticket:
    require_step(actor, "reception.queue", site=ticket.site)
    require_site(actor, ticket.site)
    ticket = lock(ticket, related=("site", "counter"))
    if ticket.status == TicketStatus.EN_ATTENTE:
        raise TicketClosed(_("Le ticket %(code)s n'a pas encore été appelé.") % {"code": ticket.code})
    if ticket.status != TicketStatus.APPELE:
        raise TicketClosed(
            _("Le ticket %(code)s est déjà clôturé (%(status)s).")
            % {"code": ticket.code, "status": ticket.get_status_display().lower()}
        )
    at = at or timezone.now()
    ticket.status = status
    ticket.finished_at = at
    ticket.service_seconds = max(0, int((at - ticket.called_at).total_seconds()))
    if note:
        ticket.note = note
    for name, value in fields.items():
        setattr(ticket, name, value)
    ticket.full_clean()
    ticket.save()
    _event(ticket, kind, actor, at, note)
    return ticket


@transaction.atomic
def ticket_serve(*, actor: User, ticket: Ticket, at: datetime.datetime | None = None) -> Ticket:
    return _finish(ticket, actor=actor, status=TicketStatus.SERVI, kind=TicketEventKind.SERVI, at=at)


@transaction.atomic
def ticket_no_show(*, actor: User, ticket: Ticket, at: datetime.datetime | None = None) -> Ticket:
    """The customer called did not come to the counter."""
    return _finish(ticket, actor=actor, status=TicketStatus.ABSENT, kind=TicketEventKind.ABSENT, at=at)


@transaction.atomic
def ticket_redirect(
    *, actor: User, ticket: Ticket, destination: str, note: str = "", at: datetime.datetime | None = None
) -> Ticket:
    """Send the customer (or the call) to another service, with a note for them."""
    if destination not in Destination.values:
        raise AtelierError(
            _("Service inconnu : « %(value)s ». Choisissez un service de la liste.") % {"value": destination},
            field="destination",
        )
    return _finish(
        ticket,
        actor=actor,
        status=TicketStatus.REDIRIGE,
        kind=TicketEventKind.REDIRIGE,
        at=at,
        note=note.strip(),
        destination=destination,
    )


@transaction.atomic
def ticket_attach_customer(*, actor: User, ticket: Ticket, customer: Customer) -> Ticket:
    """Take charge: the ticket (or call) now belongs to this customer's file."""
    require_step(actor, "reception.queue", site=ticket.site)
    require_site(actor, ticket.site)
    if customer.site_id != ticket.site_id:
        raise AtelierError(_("Ce client n'est pas suivi par le site de ce ticket."), field="customer")
    ticket = lock(ticket, related=("site", "counter"))
    ticket.customer = customer
    ticket.save(update_fields=["customer"])
    _event(ticket, TicketEventKind.CLIENT, actor, timezone.now(), customer.display_name)
    return ticket


@transaction.atomic
def ticket_create_customer(*, actor: User, ticket: Ticket, **fields) -> Ticket:
    """Take charge of someone new: open their file in the ticket's site and attach it, in one step."""
    require_site(actor, ticket.site)
    # a caller gave their consent on the phone, a visitor at the counter (consent history, RGPD)
    source = ConsentSource.TELEPHONE if ticket.channel == Channel.TELEPHONE else ConsentSource.GUICHET
    customer = customer_create(actor=actor, site=ticket.site, consent_source=source, **fields)
    return ticket_attach_customer(actor=actor, ticket=ticket, customer=customer)


@transaction.atomic
def complaint_record(
    *,
    actor: User,
    said: str,
    cause: str,
    action_taken: str = "",
    manager_called: bool = False,
    ticket: Ticket | None = None,
    customer: Customer | None = None,
    case: RepairCase | None = None,
    at: datetime.datetime | None = None,
) -> Complaint:
    """Record a complaint or tension about a ticket, a customer and/or a dossier (all of one site)."""
    require_step(actor, "reception.complaint")
    subjects = [s for s in (ticket, customer, case) if s is not None]
    if not subjects:
        raise AtelierError(_("Rattachez le mécontentement à un ticket, un client ou un dossier."))
    sites = {s.site_id for s in subjects}
    if len(sites) > 1:
        raise AtelierError(_("Le ticket, le client et le dossier doivent être du même site."))
    site = subjects[0].site
    require_site(actor, site)
    if case is not None and customer is None:
        customer = case.customer
    if ticket is not None and customer is None:
        customer = ticket.customer
    if not said.strip():
        raise AtelierError(_("Notez ce que le client a dit, avec ses mots."), field="said")
    if cause not in ComplaintCause.values:
        raise AtelierError(_("Cause inconnue : « %(value)s ».") % {"value": cause}, field="cause")
    complaint = Complaint(
        site=site,
        ticket=ticket,
        customer=customer,
        case=case,
        said=said.strip(),
        cause=cause,
        action_taken=action_taken.strip(),
        manager_called=manager_called,
        created_at=at or timezone.now(),
        created_by=actor,
    )
    complaint.full_clean()
    complaint.save()
    return complaint


@transaction.atomic
def complaint_handle(*, actor: User, complaint: Complaint, note: str) -> Complaint:
    """The manager closes a complaint with what was done about it."""
    require_step(actor, "reception.complaint_close", site=complaint.site)
    require_site(actor, complaint.site)
    complaint = lock(complaint)
    if complaint.handled_at is not None:
        raise TicketClosed(_("Ce mécontentement est déjà traité."))
    if not note.strip():
        raise AtelierError(_("Notez la suite donnée."), field="handling_note")
    complaint.handled_at = timezone.now()
    complaint.handled_by = actor
    complaint.handling_note = note.strip()
    complaint.full_clean()
    complaint.save()
    return complaint
