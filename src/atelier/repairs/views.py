"""Dossier screens: home page per role, list with filters, intake, detail with timeline and steps."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from atelier.core.choices import Role
from atelier.core.errors import TransitionRefused
from atelier.core.forms import call_service
from atelier.core.permissions import role_required
from atelier.customers.models import Appliance
from atelier.repairs import extensions, selectors, services, workflow
from atelier.repairs.forms import AssignForm, CaseFilterForm, CaseOpenForm, NoteForm, StepForm

PAGE_SIZE = 25


@login_required
def home(request):
    return render(
        request,
        "repairs/home.html",
        {
            "nav": "home",
            "panels": selectors.home_panels(request.user) + extensions.collect_home_panels(request.user),
            "counts": selectors.status_counts(request.user),
        },
    )


@login_required
def case_list(request):
    form = CaseFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    cases = selectors.case_list(
        user=request.user,
        status=filters.get("status", ""),
        family=filters.get("family", ""),
        technician=filters.get("technician"),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
        query=filters.get("q", ""),
    )
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    template = "repairs/_case_rows.html" if request.htmx else "repairs/case_list.html"
    return render(request, template, {"nav": "repairs", "form": form, "page_obj": page})


def _appliance_for(request, pk) -> Appliance:
    """The appliance a dossier is opened for, only if its customer belongs to one of the user's sites."""
    qs = Appliance.objects.select_related("customer", "customer__site").filter(
        customer__site__in=request.user.visible_sites()
    )
    return get_object_or_404(qs, pk=pk)


@role_required(Role.ACCUEIL, Role.TECHNICIEN, Role.RESPONSABLE_SAV)
def case_create(request):
    appliance_pk = request.GET.get("appareil") or request.POST.get("appareil")
    if not appliance_pk:
        return render(request, "repairs/case_create_pick.html", {"nav": "repairs"})
    try:
        appliance = _appliance_for(request, int(appliance_pk))
    except ValueError:
        raise Http404 from None
    form = CaseOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        case = call_service(
            form,
            services.case_open,
            actor=request.user,
            customer=appliance.customer,
            appliance=appliance,
            **form.cleaned_data,
        )
        if case:
            messages.success(request, _("Dossier %(number)s ouvert.") % {"number": case.number})
            return redirect("repairs:detail", pk=case.pk)
    return render(
        request,
        "repairs/case_create.html",
        {
            "nav": "repairs",
            "form": form,
            "appliance": appliance,
            "customer": appliance.customer,
        },
    )


@login_required
def case_detail(request, pk):
    case = selectors.case_get(user=request.user, pk=pk)
    return _render_detail(request, case)


def _step_form(case, step, data=None) -> StepForm:
    # each step's form has its own ids: several sit on one page
    return StepForm(data, case=case, step=step, auto_id=f"id_{step.name}_%s")


def _render_detail(request, case, *, failed_step=None, failed_form=None, status=200):
    steps = []
    for step in workflow.allowed_for(case, request.user):
        form = failed_form if failed_step == step.name else _step_form(case, step)
        # what other apps still require (loan out, unpaid invoice, installation not conform…), said up front
        blockers = extensions.step_refusals(case, step.name)
        steps.append({"step": step, "form": form, "open": failed_step == step.name, "blockers": blockers})
    can_assign = request.user.is_superuser or request.user.has_role(Role.ACCUEIL, Role.RESPONSABLE_SAV)
    return render(
        request,
        "repairs/case_detail.html",
        {
            "nav": "repairs",
            "case": case,
            "timeline": selectors.case_timeline(case),
            "sections": extensions.collect_detail_sections(request, case),
            "steps": steps,
            "waiting_others": [t for t in workflow.applicable(case) if not t.allows_role(request.user)],
            "driven_steps": [
                t for t in workflow.applicable(case) if t.driven_by and t.allows_role(request.user)
            ],
            "note_form": NoteForm(auto_id="id_addnote_%s"),
            "assign_form": AssignForm(case=case, auto_id="id_assign_%s")
            if can_assign and case.status not in ("cloture", "annule")
            else None,
        },
        status=status,
    )


@require_POST
@login_required
def case_step(request, pk, name):
    """Take one workflow step; a refusal shows the dossier again with the French reason, nothing written."""
    case = selectors.case_get(user=request.user, pk=pk)
    step = workflow.BY_NAME.get(name)
    if step is None:
        raise Http404
    form = _step_form(case, step, request.POST)
    try:
        workflow.check_not_driven(step)
    except TransitionRefused as exc:
        messages.error(request, exc.message)
        return _render_detail(request, case, status=409)
    if form.is_valid():
        done = call_service(form, services.SERVICES[name], case=case, actor=request.user, **form.cleaned_data)
        if done:
            messages.success(request, _("%(step)s : c'est enregistré.") % {"step": step.label})
            return redirect("repairs:detail", pk=case.pk)
    case.refresh_from_db()
    if not step.allows_role(request.user):
        status = 403
    elif step not in workflow.applicable(case):
        status = 409
    else:
        status = 400
    if status != 400:  # the step is not on the page: say why at the top
        for error in form.non_field_errors():
            messages.error(request, error)
    return _render_detail(request, case, failed_step=name, failed_form=form, status=status)


@require_POST
@login_required
def case_note(request, pk):
    case = selectors.case_get(user=request.user, pk=pk)
    form = NoteForm(request.POST)
    if form.is_valid() and call_service(
        form, services.case_add_note, case=case, actor=request.user, note=form.cleaned_data["note"]
    ):
        messages.success(request, _("Note ajoutée."))
    else:
        messages.error(request, _("La note est vide."))
    return redirect("repairs:detail", pk=case.pk)


@require_POST
@role_required(Role.ACCUEIL, Role.RESPONSABLE_SAV)
def case_assign(request, pk):
    case = selectors.case_get(user=request.user, pk=pk)
    form = AssignForm(request.POST, case=case)
    if form.is_valid() and call_service(
        form,
        services.case_assign_technician,
        case=case,
        actor=request.user,
        technician=form.cleaned_data["technician"],
    ):
        messages.success(request, _("Technicien mis à jour."))
    else:
        for error in form.errors.values():
            messages.error(request, error[0])
    return redirect("repairs:detail", pk=case.pk)
