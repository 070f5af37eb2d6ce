"""The day plan of a site: timeline per technician, list by zone, the week strip, and its buttons (optimise the
day or the week, validate, pin a visit), each one form → one service through core.actions."""

import datetime

from django.contrib import messages
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from atelier.core.access import may, step_required
from atelier.core.actions import Action, run_action
from atelier.core.models import Site
from atelier.core.wording import decimal, plural_count
from atelier.planning import forms, selectors, services
from atelier.planning.models import PlanState
from atelier.planning.views.common import read_day

TIMELINE_FROM, TIMELINE_TO = 7, 20  # hours shown on the timeline


def _back_url(site, day) -> str:
    return f"{reverse('planning:day')}?site={site.code}&jour={day.isoformat()}"


def _bar(start, end) -> dict:
    """Left offset and width (percent of the timeline) of an interval."""
    span = (TIMELINE_TO - TIMELINE_FROM) * 60

    def minutes(t):
        local = timezone.localtime(t)
        return local.hour * 60 + local.minute - TIMELINE_FROM * 60

    left = max(0, min(span, minutes(start)))
    right = max(left, min(span, minutes(end)))
    return {"left": round(100 * left / span, 2), "width": max(0.6, round(100 * (right - left) / span, 2))}


def _day_page(request, site, day, *, show_validated=False, failed_form=None, status=200):
    plan = selectors.plan_of(site, day)
    # Which routes are shown: the last validated plan, or the draft (« Proposition »).
    validated = show_validated or bool(plan and plan.state == PlanState.VALIDE)
    show = PlanState.VALIDE if validated else PlanState.BROUILLON
    routes = selectors.plan_routes(plan, validated=validated)
    timeline = []
    for route in routes:
        items = [{"stop": s, **_bar(s.start, s.end)} for s in route.stops.all()]
        pause = None
        if route.break_at:
            pause = _bar(route.break_at, route.break_at + datetime.timedelta(minutes=route.break_minutes))
        timeline.append(
            {"route": route, "items": items, "pause": pause, "day": _bar(route.leave_at, route.back_at)}
        )
    hours = [
        {"h": h, "left": round(100 * (h - TIMELINE_FROM) / (TIMELINE_TO - TIMELINE_FROM), 2)}
        for h in range(TIMELINE_FROM, TIMELINE_TO)
    ]
    week = selectors.week_of(site, day)
    return render(
        request,
        "planning/day.html",
        {
            "nav": "planning",
            "site": site,
            "sites": Site.objects.visible_to(request.user),
            "day": day,
            "previous": day - datetime.timedelta(days=1),
            "next": day + datetime.timedelta(days=1),
            "plan": plan,
            "show": show,
            "PlanState": PlanState,
            "has_validated": bool(plan and selectors.plan_routes(plan, validated=True)),
            "week": week,
            "week_drafts": [w for w in week if w["plan"] and w["plan"].state == PlanState.BROUILLON],
            "timeline": timeline,
            "hours": hours,
            "zones": selectors.stops_by_zone(routes),
            "drops": [] if validated else selectors.plan_drops(plan),
            "pins": selectors.plan_pins(plan),
            "technicians": list(selectors.site_technicians(site)),
            "can_plan": may(request.user, "planning.manage", site),
            "refused": failed_form,
        },
        status=status,
    )


@step_required("planning.view")
def day_view(request):
    site = selectors.user_site(request.user, request.GET.get("site"))
    day = read_day(request.GET.get("jour"))
    return _day_page(request, site, day, show_validated=request.GET.get("voir") == "valide")


def _day_again(request, obj, *, failed=None, failed_form=None, status=400):
    """A refused button: the day page again, the French reason on top, nothing changed."""
    site = obj.site if hasattr(obj, "site") else obj
    return _day_page(
        request, site, read_day(request.POST.get("jour")), failed_form=failed_form, status=status
    )


def _week_summary(plans, key: str) -> str:
    return " · ".join(f"{formats.date_format(p.day, 'D d/m')} : {p.figures.get(key, 0)}" for p in plans)


WITHDRAWN_FROM_DAY = gettext_lazy(
    "Retirés du plan validé précédent, à replanifier (clients à prévenir) : %(n)s."
)
WITHDRAWN_FROM_WEEK = gettext_lazy(
    "Retirés des plans validés précédents, à replanifier (clients à prévenir) : %(n)s."
)


def _withdrawn_warning(request, plans, text) -> None:
    """Dossiers a re-validated plan leaves out: the manager calls their customers and plans them again."""
    withdrawn = [n for p in plans for n in p.figures.get("withdrawn", [])]
    if withdrawn:
        messages.warning(request, text % {"n": ", ".join(withdrawn)})


