"""Dossier screens: home page per role, list with filters, intake, detail with timeline and steps."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from atelier.core.access import may, step_required
from atelier.core.actions import Action, run_action
from atelier.core.listing import Column, SortableList
from atelier.core.paging import CappedPaginator
from atelier.core.scoping import visible_or_404
from atelier.customers.models import Appliance
from atelier.repairs import extensions, selectors, services, workflow
from atelier.repairs.choices import CaseStatus, EventKind
from atelier.repairs.forms import AssignForm, CaseFilterForm, CaseOpenForm, NoteForm, StepForm

PAGE_SIZE = 25
# Counted up to these (« plus de 10 000 résultats »): 400 pages of the list, 40 of a search.
LIST_COUNT_CAP = 10_000
SEARCH_COUNT_CAP = 1_000


@login_required
def home(request):
    """What needs action now (most urgent first, each a count and a link to the filtered list), a few figures,
    then the detailed panels of every app, folded: the page asks for them (home_panels) when they are opened,
    so its first paint reads only the counts (issue 16: the panels were half of its queries)."""
    actions, figures = extensions.collect_home_actions(request.user)
    return render(
        request,
        "repairs/home.html",
        {
            "nav": "home",
            "actions": actions,
            "figures": figures,
            "counts": selectors.status_counts(request.user),
            "can_write_customers": may(request.user, "customers.write"),
        },
    )


@require_GET
@login_required
def home_panels(request):
    """The home's detailed panels of every app (each computed for this user's roles and sites only): the
    fragment the home loads when « Détail par sujet » is opened, a page of its own without JavaScript."""
    panels = selectors.home_panels(request.user) + extensions.collect_home_panels(request.user)
    template = "repairs/_home_panels.html" if request.htmx else "repairs/home_panels.html"
    return render(request, template, {"nav": "home", "panels": panels})


CASE_COLUMNS = SortableList(
    Column("number", _("N° dossier"), "number"),
    Column("received_at", _("Reçu le"), "received_at"),
    Column("customer", _("Client"), "customer__last_name"),
    Column("appliance", _("Appareil"), "appliance__family"),
    Column("location", _("Lieu"), "location"),
    Column("technician", _("Technicien"), "technician__last_name"),
    Column("status", _("État"), "status"),
    Column("status_changed_at", _("Depuis le"), "status_changed_at"),
    default="-received_at",
)


@step_required("repairs.view")
def case_list(request):
    form = CaseFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    flags = [f for f in extensions.case_filters if request.GET.get(f) == "1"]
    cases = selectors.case_list(
        user=request.user,
        status=filters.get("status", ""),
        family=filters.get("family", ""),
        technician=filters.get("technician"),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
        query=filters.get("q", ""),
        site=filters.get("site"),
        location=filters.get("location", ""),
        unassigned=filters.get("unassigned", False),
        changed_before=filters.get("changed_before"),
        flags=tuple(flags),
    )
    sorting = CASE_COLUMNS.sorting(request)
    # the family is the appliance's: no index of the dossiers holds it, so its count stops at the search's cap
    # (at 1,000,000 dossiers counting 10,001 washing machines joined ~120,000 dossiers to their appliance)
    cap = SEARCH_COUNT_CAP if filters.get("q") or filters.get("family") else LIST_COUNT_CAP
    page = CappedPaginator(sorting.apply(cases), PAGE_SIZE, cap=cap).get_page(request.GET.get("page"))
    template = "repairs/_case_rows.html" if request.htmx else "repairs/case_list.html"
    return render(
        request,
        template,
        {
            "nav": "repairs",
            "form": form,
            "page_obj": page,
            "headers": sorting.headers,
            "sort": sorting.value if not sorting.is_default else "",
            "flags": [{"key": f, "label": extensions.case_filters[f][0]} for f in flags],
        },
    )


def _appliance_for(request, pk) -> Appliance:
    """The appliance a dossier is opened for, only if its customer belongs to one of the user's sites."""
    return visible_or_404(Appliance.objects.select_related("customer__site"), request.user, pk=pk)


CASE_OPENED = _("Dossier %(number)s ouvert.")

# Opening a dossier for an appliance (the page's object); the service also takes the appliance's customer.
OPEN_ACTIONS = {
    "open": Action(
        form=CaseOpenForm,
        service=services.case_open,
        target="appliance",
        data=lambda request, appliance, form: {"customer": appliance.customer, **form.cleaned_data},
        success=lambda case: CASE_OPENED % {"number": case.number},
        next=lambda request, appliance, case: reverse("repairs:detail", args=[case.pk]),
        plain_ids=True,
    ),
}


def _create_page(request, appliance, *, failed=None, failed_form=None, status=200):
    return render(
        request,
        "repairs/case_create.html",
        {
            "nav": "repairs",
            "form": failed_form or CaseOpenForm(),
            "appliance": appliance,
            "customer": appliance.customer,
        },
        status=status,
    )


