"""Screens of a dossier's questioning, pre-diagnosis (counter) and diagnosis (technician). The dossier is
always read through repairs.selectors.case_get: another site's dossier answers 404."""

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from atelier.core.actions import Action, run_action
from atelier.core.forms import call_service
from atelier.core.pdf import pdf_response
from atelier.core.permissions import role_required
from atelier.core.scoping import visible_or_404
from atelier.diagnostics import documents, flow, forms, selectors, services
from atelier.diagnostics.models import PreDiagnosis
from atelier.diagnostics.services import COUNTER_ROLES, DIAGNOSIS_ROLES
from atelier.knowledge.selectors import safety_list
from atelier.repairs.choices import CaseStatus
from atelier.repairs.selectors import case_get


def _base(case, **extra) -> dict:
    return {"nav": "repairs", "case": case, "appliance": case.appliance, **extra}


@role_required(*COUNTER_ROLES)
@require_http_methods(["GET", "POST"])
def questions(request, case_pk):
    case = case_get(user=request.user, pk=case_pk)
    family = case.appliance.family
    question_list = flow.questions_for(family)
    existing = {a.question_id: a for a in selectors.case_answers(case)}
    initial = {f"q_{pk}": a.value for pk, a in existing.items()}
    for question in question_list:
        question.saved = existing.get(question.pk)
    form = forms.QuestionsForm(
        request.POST if request.method == "POST" else None, questions=question_list, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form, services.answers_save, case=case, actor=request.user, answers=form.answers()
        )
        if saved is not None:
            flagged = [a for a in saved if a.flag]
            messages.success(request, _("Réponses enregistrées (%(n)s).") % {"n": len(saved)})
            for answer in flagged:
                messages.warning(request, _("« %(v)s » : %(f)s.") % {"v": answer.value, "f": answer.flag})
            if "prediag" in request.POST and case.status == CaseStatus.RECU:
                return redirect("diagnostics:prediagnosis", case_pk=case.pk)
            return redirect("diagnostics:questions", case_pk=case.pk)
    context = _base(
        case,
        form=form,
        answers=existing,
        process=selectors.process_for(case),
        safety=safety_list(family=family),
    )
    return TemplateResponse(
        request, "diagnostics/questions.html", context, status=400 if form.errors else 200
    )


@role_required(*COUNTER_ROLES)
@require_http_methods(["GET", "POST"])
def prediagnosis(request, case_pk):
    case = case_get(user=request.user, pk=case_pk)
    family = case.appliance.family
    pre = selectors.prediagnosis_of(case)
    form = None
    if pre is None:
        form = forms.PreDiagnosisForm(
            request.POST if request.method == "POST" else None,
            family=family,
            checklist=selectors.checklist_for(family),
        )
        if request.method == "POST" and form.is_valid():
            done = call_service(
                form, services.prediagnosis_record, case=case, actor=request.user, **form.service_kwargs()
            )
            if done:
                messages.success(
                    request, _("Pré-diagnostic enregistré : le dossier est « Pré-diagnostiqué ».")
                )
                return redirect("diagnostics:prediagnosis", case_pk=case.pk)
    elif request.method == "POST":
        return redirect("diagnostics:prediagnosis", case_pk=case.pk)
    context = _base(
        case,
        form=form,
        pre=pre,
        answers=selectors.case_answers(case),
        suggestions=selectors.suggestions_for(case) if pre is None else None,
        safety=safety_list(family=family),
        process=selectors.process_for(case),
        ack_form=forms.AcknowledgeForm(initial={"signer_name": case.customer.display_name})
        if pre and not pre.acknowledgement
        else None,
    )
    status = 400 if form is not None and form.errors else 200
    return TemplateResponse(request, "diagnostics/prediagnosis.html", context, status=status)


@role_required(*COUNTER_ROLES)
@require_POST
def acknowledge(request, case_pk):
    case = case_get(user=request.user, pk=case_pk)
    pre = visible_or_404(PreDiagnosis, request.user, case=case)
    form = forms.AcknowledgeForm(request.POST)
    if form.is_valid():
        done = call_service(
            form,
            services.prediagnosis_acknowledge,
            prediagnosis=pre,
            actor=request.user,
            signer_name=form.cleaned_data["signer_name"],
            signature=form.cleaned_data["signature"],
            on_paper=form.cleaned_data["on_paper"],
        )
        if done:
            messages.success(request, _("Fiche de pré-diagnostic signée par le client."))
            return redirect("diagnostics:prediagnosis", case_pk=case.pk)
    context = _base(
        case,
        form=None,
        pre=selectors.prediagnosis_of(case),
        answers=selectors.case_answers(case),
        safety=safety_list(family=case.appliance.family),
        process=selectors.process_for(case),
        ack_form=form,
    )
    return TemplateResponse(request, "diagnostics/prediagnosis.html", context, status=400)


