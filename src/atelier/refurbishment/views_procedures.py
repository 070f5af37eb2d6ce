"""Screens of the refurbishment (C1.13, tablet): the appliance's refurbishment step by step — one card per
step of its family's procedure (the safety step with the EN 50678 form), parts from stock, the erasure
certificate, the décret's conditions as they stand, the end (verdict, grade, price, wording) —; a finished
refurbishment as recorded; the procedures and the grade scale (data). Views parse and call one service."""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from atelier.core.access import may, step_required
from atelier.core.actions import refusal_status
from atelier.core.forms import call_service
from atelier.core.scoping import visible_or_404
from atelier.customers.choices import ProductFamily
from atelier.refurbishment import selectors, services
from atelier.refurbishment.choices import ApplianceState
from atelier.refurbishment.choices_procedures import RefurbishmentStatus, StepKind
from atelier.refurbishment.forms_procedures import (
    ErasureForm,
    FinishForm,
    PartForm,
    SafetyStepForm,
    StartForm,
    StepForm,
)
from atelier.refurbishment.models_procedures import CosmeticGrade, ProcedureStep, Refurbishment
from atelier.refurbishment.services.procedures import DATA_FAMILIES
from atelier.refurbishment.services.resale import guarantee_in_force

NAV = "refurbishment"


def saleable_now(appliance) -> bool:
    """What the sale service accepts (services.moves._refuse_unless_saleable), to offer the form or not."""
    if appliance.state != ApplianceState.A_RECONDITIONNER:
        return False
    last = appliance.refurbishments.order_by("-started_at", "-pk").first()
    if last is None:
        return appliance.triage_outcome == "valide"
    return last.status == RefurbishmentStatus.TERMINE and last.verdict == "conforme"


def appliance_extras(request, appliance) -> dict:
    """What the appliance page shows of its refurbishments and sales."""
    return {
        "refurbishments": appliance.refurbishments.select_related("grade", "started_by").order_by(
            "-started_at"
        ),
        "sales": appliance.sales.select_related("invoice", "customer"),
        "can_refurbish": appliance.state == ApplianceState.A_RECONDITIONNER
        and may(request.user, "refurbishment.refurbish", appliance.site_id),
    }


def _step_form(step, appliance, data=None):
    auto_id = f"id_step_{step.code}_%s"
    if step.kind == StepKind.SECURITE:
        return SafetyStepForm(data, step=step, site=appliance.site, auto_id=auto_id)
    if step.kind == StepKind.EFFACEMENT:
        return None
    return StepForm(data, step=step, auto_id=auto_id)


def _page(request, appliance, *, failed=None, failed_form=None, status=200):
    current = appliance.refurbishments.filter(status=RefurbishmentStatus.EN_COURS).first()
    steps = list(services.procedure(appliance.family))
    cards, conditions, wording = [], [], ""
    if current is not None:
        results = {r.step_id: r for r in current.results.select_related("instrument")}
        for step in steps:
            form = failed_form if failed == f"step:{step.code}" else _step_form(step, appliance)
            cards.append({"step": step, "result": results.get(step.pk), "form": form})
        conditions, wording = services.decree_conditions(current)

    def form(name, form_class, **kwargs):
        return failed_form if failed == name else form_class(auto_id=f"id_{name}_%s", **kwargs)

    return render(
        request,
        "refurbishment/refurbishment.html",
        {
            "nav": NAV,
            "appliance": appliance,
            "current": current,
            "cards": cards,
            "conditions": conditions,
            "wording_allowed": wording,
            "parts": current.parts.select_related("part", "move__location") if current else [],
            "erasures": current.erasures.select_related("done_by") if current else [],
            "has_wipe_step": any(s.kind == StepKind.EFFACEMENT for s in steps),
            "can_refurbish": may(request.user, "refurbishment.refurbish", appliance.site_id),
            "can_start": current is None and appliance.state == ApplianceState.A_RECONDITIONNER,
            "start_form": form("start", StartForm, initial={"holds_data": appliance.family in DATA_FAMILIES}),
            "part_form": form("part", PartForm, site=appliance.site),
            "erasure_form": form("erasure", ErasureForm),
            "finish_form": form("finish", FinishForm),
            "failed": failed,
            "failed_form": failed_form,
        },
        status=status,
    )