def _pin_data(request, plan, form) -> dict:
    """The visit and the technician, each of the manager's sites (else 404)."""
    tech_pk = form.cleaned_data["technician"]
    return {
        "visit": selectors.visit_get(request.user, form.cleaned_data["visit"]),
        "technician": selectors.technician_get(request.user, tech_pk) if tech_pk else None,
    }


def _pinned(request, plan, result):
    if tech_pk := request.POST.get("technician"):
        technician = selectors.technician_get(request.user, int(tech_pk))
        messages.success(
            request, _("Visite épinglée à %(t)s : ré-optimisez pour replacer les autres.") % {"t": technician}
        )
    else:
        messages.success(request, _("Visite libérée."))
    return _back_url(plan.site, plan.day)


def _validated(request, plan, result):
    _withdrawn_warning(request, [result], WITHDRAWN_FROM_DAY)
    return _back_url(plan.site, plan.day)


def _week_validated(request, site, plans):
    _withdrawn_warning(request, plans, WITHDRAWN_FROM_WEEK)
    return _back_url(site, read_day(request.POST.get("jour")))


DAY_ACTIONS = {
    "optimise": Action(
        form=forms.PlanDayForm,
        service=services.plan_optimise,
        target="site",
        data=lambda request, site, form: {"day": form.cleaned_data["jour"]},
        success=lambda plan: (
            _("Proposition prête : %(p)s, %(d)s, %(km)s km.")
            % {
                "p": ngettext(
                    "%(n)s visite planifiée",
                    "%(n)s visites planifiées",
                    plural_count(plan.figures["planned"]),
                )
                % {"n": plan.figures["planned"]},
                "d": ngettext(
                    "%(n)s laissée de côté", "%(n)s laissées de côté", plural_count(plan.figures["dropped"])
                )
                % {"n": plan.figures["dropped"]}
                if plan.figures["dropped"]
                else _("aucune laissée de côté"),
                "km": decimal(plan.figures["km"]),
            }
        ),
    ),
    "optimise_week": Action(
        form=forms.PlanDayForm,
        service=services.plan_optimise_week,
        target="site",
        data=lambda request, site, form: {"first_day": form.cleaned_data["jour"]},
        success=lambda plans: (
            _("Semaine proposée (visites par jour) : %(s)s.") % {"s": _week_summary(plans, "planned")}
        ),
    ),
    "validate": Action(
        form=forms.ValidateForm,
        service=services.plan_validate,
        target="plan",
        data=lambda request, plan, form: {"revision": form.cleaned_data["revision"]},
        success=lambda plan: (
            _("Plan du %(d)s validé : les dossiers sont planifiés.") % {"d": plan.day.strftime("%d/%m/%Y")}
        ),
        next=_validated,
    ),
    "validate_week": Action(
        form=forms.ValidateWeekForm,
        service=services.plan_validate_week,
        target="site",
        data=lambda request, site, form: {"revisions": form.cleaned_data["revisions"]},
        success=lambda plans: (
            _("Semaine validée : %(s)s. Les dossiers sont planifiés ; créneaux des clients mis en file.")
            % {"s": _week_summary(plans, "planned")}
        ),
        next=_week_validated,
    ),
    "pin": Action(form=forms.PinForm, service=services.plan_pin, target="plan", data=_pin_data, next=_pinned),
}


def _run(request, name, obj, site):
    day = read_day(request.POST.get("jour"))
    return run_action(
        request, obj, name, DAY_ACTIONS, show_again=_day_again, done=lambda obj: _back_url(site, day)
    )


def _site_action(request, name):
    site = selectors.user_site(request.user, request.POST.get("site"))
    return _run(request, name, site, site)


def _plan_action(request, name):
    """An action on the day's plan row, which must exist (the day was optimised)."""
    site = selectors.user_site(request.user, request.POST.get("site"))
    plan = selectors.plan_of(site, read_day(request.POST.get("jour")))
    if plan is None:
        raise Http404
    return _run(request, name, plan, site)


@require_POST
@step_required("planning.manage")
def optimise(request):
    return _site_action(request, "optimise")


@require_POST
@step_required("planning.manage")
def optimise_week(request):
    return _site_action(request, "optimise_week")


@require_POST
@step_required("planning.manage")
def validate(request):
    return _plan_action(request, "validate")


@require_POST
@step_required("planning.manage")
def validate_week(request):
    """The drafts of the days shown in the week strip, each with the revision the manager saw."""
    return _site_action(request, "validate_week")


@require_POST
@step_required("planning.manage")
def pin(request):
    return _plan_action(request, "pin")