@role_required(*COUNTER_ROLES)
@require_GET
def prediagnosis_pdf(request, case_pk):
    case = case_get(user=request.user, pk=case_pk)
    pre = visible_or_404(
        PreDiagnosis.objects.select_related("case__site", "case__customer"), request.user, case=case
    )
    return pdf_response(documents.prediagnosis_pdf(pre), f"pre-diagnostic-{case.number}")


def _measured(measurement) -> str:
    verdict = {True: _("conforme"), False: _("NON CONFORME"), None: _("sans plage attendue")}
    return _("Mesure enregistrée : %(v)s, %(r)s.") % {
        "v": measurement.value_display,
        "r": verdict[measurement.conforming],
    }


def _family(request, case) -> dict:
    return {"family": case.appliance.family}


# The diagnosis page's forms (each with its own ids: three sit on one page). `m` and `p` keep the ids the page
# always gave the measurement and part forms.
ACTIONS = {
    "diagnosis": Action(
        form=forms.DiagnosisForm,
        service=services.diagnosis_save,
        success=_("Diagnostic enregistré."),
        form_kwargs=_family,
    ),
    "m": Action(
        form=forms.MeasurementForm, service=services.measurement_add, success=_measured, form_kwargs=_family
    ),
    "p": Action(
        form=forms.PartForm, service=services.diagnosis_part_add, success=_("Pièce ajoutée au diagnostic.")
    ),
}


def _diagnosis_page(request, case, *, failed=None, failed_form=None, status=200):
    family = case.appliance.family
    diagnosis = selectors.diagnosis_of(case)
    if failed == "diagnosis":
        form = failed_form
    else:
        initial = {}
        if diagnosis:
            initial = {
                "disassembly_notes": diagnosis.disassembly_notes,
                "non_conformities": diagnosis.non_conformities,
                "conclusion": diagnosis.conclusion,
                "confirmed_cause": diagnosis.confirmed_cause_id,
                "labour_hours": diagnosis.labour_hours,
            }
        form = forms.DiagnosisForm(initial=initial, family=family, auto_id="id_diagnosis_%s")
    query = request.GET.get("q", "").strip()
    context = _base(
        case,
        diagnosis=diagnosis,
        pre=selectors.prediagnosis_of(case),
        answers=selectors.case_answers(case),
        form=form,
        measure_form=failed_form
        if failed == "m"
        else forms.MeasurementForm(family=family, auto_id="id_m_%s"),
        part_form=failed_form if failed == "p" else forms.PartForm(auto_id="id_p_%s"),
        suggestions=selectors.suggestions_for(case),
        query=query,
        results=selectors.knowledge_search(case, query),
        documents=list(selectors.model_documents(case)),
        safety=safety_list(family=family),
        can_hand_over=bool(
            diagnosis
            and not diagnosis.solution_id
            and case.status in (CaseStatus.PREDIAGNOSTIQUE, CaseStatus.DEVIS_ENVOYE)
        ),
    )
    return TemplateResponse(request, "diagnostics/diagnosis.html", context, status=status)


def _act(request, case_pk, name):
    case = case_get(user=request.user, pk=case_pk)
    return run_action(
        request,
        case,
        name,
        ACTIONS,
        show_again=_diagnosis_page,
        done=lambda case: reverse("diagnostics:diagnosis", kwargs={"case_pk": case.pk}),
    )


@role_required(*DIAGNOSIS_ROLES)
@require_http_methods(["GET", "POST"])
def diagnosis(request, case_pk):
    if request.method == "POST":
        return _act(request, case_pk, "diagnosis")
    return _diagnosis_page(request, case_get(user=request.user, pk=case_pk))


@role_required(*DIAGNOSIS_ROLES)
@require_POST
def measurement_add(request, case_pk):
    return _act(request, case_pk, "m")


@role_required(*DIAGNOSIS_ROLES)
@require_POST
def part_add(request, case_pk):
    return _act(request, case_pk, "p")


@role_required(*DIAGNOSIS_ROLES)
@require_POST
def part_remove(request, case_pk, line_pk):
    """A button, no form: a refusal reaches the user through core.middleware.AtelierErrorMiddleware."""
    case = case_get(user=request.user, pk=case_pk)
    services.diagnosis_part_remove(case=case, actor=request.user, line_id=line_pk)
    messages.success(request, _("Pièce retirée."))
    return redirect("diagnostics:diagnosis", case_pk=case.pk)


@role_required(*DIAGNOSIS_ROLES)
@require_POST
def hand_over(request, case_pk):
    """A button, no form: a refusal reaches the user through core.middleware.AtelierErrorMiddleware."""
    case = case_get(user=request.user, pk=case_pk)
    solution = services.diagnosis_hand_over(case=case, actor=request.user)
    messages.success(request, _("Diagnostic transmis au devis : solution « %(t)s ».") % {"t": solution.title})
    return redirect("repairs:detail", pk=case.pk)
