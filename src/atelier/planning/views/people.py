"""Technicians (their profile and days off) and the home visits to plan, as the manager sees them."""

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from atelier.core.access import may, step_required
from atelier.core.actions import Action, run_action
from atelier.core.models import Site
from atelier.core.paging import CappedPaginator
from atelier.core.scoping import visible_or_404
from atelier.planning import forms, selectors, services
from atelier.planning.models import TechnicianProfile

# ---------------------------------------------------------------- technicians


def _can_plan(user) -> bool:
    return may(user, "planning.manage")


@step_required("planning.view")
def technician_list(request):
    site = selectors.user_site(request.user, request.GET.get("site"))
    return render(
        request,
        "planning/technicians.html",
        {
            "nav": "planning",
            "site": site,
            "sites": Site.objects.visible_to(request.user),
            "technicians": list(selectors.site_technicians(site)),
            "can_plan": _can_plan(request.user),
        },
    )


def _profile_of(request, technician) -> TechnicianProfile:
    """The technician's profile (404 when it is of another site), or a new one for the chosen site."""
    existing = TechnicianProfile.objects.filter(user=technician)
    if existing.exists():
        return visible_or_404(existing, request.user)
    site = selectors.user_site(request.user, request.GET.get("site") or request.POST.get("site"))
    return TechnicianProfile(user=technician, site=site, working_days=[0, 1, 2, 3, 4])


def _technician_page(request, profile, *, failed=None, failed_form=None, status=200):
    form = failed_form if failed == "profile" else forms.ProfileForm(instance=profile)
    off_form = failed_form if failed == "day_off" else forms.DayOffForm(prefix="off")
    return render(
        request,
        "planning/technician_form.html",
        {
            "nav": "planning",
            "technician": profile.user,
            "profile": profile,
            "form": form,
            "off_form": off_form,
            "days_off": list(profile.days_off.filter(day__gte=timezone.localdate())) if profile.pk else [],
        },
        status=status,
    )


def _to_technician(profile) -> str:
    return reverse("planning:technician", args=[profile.user_id])


TECHNICIAN_ACTIONS = {
    # The form fills the profile it is bound to; the service checks and saves it.
    "profile": Action(
        form=forms.ProfileForm,
        plain_ids=True,
        service=services.technician_profile_save,
        target="profile",
        form_kwargs=lambda request, profile: {"instance": profile},
        data=lambda request, profile, form: {},
        success=lambda profile: _("Profil de %(t)s enregistré.") % {"t": profile.user},
    ),
    "day_off": Action(
        form=forms.DayOffForm,
        plain_ids=True,
        service=services.day_off_add,
        target="profile",
        form_kwargs=lambda request, profile: {"prefix": "off"},
        success=gettext_lazy("Absence notée."),
    ),
}


@step_required("planning.manage")
def technician_edit(request, pk):
    profile = _profile_of(request, selectors.technician_get(request.user, pk))
    if request.method != "POST":
        return _technician_page(request, profile)
    return run_action(
        request, profile, "profile", TECHNICIAN_ACTIONS, show_again=_technician_page, done=_to_technician
    )


@require_POST
@step_required("planning.manage")
def day_off_add(request, pk):
    technician = selectors.technician_get(request.user, pk)
    # `user` cannot be a lookup keyword of visible_or_404 (its own parameter): filter first.
    profile = visible_or_404(TechnicianProfile.objects.filter(user=technician), request.user)
    return run_action(
        request, profile, "day_off", TECHNICIAN_ACTIONS, show_again=_technician_page, done=_to_technician
    )


# ---------------------------------------------------------------- visits

# A page of the visits list; the count stops at the cap (core.paging), as on the other lists.
VISITS_PAGE = 50
VISITS_COUNT_CAP = 1000


@step_required("planning.view")
def visit_list(request):
    """The site's home visits waiting for a date (or planned), newest first, a page at a time. The visits are
    made with their repair order (services.visit_for_order): opening the list writes nothing."""
    site = selectors.user_site(request.user, request.GET.get("site"))
    visits = selectors.visits_to_plan(site)
    page = CappedPaginator(visits, VISITS_PAGE, cap=VISITS_COUNT_CAP).get_page(request.GET.get("page"))
    return render(
        request,
        "planning/visits.html",
        {
            "nav": "planning",
            "site": site,
            "sites": Site.objects.visible_to(request.user),
            "visits": page.object_list,
            "page_obj": page,
            "can_plan": _can_plan(request.user),
        },
    )


def _visit_page(request, visit, *, failed=None, failed_form=None, status=200):
    form = failed_form or forms.VisitForm(
        initial={
            "duration_minutes": visit.duration_minutes,
            "priority": visit.priority,
            "needs": visit.needs,
            "tool_kinds": visit.tool_codes,
            "windows": forms.windows_text(visit),
        }
    )
    return render(
        request, "planning/visit_form.html", {"nav": "planning", "visit": visit, "form": form}, status=status
    )


VISIT_ACTIONS = {
    "visit": Action(
        form=forms.VisitForm,
        plain_ids=True,
        service=services.visit_update,
        target="visit",
        success=gettext_lazy("Visite mise à jour."),
        next=lambda request, visit, result: reverse("planning:visits"),
    )
}


@step_required("planning.manage")
def visit_edit(request, pk):
    visit = selectors.visit_get(request.user, pk)
    if request.method != "POST":
        return _visit_page(request, visit)
    return run_action(request, visit, "visit", VISIT_ACTIONS, show_again=_visit_page, done=None)
