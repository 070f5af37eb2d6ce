"""Planning screens: the day plan (timeline per technician, list by zone), technicians, visits, the
technician's day on a tablet, the printable day sheet and the private iCal feed."""

import datetime

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from atelier.core.choices import Role
from atelier.core.errors import AtelierError
from atelier.core.forms import call_service
from atelier.core.models import User
from atelier.core.permissions import role_required
from atelier.planning import calendar, forms, selectors, services
from atelier.planning.models import PlanState, TechnicianProfile, Visit

VIEWERS = (Role.RESPONSABLE_SAV, Role.ACCUEIL)
MANAGER = (Role.RESPONSABLE_SAV,)
TIMELINE_FROM, TIMELINE_TO = 7, 20  # hours shown on the timeline


def _day(value: str | None) -> datetime.date:
    if value:
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    return timezone.localdate()


def _back(site, day):
    return redirect(f"{reverse('planning:day')}?site={site.code}&jour={day.isoformat()}")


def _bar(start, end) -> dict:
    """Left offset and width (percent of the timeline) of an interval."""
    span = (TIMELINE_TO - TIMELINE_FROM) * 60

    def minutes(t):
        local = timezone.localtime(t)
        return local.hour * 60 + local.minute - TIMELINE_FROM * 60

    left = max(0, min(span, minutes(start)))
    right = max(left, min(span, minutes(end)))
    return {"left": round(100 * left / span, 2), "width": max(0.6, round(100 * (right - left) / span, 2))}


@role_required(*VIEWERS)
def day_view(request):
    site = selectors.user_site(request.user, request.GET.get("site"))
    day = _day(request.GET.get("jour"))
    plan = selectors.plan_of(site, day)
    show = "valide" if request.GET.get("voir") == "valide" else "brouillon"
    if plan and plan.state == PlanState.VALIDE:
        show = "valide"
    routes = selectors.plan_routes(plan, validated=show == "valide")
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
    return render(
        request,
        "planning/day.html",
        {
            "nav": "planning",
            "site": site,
            "sites": request.user.visible_sites().order_by("code"),
            "day": day,
            "previous": day - datetime.timedelta(days=1),
            "next": day + datetime.timedelta(days=1),
            "plan": plan,
            "show": show,
            "has_validated": bool(plan and selectors.plan_routes(plan, validated=True)),
            "week": (week := selectors.week_of(site, day)),
            "week_drafts": [w for w in week if w["plan"] and w["plan"].state == PlanState.BROUILLON],
            "timeline": timeline,
            "hours": hours,
            "zones": selectors.stops_by_zone(routes),
            "drops": selectors.plan_drops(plan) if show == "brouillon" else [],
            "pins": selectors.plan_pins(plan),
            "technicians": list(selectors.site_technicians(site)),
            "can_plan": request.user.is_superuser or request.user.has_role(Role.RESPONSABLE_SAV),
        },
    )


def _post_day(request):
    site = selectors.user_site(request.user, request.POST.get("site"))
    return site, _day(request.POST.get("jour"))


@require_POST
@role_required(*MANAGER)
def optimise(request):
    site, day = _post_day(request)
    try:
        plan = services.plan_optimise(actor=request.user, site=site, day=day)
    except AtelierError as exc:
        messages.error(request, exc.message)
    else:
        f = plan.figures
        messages.success(
            request,
            _("Proposition prête : %(p)s visites planifiées, %(d)s laissées de côté, %(km)s km.")
            % {"p": f["planned"], "d": f["dropped"], "km": f["km"]},
        )
    return _back(site, day)


@require_POST
@role_required(*MANAGER)
def optimise_week(request):
    site, day = _post_day(request)
    try:
        plans = services.plan_optimise_week(actor=request.user, site=site, first_day=day)
    except AtelierError as exc:
        messages.error(request, exc.message)
    else:
        summary = " · ".join(f"{formats.date_format(p.day, 'D d/m')} : {p.figures['planned']}" for p in plans)
        messages.success(request, _("Semaine proposée (visites par jour) : %(s)s.") % {"s": summary})
    return _back(site, day)


