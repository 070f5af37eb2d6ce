"""Reception screens: the queue and the counter, one ticket (taking charge), the public display, complaints,
the manager's measures. Each view parses, calls one service, and shows the result or the French refusal."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from atelier.core.actions import Action, run_action
from atelier.core.choices import Role
from atelier.core.forms import call_service
from atelier.core.models import Site
from atelier.core.permissions import role_required
from atelier.core.scoping import visible_or_404
from atelier.customers import extensions as customer_extensions
from atelier.customers import selectors as customer_selectors
from atelier.customers.models import Customer
from atelier.reception import selectors, services
from atelier.reception.choices import Channel, Reason, TicketStatus
from atelier.reception.forms import (
    CallForm,
    ComplaintForm,
    HandleForm,
    OverrideForm,
    PeriodForm,
    QuickCustomerForm,
    RedirectForm,
    TicketForm,
)
from atelier.reception.models import Ticket
from atelier.repairs.models import RepairCase

STAFF = services.STAFF_ROLES
MEASURE_ROLES = (Role.RESPONSABLE_SAV,)
SEARCH_LIMIT = 8


def _site(request: HttpRequest) -> Site:
    """The site whose queue is shown: ?site=CODE, else the last one chosen, else the user's first site."""
    sites = Site.objects.visible_to(request.user)
    code = request.GET.get("site") or request.session.get("reception_site")
    site = sites.filter(code=code).first() if code else None
    site = site or request.user.sites.filter(is_active=True).first() or sites.first()
    if site is None:
        raise PermissionDenied(_("Vous n'êtes rattaché à aucun site."))
    if request.session.get("reception_site") != site.code:
        request.session["reception_site"] = site.code
    return site


@role_required(*STAFF)
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    site = _site(request)
    counters = list(selectors.counters(site))
    counter_pk = request.session.get(f"reception_counter_{site.pk}")
    state = selectors.queue_state(site, open_counters=len(counters))
    return render(
        request,
        "reception/queue.html",
        {
            "nav": "reception",
            "site": site,
            "sites": Site.objects.visible_to(request.user) if len(request.user.visible_site_ids) > 1 else [],
            "counters": counters,
            "can_measure": request.user.has_role(*MEASURE_ROLES),
            "counter": next((c for c in counters if c.pk == counter_pk), None),
            "state": state,
            "service_times": [
                {
                    "label": label,
                    "minutes": state.service_minutes.get(value, state.default_minutes),
                    "measured": value in state.service_minutes,
                }
                for value, label in Reason.choices
            ],
            "ticket_form": TicketForm(),
            "call_form": CallForm(),
            "override_form": OverrideForm(),
        },
    )


@role_required(*STAFF)
@require_POST
def ticket_take(request: HttpRequest) -> HttpResponse:
    site = _site(request)
    channel = request.POST.get("channel", Channel.COMPTOIR)
    form = CallForm(request.POST) if channel == Channel.TELEPHONE else TicketForm(request.POST)
    ticket = None
    if form.is_valid():
        ticket = call_service(
            form, services.ticket_take, actor=request.user, site=site, channel=channel, **form.cleaned_data
        )
    if ticket is None:  # refused by the form or the service: said at the top of the queue, nothing written
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("reception:queue")
    if ticket.channel == Channel.TELEPHONE:
        messages.success(request, _("Appel %(code)s noté.") % {"code": ticket.code})
        return redirect("reception:ticket", pk=ticket.pk)
    waits = {t.pk: t.expected_wait for t in selectors.queue_state(site).waiting}
    messages.success(
        request,
        _("Ticket %(code)s remis au client : attente estimée %(wait)s min.")
        % {"code": ticket.code, "wait": waits.get(ticket.pk, 0)},
    )
    return redirect("reception:queue")


@role_required(*STAFF)
@require_POST
def counter_choose(request: HttpRequest) -> HttpResponse:
    try:
        counter = selectors.counter_get(user=request.user, pk=int(request.POST.get("counter", "")))
    except ValueError:
        raise Http404 from None
    request.session[f"reception_counter_{counter.site_id}"] = counter.pk
    request.session["reception_site"] = counter.site.code
    return redirect("reception:queue")


def _counter(request: HttpRequest):
    try:
        return selectors.counter_get(user=request.user, pk=int(request.POST.get("counter", "")))
    except ValueError:
        return None


@role_required(*STAFF)
@require_POST
def call_next(request: HttpRequest) -> HttpResponse:
    counter = _counter(request)
    if counter is None:
        messages.error(request, _("Choisissez d'abord votre guichet."))
        return redirect("reception:queue")
    # a button: a refusal (empty queue, closed counter) is told by core.middleware.AtelierErrorMiddleware
    ticket = services.ticket_call_next(actor=request.user, counter=counter)
    messages.success(
        request, _("Ticket %(code)s appelé au %(counter)s.") % {"code": ticket.code, "counter": counter.name}
    )
    return redirect("reception:ticket", pk=ticket.pk)


