"""Procedure screens: the manager lists, writes and publishes procedures (a change publishes a new version);
the technician starts the applicable procedure from the dossier and follows it step by step on the tablet;
non-conformities are reported from the dossier and seen by the manager. Writes go through core.actions."""

import dataclasses

from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from atelier.core.access import may, step_required
from atelier.core.actions import Action, run_action
from atelier.core.scoping import visible_or_404
from atelier.customers.choices import ProductFamily
from atelier.procedures import forms, plugins, selectors, services
from atelier.procedures.choices import ProcedureKind
from atelier.procedures.models import NonConformity, ProcedureStep
from atelier.repairs.selectors import case_get

# --- Manager: procedures ---------------------------------------------------------------------------------------


@step_required("procedures.manage")
def procedure_list(request):
    family, kind = request.GET.get("famille", ""), request.GET.get("type", "")
    procedures = selectors.current_procedures(
        family=family if family in ProductFamily.values else "",
        kind=kind if kind in ProcedureKind.values else "",
    ).prefetch_related("steps")
    return render(
        request,
        "procedures/list.html",
        {
            "nav": "procedures",
            "procedures": procedures,
            "families": ProductFamily.choices,
            "kinds": ProcedureKind.choices,
            "family": family,
            "kind": kind,
        },
    )


@step_required("procedures.manage")
def procedure_detail(request, pk):
    procedure = selectors.procedure_get(pk)
    return render(
        request,
        "procedures/detail.html",
        {
            "nav": "procedures",
            "procedure": procedure,
            "steps": procedure.steps.select_related("document"),
            "versions": selectors.procedure_versions(procedure).select_related("published_by"),
        },
    )


def _steps_initial(procedure) -> list[dict]:
    return [
        {f: getattr(step, f) for f in services.STEP_FIELDS}
        for step in procedure.steps.select_related("document")
    ]


def _edit_page(request, procedure, *, failed=None, failed_form=None, status=200):
    if failed_form is None:
        initial = {}
        steps_initial = None
        if procedure is not None:
            initial = {
                f: getattr(procedure, f)
                for f in ("title", "kind", "topic", "family", "brand", "model_ref", "source", "reference")
            }
            steps_initial = _steps_initial(procedure)
        failed_form = forms.ProcedureForm(initial=initial, steps_initial=steps_initial)
    return render(
        request,
        "procedures/edit.html",
        {"nav": "procedures", "procedure": procedure, "form": failed_form},
        status=status,
    )


EDIT_ACTIONS = {
    "publish": Action(
        form=forms.ProcedureForm,
        service=services.procedure_publish,
        target="previous",
        plain_ids=True,
        success=lambda p: _("Procédure « %(t)s » publiée (version %(v)s).") % {"t": p.title, "v": p.version},
        next=lambda request, previous, procedure: reverse("procedures:detail", args=[procedure.pk]),
    ),
}
CREATE_ACTIONS = {"publish": dataclasses.replace(EDIT_ACTIONS["publish"], target=None)}


@step_required("procedures.manage")
def procedure_create(request):
    if request.method != "POST":
        return _edit_page(request, None)
    return run_action(
        request,
        None,
        "publish",
        CREATE_ACTIONS,
        show_again=_edit_page,
        done=lambda _obj: reverse("procedures:list"),
    )


@step_required("procedures.manage")
def procedure_edit(request, pk):
    procedure = selectors.procedure_get(pk)
    if request.method != "POST":
        return _edit_page(request, procedure)
    return run_action(
        request,
        procedure,
        "publish",
        EDIT_ACTIONS,
        show_again=_edit_page,
        done=lambda p: reverse("procedures:detail", args=[p.pk]),
    )


# --- Technician: follow a procedure on a dossier ----------------------------------------------------------------


@require_POST
@step_required("procedures.follow")
def run_start(request, case_pk, procedure_pk):
    case = case_get(user=request.user, pk=case_pk)
    procedure = selectors.procedure_get(procedure_pk)
    run = services.run_start(actor=request.user, case=case, procedure=procedure)
    return redirect("procedures:run", pk=run.pk)


def _run_page(request, run, *, failed=None, failed_form=None, status=200):
    state = selectors.run_state(run)
    rows = []
    for step, result in state.rows:
        if failed_form is not None and failed == f"step-{step.pk}":
            form = failed_form
        else:
            initial = (
                {"outcome": result.outcome, "note": result.note, "measured_value": result.measured_value}
                if result
                else {}
            )
            form = forms.StepResultForm(initial=initial, auto_id=f"id_step{step.pk}_%s")
        rows.append({"step": step, "result": result, "form": form, "open": failed == f"step-{step.pk}"})
    case = run.case
    return render(
        request,
        "procedures/run.html",
        {
            "nav": "repairs",
            "case": case,
            "run": run,
            "state": state,
            "rows": rows,
            "next_step": state.left[0] if state.left else None,
            "can_record": may(request.user, "procedures.follow", site=case.site) and not case.is_closed,
            "is_demontage": run.procedure.kind == ProcedureKind.DEMONTAGE,
        },
        status=status,
    )


@step_required("procedures.follow")
def run_detail(request, pk):
    return _run_page(request, selectors.run_get(user=request.user, pk=pk))


@require_POST
@step_required("procedures.follow")
def step_record(request, pk, step_pk):
    run = selectors.run_get(user=request.user, pk=pk)
    step = get_object_or_404(ProcedureStep, pk=step_pk, procedure_id=run.procedure_id)
    name = f"step-{step.pk}"
    actions = {
        name: Action(
            form=forms.StepResultForm,
            service=services.step_record,
            target="run",
            data=lambda request, run, form: {**form.cleaned_data, "step": step},
            success=gettext_lazy("Étape enregistrée."),
            next=lambda request, run, result: reverse("procedures:run", args=[run.pk]) + f"#step-{step.pk}",
        )
    }

    def show_again(request, run, **kwargs):
        return _run_page(request, selectors.run_get(user=request.user, pk=run.pk), **kwargs)

    return run_action(request, run, name, actions, show_again=show_again, done=lambda run: "")


# --- Non-conformities -----------------------------------------------------------------------------------------


def _section_again(request, case, *, failed=None, failed_form=None, status=400):
    section = plugins.dossier_section(request, case, failed=failed, failed_form=failed_form)
    return render(
        request,
        "procedures/section_failed.html",
        {"nav": "repairs", "case": case, "section": section},
        status=status,
    )


NC_ACTIONS = {
    "non_conformity": Action(
        form=forms.NonConformityForm,
        service=services.non_conformity_report,
        success=gettext_lazy("Non-conformité signalée au responsable."),
    ),
}


@require_POST
@step_required("procedures.follow")
def non_conformity_report(request, case_pk):
    case = case_get(user=request.user, pk=case_pk)
    return run_action(
        request,
        case,
        "non_conformity",
        NC_ACTIONS,
        show_again=_section_again,
        done=lambda case: reverse("repairs:detail", args=[case.pk]) + "#procedures",
    )


@step_required("procedures.manage")
def non_conformity_list(request):
    items = selectors.non_conformities_for(request.user)
    return render(
        request,
        "procedures/non_conformities.html",
        {
            "nav": "procedures",
            "to_see": items.filter(seen_at__isnull=True),
            "seen": items.filter(seen_at__isnull=False)[:50],
        },
    )


@require_POST
@step_required("procedures.manage")
def non_conformity_seen(request, pk):
    item = visible_or_404(NonConformity.objects.select_related("case__site"), request.user, pk=pk)
    services.non_conformity_seen(actor=request.user, item=item)
    return redirect("procedures:non_conformities")