@require_POST
@role_required(*MANAGER)
def validate(request):
    site, day = _post_day(request)
    plan = selectors.plan_of(site, day)
    if plan is None:
        raise Http404
    try:
        revision = int(request.POST.get("revision", "0"))
        plan = services.plan_validate(actor=request.user, plan=plan, revision=revision)
    except ValueError:
        messages.error(request, _("Révision du plan illisible : rechargez la page."))
    except AtelierError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Plan du %(d)s validé : les dossiers sont planifiés.") % {"d": day.strftime("%d/%m/%Y")},
        )
        if withdrawn := plan.figures.get("withdrawn"):
            messages.warning(
                request,
                _("Retirés du plan validé précédent, à replanifier (clients à prévenir) : %(n)s.")
                % {"n": ", ".join(withdrawn)},
            )
    return _back(site, day)


@require_POST
@role_required(*MANAGER)
def validate_week(request):
    """The drafts of the days shown in the week strip, each with the revision the manager saw."""
    site, day = _post_day(request)
    revisions = {}
    for key, value in request.POST.items():
        if key.startswith("revision_"):
            try:
                revisions[datetime.date.fromisoformat(key.removeprefix("revision_"))] = int(value)
            except ValueError:
                messages.error(request, _("Révision du plan illisible : rechargez la page."))
                return _back(site, day)
    try:
        plans = services.plan_validate_week(actor=request.user, site=site, revisions=revisions)
    except AtelierError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Semaine validée : %(s)s. Les dossiers sont planifiés et les clients prévenus.")
            % {
                "s": " · ".join(
                    f"{formats.date_format(p.day, 'D d/m')} : {p.figures.get('planned', 0)}" for p in plans
                )
            },
        )
        withdrawn = [n for p in plans for n in p.figures.get("withdrawn", [])]
        if withdrawn:
            messages.warning(
                request,
                _("Retirés des plans validés précédents, à replanifier (clients à prévenir) : %(n)s.")
                % {"n": ", ".join(withdrawn)},
            )
    return _back(site, day)


@require_POST
@role_required(*MANAGER)
def pin(request):
    site, day = _post_day(request)
    plan = selectors.plan_of(site, day)
    if plan is None:
        raise Http404
    form = forms.PinForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez la visite et le technicien."))
        return _back(site, day)
    visit = selectors.visit_get(request.user, form.cleaned_data["visit"])
    tech_pk = form.cleaned_data["technician"]
    technician = selectors.technician_get(request.user, tech_pk) if tech_pk else None
    try:
        services.plan_pin(actor=request.user, plan=plan, visit=visit, technician=technician)
    except AtelierError as exc:
        messages.error(request, exc.message)
    else:
        if technician:
            messages.success(
                request,
                _("Visite épinglée à %(t)s : ré-optimisez pour replacer les autres.") % {"t": technician},
            )
        else:
            messages.success(request, _("Visite libérée."))
    return _back(site, day)


# ---------------------------------------------------------------- technicians


@role_required(*VIEWERS)
def technician_list(request):
    site = selectors.user_site(request.user, request.GET.get("site"))
    return render(
        request,
        "planning/technicians.html",
        {
            "nav": "planning",
            "site": site,
            "sites": request.user.visible_sites().order_by("code"),
            "technicians": list(selectors.site_technicians(site)),
        },
    )


@role_required(*MANAGER)
def technician_edit(request, pk):
    technician = selectors.technician_get(request.user, pk)
    site = selectors.user_site(request.user, request.GET.get("site") or request.POST.get("site"))
    profile = TechnicianProfile.objects.filter(user=technician).first() or TechnicianProfile(
        user=technician, site=site, working_days=[0, 1, 2, 3, 4]
    )
    if profile.pk and profile.site_id not in request.user.visible_site_ids:
        raise Http404
    form = forms.ProfileForm(request.POST or None, instance=profile)
    off_form = forms.DayOffForm(prefix="off")
    status = 200
    if request.method == "POST":
        if form.is_valid() and call_service(
            form, services.technician_profile_save, actor=request.user, profile=form.instance
        ):
            messages.success(request, _("Profil de %(t)s enregistré.") % {"t": technician})
            return redirect("planning:technician", pk=technician.pk)
        status = 400
    return render(
        request,
        "planning/technician_form.html",
        {
            "nav": "planning",
            "technician": technician,
            "profile": profile,
            "form": form,
            "off_form": off_form,
            "days_off": list(profile.days_off.filter(day__gte=timezone.localdate())) if profile.pk else [],
        },
        status=status,
    )