@step_required("repairs.open")
def case_create(request):
    appliance_pk = request.GET.get("appareil") or request.POST.get("appareil")
    if not appliance_pk:
        return render(request, "repairs/case_create_pick.html", {"nav": "repairs"})
    appliance = _appliance_for(request, appliance_pk)
    if request.method == "POST":
        return run_action(request, appliance, "open", OPEN_ACTIONS, show_again=_create_page, done=None)
    return _create_page(request, appliance)


@step_required("repairs.view")
def case_detail(request, pk):
    case = selectors.case_get(user=request.user, pk=pk)
    return _render_detail(request, case)


@step_required("repairs.view")
def case_section(request, pk, key):
    """One other app's section of the dossier page (quote, invoice, loan…), asked by the page when the section
    comes into view: same step and same sites as the page; empty when the section has nothing to show."""
    case = selectors.case_get(user=request.user, pk=pk)
    try:
        section = extensions.detail_section(request, case, key)
    except KeyError:
        raise Http404 from None
    return render(request, "repairs/_section.html", {"case": case, "section": section})


def _step_action(step: workflow.Transition) -> Action:
    return Action(
        form=StepForm,
        service=services.SERVICES[step.name],
        success=lambda result, step=step: _("%(step)s : c'est enregistré.") % {"step": step.label},
        form_kwargs=lambda request, case, step=step: {"case": case, "step": step},
    )


# What the dossier page does: each step of the workflow (its form refuses the quote's steps, taken from the
# quote), a note on the timeline, the technician in charge. Each form keeps its own ids: several sit on one page.
ACTIONS: dict[str, Action] = {
    **{t.name: _step_action(t) for t in workflow.TRANSITIONS},
    "addnote": Action(form=NoteForm, service=services.case_add_note, success=_("Note ajoutée.")),
    "assign": Action(
        form=AssignForm,
        service=services.case_assign_technician,
        success=_("Technicien mis à jour."),
        form_kwargs=lambda request, case: {"case": case},
    ),
}


def _step_form(case, step) -> StepForm:
    return StepForm(case=case, step=step, auto_id=f"id_{step.name}_%s")


def _render_detail(request, case, *, failed=None, failed_form=None, status=200):
    user = request.user
    steps = []
    for step in workflow.allowed_for(case, user):
        form = failed_form if failed == step.name else _step_form(case, step)
        # what other apps still require (loan out, unpaid invoice, installation not conform…), said up front
        blockers = extensions.step_refusals(case, step.name)
        steps.append({"step": step, "form": form, "open": failed == step.name, "blockers": blockers})
    note_form = assign_form = None
    # a note may still go on a cancelled dossier (the customer called back), not on a closed one
    if workflow.ADD_NOTE.allows_role(user, case.site_id) and case.status != CaseStatus.CLOTURE:
        note_form = failed_form if failed == "addnote" else NoteForm(auto_id="id_addnote_%s")
    if workflow.ASSIGN.allows_role(user, case.site_id) and not case.is_closed:
        assign_form = failed_form if failed == "assign" else AssignForm(case=case, auto_id="id_assign_%s")
    shown = [s["form"] for s in steps] + [note_form, assign_form]
    if failed_form is not None and failed_form not in shown:  # not on the page: say why at the top
        for errors in failed_form.errors.values():
            for error in errors:
                messages.error(request, error)
    return render(
        request,
        "repairs/case_detail.html",
        {
            "nav": "repairs",
            "case": case,
            "EventKind": EventKind,
            "timeline": selectors.case_timeline(case),
            "section_keys": extensions.detail_section_keys(),
            "steps": steps,
            "waiting_others": [t for t in workflow.applicable(case) if not t.allows_role(user, case.site_id)],
            "driven_steps": [
                t for t in workflow.applicable(case) if t.driven_by and t.allows_role(user, case.site_id)
            ],
            "note_form": note_form,
            "assign_form": assign_form,
        },
        status=status,
    )


def _shown_again(request, case, *, failed, failed_form, status):
    """A refused action: the dossier page again with the form and its French reason, nothing written.
    A step not offered to this user answers 403 (role) or 409 (state, or taken from the quote) whatever the
    form said."""
    step = workflow.BY_NAME.get(failed)
    if step is not None:
        if not step.allows_role(request.user, case.site_id):
            status = 403
        elif step.driven_by or step not in workflow.applicable(case):
            status = 409
    return _render_detail(request, case, failed=failed, failed_form=failed_form, status=status)


def _act(request, pk, name):
    case = selectors.case_get(user=request.user, pk=pk)
    return run_action(
        request,
        case,
        name,
        ACTIONS,
        show_again=_shown_again,
        done=lambda case: reverse("repairs:detail", args=[case.pk]),
    )


@require_POST
@login_required
def case_step(request, pk, name):
    """Take one workflow step; a refusal shows the dossier again with the French reason, nothing written."""
    if name not in workflow.BY_NAME:
        raise Http404
    return _act(request, pk, name)


@require_POST
@login_required
def case_note(request, pk):
    """A note on the timeline, by the roles that work on the dossier (workflow.ADD_NOTE), else 403."""
    return _act(request, pk, "addnote")


@require_POST
@login_required
def case_assign(request, pk):
    """The technician in charge (workflow.ASSIGN: accueil, responsable SAV), else 403."""
    return _act(request, pk, "assign")
