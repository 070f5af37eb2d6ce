"""The workshop week (bench jobs ranked and placed next to the home visits) and the counter's drop-off
appointments (a capacity per half-day, site and family)."""

import datetime

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from atelier.core.access import may, step_required
from atelier.core.actions import Action, run_action
from atelier.core.models import Site
from atelier.core.params import as_id
from atelier.core.scoping import visible_or_404
from atelier.planning import forms, selectors, services
from atelier.planning.models import DropOff
from atelier.planning.views.common import read_day
from atelier.planning.workshop import week_code, week_days


@step_required("planning.workshop")
def workshop(request):
    site = selectors.user_site(request.user, request.GET.get("site"))
    try:
        days = week_days(request.GET.get("semaine"))
    except ValueError:
        days = week_days(None)
    week = selectors.workshop_week(site, week_code(days[0]))
    rows = []
    for profile in week.profiles:
        cells = []
        for day in days:
            items = [
                {"start": b.start, "end": b.end, "label": b.label, "kind": b.kind}
                for b in week.busy
                if b.technician == profile.user_id and timezone.localtime(b.start).date() == day
            ]
            for job in week.placed:
                for slot in job.slots:
                    if slot.technician == profile.user_id and timezone.localtime(slot.start).date() == day:
                        items.append({"start": slot.start, "end": slot.end, "job": job, "kind": "etabli"})
            cells.append(sorted(items, key=lambda i: i["start"]))
        rows.append({"profile": profile, "cells": cells})
    arrivals = [[j for j in week.jobs if j.dropoff and j.dropoff.day == day] for day in days]
    return render(
        request,
        "planning/workshop.html",
        {
            "nav": "planning",
            "site": site,
            "sites": Site.objects.visible_to(request.user),
            "days": days,
            "columns": list(zip(days, arrivals, strict=True)),
            "rows": rows,
            "week": week,
            "this_week": week_code(days[0]),
            "previous": week_code(days[0] - datetime.timedelta(days=7)),
            "following": week_code(days[0] + datetime.timedelta(days=7)),
        },
    )


def _dropoff_page(request, site, *, failed=None, failed_form=None, status=200):
    day = read_day(request.GET.get("jour") or request.POST.get("day"))
    from atelier.customers.models import Customer
    from atelier.customers.selectors import customer_results

    customer = None
    if (customer_pk := as_id(request.GET.get("client"))) is not None:
        customer = Customer.objects.filter(site=site, pk=customer_pk).first()
    elif failed == "book" and failed_form is not None:
        customer = failed_form.cleaned_data.get("customer") if hasattr(failed_form, "cleaned_data") else None
    query = request.GET.get("q", "").strip()
    found = list(customer_results(user=request.user, query=query, site_id=site.pk)[:20]) if query else []
    form = (
        failed_form
        if failed == "book"
        else forms.DropOffForm(site=site, customer=customer, initial={"day": day}, prefix="rdv")
    )
    capacity_form = failed_form if failed == "capacity" else forms.DropOffCapacityForm(prefix="cap")
    return render(
        request,
        "planning/dropoffs.html",
        {
            "nav": "planning",
            "site": site,
            "sites": Site.objects.visible_to(request.user),
            "board": selectors.dropoff_day(site, day),
            "form": form,
            "customer": customer,
            "query": query,
            "found": found,
            "capacity_form": capacity_form,
            "can_book": may(request.user, "planning.dropoff", site),
            "can_set": may(request.user, "planning.dropoff_capacity", site),
            "previous": day - datetime.timedelta(days=1),
            "following": day + datetime.timedelta(days=1),
        },
        status=status,
    )


def _back_to_day(request, site, result):
    day = getattr(result, "day", None) or read_day(request.GET.get("jour"))
    return reverse("planning:dropoffs") + f"?site={site.code}&jour={day.isoformat()}"


DROPOFF_ACTIONS = {
    "book": Action(
        form=forms.DropOffForm,
        service=services.dropoff_book,
        target="site",
        success=gettext_lazy("Rendez-vous de dépôt enregistré."),
        form_kwargs=lambda request, site: {"site": site, "prefix": "rdv"},
        next=_back_to_day,
    ),
    "capacity": Action(
        form=forms.DropOffCapacityForm,
        service=services.dropoff_capacity_set,
        target="site",
        success=gettext_lazy("Capacité enregistrée."),
        form_kwargs=lambda request, site: {"prefix": "cap"},
        next=_back_to_day,
    ),
}


@step_required("planning.dropoff")
def dropoffs(request):
    site = selectors.user_site(request.user, request.GET.get("site"))
    if request.method != "POST":
        return _dropoff_page(request, site)
    return run_action(
        request,
        site,
        request.POST.get("action", "book"),
        DROPOFF_ACTIONS,
        show_again=_dropoff_page,
        done=lambda site: reverse("planning:dropoffs"),
    )


CANCEL = {
    "cancel": Action(
        form=forms.DropOffCancelForm,
        service=services.dropoff_cancel,
        target="dropoff",
        success=gettext_lazy("Rendez-vous annulé."),
        next=lambda request, dropoff, result: (
            reverse("planning:dropoffs") + f"?site={dropoff.site.code}&jour={dropoff.day.isoformat()}"
        ),
    )
}


@require_POST
@step_required("planning.dropoff")
def dropoff_cancel(request, pk):
    dropoff = visible_or_404(DropOff.objects.select_related("site"), request.user, pk=pk)

    def again(request, dropoff, *, failed_form, status, **kwargs):
        for error in failed_form.non_field_errors():  # the form has no field: the refusal is a message
            messages.error(request, error)
        return redirect(CANCEL["cancel"].next(request, dropoff, None))

    return run_action(request, dropoff, "cancel", CANCEL, show_again=again, done=lambda d: "/")