@require_POST
@role_required(*MANAGER)
def day_off_add(request, pk):
    technician = selectors.technician_get(request.user, pk)
    profile = get_object_or_404(TechnicianProfile, user=technician, site__in=request.user.visible_sites())
    form = forms.DayOffForm(request.POST, prefix="off")
    if form.is_valid():
        if call_service(form, services.day_off_add, actor=request.user, profile=profile, **form.cleaned_data):
            messages.success(request, _("Absence notée."))
            return redirect("planning:technician", pk=pk)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect("planning:technician", pk=pk)


# ---------------------------------------------------------------- visits


@role_required(*VIEWERS)
def visit_list(request):
    site = selectors.user_site(request.user, request.GET.get("site"))
    if request.user.is_superuser or request.user.has_role(Role.RESPONSABLE_SAV):
        services.visits_sync(site=site)
    visits = (
        Visit.objects.filter(site=site, order__case__status__in=["accepte", "attente_pieces", "planifie"])
        .select_related("order__case__customer")
        .prefetch_related("windows")
    )
    return render(
        request,
        "planning/visits.html",
        {
            "nav": "planning",
            "site": site,
            "sites": request.user.visible_sites().order_by("code"),
            "visits": visits,
        },
    )


@role_required(*MANAGER)
def visit_edit(request, pk):
    visit = selectors.visit_get(request.user, pk)
    initial = {
        "duration_minutes": visit.duration_minutes,
        "priority": visit.priority,
        "needs": visit.needs,
        "tool_kinds": visit.tool_kinds,
        "windows": forms.windows_text(visit),
    }
    form = forms.VisitForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid() and call_service(
            form, services.visit_update, actor=request.user, visit=visit, **form.cleaned_data
        ):
            messages.success(request, _("Visite mise à jour."))
            return redirect("planning:visits")
        status = 400
    return render(
        request, "planning/visit_form.html", {"nav": "planning", "visit": visit, "form": form}, status=status
    )


# ---------------------------------------------------------------- the technician


@role_required(Role.TECHNICIEN)
def my_day(request):
    day = _day(request.GET.get("jour"))
    route, stops = selectors.technician_day(request.user, day)
    profile = TechnicianProfile.objects.filter(user=request.user).first()
    return render(
        request,
        "planning/my_day.html",
        {
            "nav": "my_day",
            "day": day,
            "route": route,
            "stops": stops,
            "profile": profile,
            "previous": day - datetime.timedelta(days=1),
            "following": day + datetime.timedelta(days=1),
            "next_planned": None if stops else selectors.next_planned_day(request.user, day),
        },
    )


def _sheet_user(request, pk: int) -> User:
    if request.user.pk == pk and request.user.has_role(Role.TECHNICIEN):
        return request.user
    if not (request.user.is_superuser or request.user.has_role(*VIEWERS)):
        raise Http404
    return selectors.technician_get(request.user, pk)


@role_required(Role.TECHNICIEN, *VIEWERS)
def day_sheet(request, pk, day):
    technician = _sheet_user(request, pk)
    try:
        date = datetime.date.fromisoformat(day)
    except ValueError:
        raise Http404 from None
    route, stops = selectors.technician_day(technician, date)
    return render(
        request,
        "planning/day_sheet.html",
        {"technician": technician, "day": date, "route": route, "stops": stops},
    )


def ical_feed(request, token):
    """Private feed: whoever has the unguessable link reads the technician's validated visits (no login)."""
    profile = get_object_or_404(
        TechnicianProfile.objects.select_related("user"), ical_token=token, is_active=True
    )
    body = calendar.feed(profile, since=timezone.localdate() - datetime.timedelta(days=14))
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")
