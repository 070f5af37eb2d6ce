"""Screens of a dossier's questioning, pre-diagnosis (counter) and diagnosis (technician). The dossier is
always read through repairs.selectors.case_get: another site's dossier answers 404."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from atelier.core.errors import AtelierError
from atelier.core.forms import call_service
from atelier.core.pdf import pdf_response
from atelier.core.permissions import role_required
from atelier.diagnostics import documents, flow, forms, selectors, services
from atelier.diagnostics.models import PreDiagnosis
from atelier.diagnostics.services import COUNTER_ROLES, DIAGNOSIS_ROLES
from atelier.knowledge.selectors import safety_list
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
            if "prediag" in request.POST and case.status == "recu":
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
    pre = get_object_or_404(PreDiagnosis, case=case)
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
    pre = get_object_or_404(PreDiagnosis.objects.select_related("case__site", "case__customer"), case=case)
    return pdf_response(documents.prediagnosis_pdf(pre), f"pre-diagnostic-{case.number}")


def _diagnosis_page(request, case, *, form=None, measure_form=None, part_form=None, status=200):
    family = case.appliance.family
    diagnosis = selectors.diagnosis_of(case)
    if form is None:
        initial = {}
        if diagnosis:
            initial = {
                "disassembly_notes": diagnosis.disassembly_notes,
                "non_conformities": diagnosis.non_conformities,
                "conclusion": diagnosis.conclusion,
                "confirmed_cause": diagnosis.confirmed_cause_id,
                "labour_hours": diagnosis.labour_hours,
            }
        form = forms.DiagnosisForm(initial=initial, family=family)
    query = request.GET.get("q", "").strip()
    context = _base(
        case,
        diagnosis=diagnosis,
        pre=selectors.prediagnosis_of(case),
        answers=selectors.case_answers(case),
        form=form,
        measure_form=measure_form or forms.MeasurementForm(family=family, auto_id="id_m_%s"),
        part_form=part_form or forms.PartForm(auto_id="id_p_%s"),
        suggestions=selectors.suggestions_for(case),
        query=query,
        results=selectors.knowledge_search(case, query),
        documents=list(selectors.model_documents(case)),
        safety=safety_list(family=family),
        can_hand_over=bool(
            diagnosis and not diagnosis.solution_id and case.status in ("prediagnostique", "devis_envoye")
        ),
    )
    return TemplateResponse(request, "diagnostics/diagnosis.html", context, status=status)


@role_required(*DIAGNOSIS_ROLES)
@require_http_methods(["GET", "POST"])
def diagnosis(request, case_pk):
    case = case_get(user=request.user, pk=case_pk)
    if request.method == "POST":
        form = forms.DiagnosisForm(request.POST, family=case.appliance.family)
        if form.is_valid() and call_service(
            form, services.diagnosis_save, case=case, actor=request.user, **form.cleaned_data
        ):
            messages.success(request, _("Diagnostic enregistré."))
            return redirect("diagnostics:diagnosis", case_pk=case.pk)
        return _diagnosis_page(request, case, form=form, status=400)
    return _diagnosis_page(request, case)


@role_required(*DIAGNOSIS_ROLES)
@require_POST
def measurement_add(request, case_pk):
    case = case_get(user=request.user, pk=case_pk)
    form = forms.MeasurementForm(request.POST, family=case.appliance.family, auto_id="id_m_%s")
    if form.is_valid():
        done = call_service(
            form, services.measurement_add, case=case, actor=request.user, **form.service_kwargs()
        )
        if done:
            verdict = {True: _("conforme"), False: _("NON CONFORME"), None: _("sans plage attendue")}[
                done.conforming
            ]
            messages.success(
                request, _("Mesure enregistrée : %(v)s, %(r)s.") % {"v": done.value_display, "r": verdict}
            )
            return redirect("diagnostics:diagnosis", case_pk=case.pk)
    return _diagnosis_page(request, case, measure_form=form, status=400)


@role_required(*DIAGNOSIS_ROLES)
@require_POST
def part_add(request, case_pk):
    case = case_get(user=request.user, pk=case_pk)
    form = forms.PartForm(request.POST, auto_id="id_p_%s")
    if form.is_valid() and call_service(
        form, services.diagnosis_part_add, case=case, actor=request.user, **form.cleaned_data
    ):
        messages.success(request, _("Pièce ajoutée au diagnostic."))
        return redirect("diagnostics:diagnosis", case_pk=case.pk)
    return _diagnosis_page(request, case, part_form=form, status=400)


@role_required(*DIAGNOSIS_ROLES)
@require_POST
def part_remove(request, case_pk, line_pk):
    case = case_get(user=request.user, pk=case_pk)
    try:
        services.diagnosis_part_remove(case=case, actor=request.user, line_id=line_pk)
        messages.success(request, _("Pièce retirée."))
    except AtelierError as exc:
        messages.error(request, exc.message)
    return redirect("diagnostics:diagnosis", case_pk=case.pk)


@role_required(*DIAGNOSIS_ROLES)
@require_POST
def hand_over(request, case_pk):
    case = case_get(user=request.user, pk=case_pk)
    try:
        solution = services.diagnosis_hand_over(case=case, actor=request.user)
    except AtelierError as exc:
        messages.error(request, exc.message)
        return redirect("diagnostics:diagnosis", case_pk=case.pk)
    messages.success(request, _("Diagnostic transmis au devis : solution « %(t)s ».") % {"t": solution.title})
    return redirect("repairs:detail", pk=case.pk)