@role_required(*STAFF)
@require_POST
def call_ticket(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = selectors.ticket_get(user=request.user, pk=pk)
    counter = _counter(request)
    if counter is None:
        messages.error(request, _("Choisissez d'abord votre guichet."))
        return redirect("reception:queue")
    done = services.ticket_call(
        actor=request.user, ticket=ticket, counter=counter, reason=request.POST.get("reason", "")
    )
    messages.success(
        request,
        _("Ticket %(code)s appelé hors tour au %(counter)s.") % {"code": done.code, "counter": counter.name},
    )
    return redirect("reception:ticket", pk=done.pk)


def _search(request: HttpRequest, ticket: Ticket, query: str) -> list[Customer]:
    if not query.strip():
        return []
    return list(
        customer_selectors.customer_list(user=request.user, query=query).filter(site=ticket.site)[
            :SEARCH_LIMIT
        ]
    )


def _ticket_page(request, ticket, *, failed=None, failed_form=None, status=200):
    query = request.GET.get("q", "")
    history = customer_selectors.customer_history(ticket.customer) if ticket.customer else None
    return render(
        request,
        "reception/ticket.html",
        {
            "nav": "reception",
            "ticket": ticket,
            "Channel": Channel,
            "TicketStatus": TicketStatus,
            "customer": ticket.customer,
            "history": history,
            # what other apps show on the customer file (open quotes, complaints…), at hand when taking charge
            "sections": customer_extensions.collect_detail_sections(request, ticket.customer)
            if ticket.customer
            else [],
            "open_complaints": list(ticket.customer.complaints.filter(handled_at=None))
            if ticket.customer
            else [],
            "events": ticket.events.select_related("actor"),
            "query": query,
            "results": _search(request, ticket, query) if not ticket.customer or query else [],
            "redirect_form": failed_form
            if failed == "rediriger"
            else RedirectForm(auto_id="id_rediriger_%s"),
            "customer_form": failed_form
            if failed == "nouveau_client"
            else QuickCustomerForm(initial={"phone": ticket.caller_number}, auto_id="id_nouveau_client_%s"),
        },
        status=status,
    )


@role_required(*STAFF)
@require_GET
def ticket_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _ticket_page(request, selectors.ticket_get(user=request.user, pk=pk))


def _redirected(ticket) -> str:
    return _("Ticket %(code)s redirigé vers : %(to)s.") % {
        "code": ticket.code,
        "to": ticket.get_destination_display(),
    }


# The ticket page's forms (each with its own ids: two sit on the page with the customer search).
TICKET_ACTIONS = {
    "rediriger": Action(
        form=RedirectForm,
        service=services.ticket_redirect,
        target="ticket",
        success=_redirected,
        next=lambda request, ticket, result: reverse("reception:queue"),
    ),
    "nouveau_client": Action(
        form=QuickCustomerForm,
        service=services.ticket_create_customer,
        target="ticket",
        success=_("Fiche client créée et prise en charge."),
    ),
}


def _ticket_action(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    ticket = selectors.ticket_get(user=request.user, pk=pk)
    return run_action(
        request,
        ticket,
        name,
        TICKET_ACTIONS,
        show_again=_ticket_page,
        done=lambda ticket: reverse("reception:ticket", args=[ticket.pk]),
    )


# The ticket's buttons without a form; a refusal is told by core.middleware.AtelierErrorMiddleware.
CLOSING_BUTTONS = {
    "servi": (services.ticket_serve, _("Ticket %(code)s servi.")),
    "absent": (services.ticket_no_show, _("Ticket %(code)s noté absent.")),
}


@role_required(*STAFF)
@require_POST
def ticket_close(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action == "rediriger":
        return _ticket_action(request, pk, action)
    if action not in CLOSING_BUTTONS:
        raise Http404
    ticket = selectors.ticket_get(user=request.user, pk=pk)
    service, text = CLOSING_BUTTONS[action]
    done = service(actor=request.user, ticket=ticket)
    messages.success(request, text % {"code": done.code})
    return redirect("reception:queue")


@role_required(*STAFF)
@require_POST
def ticket_customer(request: HttpRequest, pk: int) -> HttpResponse:
    """Take charge of a known customer (found by the search on the ticket page)."""
    ticket = selectors.ticket_get(user=request.user, pk=pk)
    customer = customer_selectors.customer_get(user=request.user, pk=request.POST.get("customer", ""))
    services.ticket_attach_customer(actor=request.user, ticket=ticket, customer=customer)
    messages.success(request, _("Client pris en charge : %(name)s.") % {"name": customer.display_name})
    return redirect("reception:ticket", pk=ticket.pk)


@role_required(*STAFF)
@require_POST
def ticket_new_customer(request: HttpRequest, pk: int) -> HttpResponse:
    """Take charge of someone new: create the file from the ticket page and attach it, in one step."""
    return _ticket_action(request, pk, "nouveau_client")


def _display_site(code: str) -> Site:
    # The waiting room's public screen: no login, so no user to scope by; it shows numbers and counters only.
    return get_object_or_404(Site, code=code, is_active=True)


@require_GET
def display(request: HttpRequest, code: str) -> HttpResponse:
    """The public screen of the waiting room: numbers and counters only; refreshes itself every 5 s."""
    site = _display_site(code)
    return render(request, "reception/display.html", {"site": site, "board": selectors.display_board(site)})


@require_GET
def display_board(request: HttpRequest, code: str) -> HttpResponse:
    site = _display_site(code)
    return render(
        request,
        "reception/_board.html",
        {"site": site, "board": selectors.display_board(site), "refresh": True},
    )


def _subjects(request: HttpRequest, source) -> dict:
    """The ticket, customer and dossier a complaint is about, from ?ticket=, ?client=, ?dossier= (404 outside
    the user's sites)."""
    subjects = {}
    user = request.user
    if value := source.get("ticket"):
        subjects["ticket"] = visible_or_404(Ticket, user, pk=value)
    if value := source.get("client"):
        subjects["customer"] = visible_or_404(Customer, user, pk=value)
    if value := source.get("dossier"):
        subjects["case"] = visible_or_404(RepairCase.objects.select_related("customer"), user, pk=value)
    return subjects


@role_required(*services.COMPLAINT_ROLES)
def complaint_create(request: HttpRequest) -> HttpResponse:
    subjects = _subjects(request, request.POST if request.method == "POST" else request.GET)
    if not subjects:
        raise Http404
    form = ComplaintForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        complaint = call_service(
            form, services.complaint_record, actor=request.user, **subjects, **form.cleaned_data
        )
        if complaint:
            messages.success(request, _("Mécontentement enregistré."))
            return redirect("reception:complaint_detail", pk=complaint.pk)
    return render(
        request,
        "reception/complaint_form.html",
        {"nav": "reception", "form": form, **subjects, "subject_customer": _subject_customer(subjects)},
        status=400 if request.method == "POST" else 200,
    )


def _subject_customer(subjects: dict):
    if "customer" in subjects:
        return subjects["customer"]
    if "case" in subjects:
        return subjects["case"].customer
    if "ticket" in subjects:
        return subjects["ticket"].customer
    return None


@role_required(*services.COMPLAINT_ROLES)
def complaint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = selectors.complaint_get(user=request.user, pk=pk)
    form = HandleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = call_service(
            form,
            services.complaint_handle,
            actor=request.user,
            complaint=complaint,
            note=form.cleaned_data["note"],
        )
        if done:
            messages.success(request, _("Mécontentement traité."))
            return redirect("reception:complaint_detail", pk=done.pk)
    return render(
        request,
        "reception/complaint_detail.html",
        {
            "nav": "reception",
            "complaint": complaint,
            "form": form,
            "can_handle": request.user.has_role(*services.HANDLER_ROLES),
        },
        status=400 if request.method == "POST" else 200,
    )


@role_required(*services.COMPLAINT_ROLES)
@require_GET
def complaint_list(request: HttpRequest) -> HttpResponse:
    show_all = request.GET.get("tous") == "1"
    qs = selectors.complaint_visible(request.user)
    if not show_all:
        qs = qs.filter(handled_at=None)
    return render(
        request,
        "reception/complaint_list.html",
        {"nav": "reception", "complaints": qs[:200], "show_all": show_all},
    )


@role_required(*MEASURE_ROLES)
@require_GET
def measures(request: HttpRequest) -> HttpResponse:
    site = _site(request)
    form = PeriodForm(request.GET or None)
    days = (form.cleaned_data.get("days") if form.is_valid() else None) or 1
    date_to = timezone.localdate()
    date_from = date_to - datetime.timedelta(days=days - 1)
    figures = selectors.site_measures(site, date_from=date_from, date_to=date_to)
    return render(
        request,
        "reception/measures.html",
        {
            "nav": "reception",
            "site": site,
            "sites": Site.objects.visible_to(request.user) if len(request.user.visible_site_ids) > 1 else [],
            "form": form,
            "days": days,
            "date_from": date_from,
            "date_to": date_to,
            "m": figures,
            "chart": selectors.hour_chart(figures["per_hour"]),
        },
    )
