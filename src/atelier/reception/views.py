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

from atelier.core.access import may, step_required
from atelier.core.actions import Action, run_action
from atelier.core.models import Site
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


TICKET_GIVEN = _("Ticket %(code)s remis au client : attente estimée %(wait)s min.")
CALL_NOTED = _("Appel %(code)s noté.")
COMPLAINT_RECORDED = _("Mécontentement enregistré.")
COMPLAINT_HANDLED = _("Mécontentement traité.")


def _queue_page(request, obj=None, *, failed=None, failed_form=None, status=200):
    """The queue and the counter; a refused ticket or call form is shown again with its French reason."""
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
            "can_measure": may(request.user, "reception.measure", site),
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
            "ticket_form": failed_form if failed == Channel.COMPTOIR else TicketForm(),
            "call_form": failed_form if failed == Channel.TELEPHONE else CallForm(),
            "override_form": OverrideForm(),
        },
        status=status,
    )


@step_required("reception.queue")
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    return _queue_page(request)


def _ticket_given(ticket) -> str:
    if ticket.channel == Channel.TELEPHONE:
        return CALL_NOTED % {"code": ticket.code}
    waits = {t.pk: t.expected_wait for t in selectors.queue_state(ticket.site).waiting}
    return TICKET_GIVEN % {"code": ticket.code, "wait": waits.get(ticket.pk, 0)}


def _after_ticket(request, obj, ticket) -> str:
    """A call is taken in charge at once (its ticket page); a counter ticket goes back to the queue."""
    if ticket.channel == Channel.TELEPHONE:
        return reverse("reception:ticket", args=[ticket.pk])
    return reverse("reception:queue")


def _take_data(request, obj, form) -> dict:
    return {
        "site": _site(request),
        "channel": request.POST.get("channel", Channel.COMPTOIR),
        **form.cleaned_data,
    }


# Giving a ticket at the counter or noting a call: no object yet (target None), the site is the queue's.
TAKE_ACTIONS = {
    channel: Action(
        form=form,
        service=services.ticket_take,
        target=None,
        data=_take_data,
        success=_ticket_given,
        next=_after_ticket,
        plain_ids=True,
    )
    for channel, form in ((Channel.COMPTOIR, TicketForm), (Channel.TELEPHONE, CallForm))
}


@step_required("reception.queue")
@require_POST
def ticket_take(request: HttpRequest) -> HttpResponse:
    _site(request)  # no site: 403 before anything is bound
    channel = request.POST.get("channel", Channel.COMPTOIR)
    name = Channel.TELEPHONE if channel == Channel.TELEPHONE else Channel.COMPTOIR
    return run_action(request, None, name, TAKE_ACTIONS, show_again=_queue_page, done=None)


@step_required("reception.queue")
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


@step_required("reception.queue")
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


@step_required("reception.queue")
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
    found = customer_selectors.customer_results(user=request.user, query=query, site_id=ticket.site_id)
    return list(found[:SEARCH_LIMIT])


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


@step_required("reception.queue")
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


@step_required("reception.queue")
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


@step_required("reception.queue")
@require_POST
def ticket_customer(request: HttpRequest, pk: int) -> HttpResponse:
    """Take charge of a known customer (found by the search on the ticket page)."""
    ticket = selectors.ticket_get(user=request.user, pk=pk)
    customer = customer_selectors.customer_get(user=request.user, pk=request.POST.get("customer", ""))
    services.ticket_attach_customer(actor=request.user, ticket=ticket, customer=customer)
    messages.success(request, _("Client pris en charge : %(name)s.") % {"name": customer.display_name})
    return redirect("reception:ticket", pk=ticket.pk)


@step_required("reception.queue")
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


COMPLAINT_ACTIONS = {
    "record": Action(
        form=ComplaintForm,
        service=services.complaint_record,
        target=None,
        data=lambda request, obj, form: {**_subjects(request, request.POST), **form.cleaned_data},
        success=COMPLAINT_RECORDED,
        next=lambda request, obj, complaint: reverse("reception:complaint_detail", args=[complaint.pk]),
        plain_ids=True,
    ),
    "handle": Action(
        form=HandleForm,
        service=services.complaint_handle,
        target="complaint",
        success=COMPLAINT_HANDLED,
        plain_ids=True,
    ),
}


def _complaint_form_page(request, obj=None, *, failed=None, failed_form=None, status=200):
    subjects = _subjects(request, request.POST if request.method == "POST" else request.GET)
    return render(
        request,
        "reception/complaint_form.html",
        {
            "nav": "reception",
            "form": failed_form or ComplaintForm(),
            **subjects,
            "subject_customer": _subject_customer(subjects),
        },
        status=status,
    )


@step_required("reception.complaint")
def complaint_create(request: HttpRequest) -> HttpResponse:
    if not _subjects(request, request.POST if request.method == "POST" else request.GET):
        raise Http404
    if request.method == "POST":
        return run_action(
            request, None, "record", COMPLAINT_ACTIONS, show_again=_complaint_form_page, done=None
        )
    return _complaint_form_page(request)


def _subject_customer(subjects: dict):
    if "customer" in subjects:
        return subjects["customer"]
    if "case" in subjects:
        return subjects["case"].customer
    if "ticket" in subjects:
        return subjects["ticket"].customer
    return None


def _complaint_page(request, complaint, *, failed=None, failed_form=None, status=200):
    return render(
        request,
        "reception/complaint_detail.html",
        {
            "nav": "reception",
            "complaint": complaint,
            "form": failed_form or HandleForm(),
            "can_handle": may(request.user, "reception.complaint_close", complaint.site_id),
        },
        status=status,
    )


@step_required("reception.complaint")
def complaint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = selectors.complaint_get(user=request.user, pk=pk)
    if request.method == "POST":
        return run_action(
            request,
            complaint,
            "handle",
            COMPLAINT_ACTIONS,
            show_again=_complaint_page,
            done=lambda complaint: reverse("reception:complaint_detail", args=[complaint.pk]),
        )
    return _complaint_page(request, complaint)


@step_required("reception.complaint")
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


@step_required("reception.measure")
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