@step_required("refurbishment.view")
def refurbishment_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The tablet page of an appliance's refurbishment; each card posts one action."""
    appliance = selectors.appliance_get(user=request.user, pk=pk)
    if request.method != "POST":
        return _page(request, appliance)
    action = request.POST.get("action", "")
    form: Any
    service: Any
    kwargs: dict[str, Any]
    done_message: Any
    current = appliance.refurbishments.filter(status=RefurbishmentStatus.EN_COURS).first()
    if action == "start":
        form = StartForm(request.POST, auto_id="id_start_%s")
        name, service, kwargs = "start", services.refurbishment_start, {"appliance": appliance}
        done_message = _("Reconditionnement commencé : suivez les étapes.")
    else:
        if current is None:
            raise Http404
        kwargs = {"refurbishment": current}
        if action == "step":
            step = ProcedureStep.objects.filter(
                family=appliance.family, code=request.POST.get("step", ""), is_active=True
            ).first()
            form = _step_form(step, appliance, request.POST) if step is not None else None
            if form is None or step is None:
                raise Http404
            name, service = f"step:{step.code}", services.refurbishment_step_record
            done_message = _("Étape « %(s)s » enregistrée.") % {"s": step.label}
        elif action == "part":
            form = PartForm(request.POST, site=appliance.site, auto_id="id_part_%s")
            name, service = "part", services.refurbishment_part_use
            done_message = _("Pièce sortie du stock pour ce reconditionnement.")
        elif action == "erasure":
            form = ErasureForm(request.POST, auto_id="id_erasure_%s")
            name, service = "erasure", services.data_erasure_record
            done_message = _("Effacement des données enregistré.")
        elif action == "finish":
            form = FinishForm(request.POST, auto_id="id_finish_%s")
            name, service = "finish", services.refurbishment_finish
            done_message = None
        else:
            raise Http404
    if form.is_valid():
        data = form.service_kwargs() if hasattr(form, "service_kwargs") else dict(form.cleaned_data)
        result = call_service(form, service, actor=request.user, **kwargs, **data)
        if not form.errors:
            if action == "finish":
                messages.success(
                    request,
                    _("Reconditionnement terminé : %(v)s, vendu comme « %(w)s ».")
                    % {"v": result.get_verdict_display(), "w": result.get_wording_display()},
                )
                return redirect("refurbishment:refurbishment_detail", pk=result.pk)
            messages.success(request, done_message)
            return redirect("refurbishment:refurbish", pk=appliance.pk)
    appliance.refresh_from_db()
    return _page(request, appliance, failed=name, failed_form=form, status=refusal_status(form))


@step_required("refurbishment.view")
@require_GET
def refurbishment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A refurbishment as recorded: steps and measurements, parts, erasure certificate, conditions, outcome."""
    refurbishment = visible_or_404(
        Refurbishment.objects.select_related(
            "appliance", "appliance__site", "grade", "started_by", "finished_by"
        ),
        request.user,
        pk=pk,
    )
    return render(
        request,
        "refurbishment/refurbishment_detail.html",
        {
            "nav": NAV,
            "r": refurbishment,
            "appliance": refurbishment.appliance,
            "results": refurbishment.results.select_related("instrument", "done_by"),
            "parts": refurbishment.parts.select_related("part", "move__location"),
            "erasures": refurbishment.erasures.select_related("done_by"),
        },
    )


@step_required("refurbishment.view")
@require_GET
def procedures(request: HttpRequest) -> HttpResponse:
    """Each family's procedure, the grade scale and the legal guarantee of used goods in force (data)."""
    families = dict(ProductFamily.choices)
    groups: dict[str, list] = {}
    for step in ProcedureStep.objects.filter(is_active=True):
        groups.setdefault(str(families.get(step.family, step.family)), []).append(step)
    return render(
        request,
        "refurbishment/procedures.html",
        {
            "nav": NAV,
            "groups": groups,
            "grades": CosmeticGrade.objects.filter(is_active=True),
            "guarantee": guarantee_in_force(timezone.localdate()),
        },
    )
