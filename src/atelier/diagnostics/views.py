"""Screens of a dossier's questioning, pre-diagnosis (counter) and diagnosis (technician). The dossier is
always read through repairs.selectors.case_get: another site's dossier answers 404."""

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from atelier.core.access import step_required
from atelier.core.actions import Action, run_action
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


ANSWERS_SAVED = _("Réponses enregistrées (%(n)s).")
ANSWER_FLAGGED = _("« %(v)s » : %(f)s.")
PREDIAGNOSIS_RECORDED = _("Pré-diagnostic enregistré : le dossier est « Pré-diagnostiqué ».")
PREDIAGNOSIS_SIGNED = _("Fiche de pré-diagnostic signée par le client.")


def _questions_of(case) -> tuple[list, dict]:
    """The family's questions, each with the answer already saved (if any), and those answers by question."""
    question_list = flow.questions_for(case.appliance.family)
    existing = {a.question_id: a for a in selectors.case_answers(case)}
    for question in question_list:
        question.saved = existing.get(question.pk)
    return question_list, existing


def _questions_form_kwargs(request, case) -> dict:
    question_list, existing = _questions_of(case)
    return {"questions": question_list, "initial": {f"q_{pk}": a.value for pk, a in existing.items()}}


def _after_answers(request, case, saved):
    """Warn about each flagged answer; « Pré-diagnostic » goes on to that page while the dossier is received."""
    for answer in saved:
        if answer.flag:
            messages.warning(request, ANSWER_FLAGGED % {"v": answer.value, "f": answer.flag})
    if "prediag" in request.POST and case.status == CaseStatus.RECU:
        return reverse("diagnostics:prediagnosis", kwargs={"case_pk": case.pk})
    return reverse("diagnostics:questions", kwargs={"case_pk": case.pk})


def _prediagnosis_form_kwargs(request, case) -> dict:
    family = case.appliance.family
    return {"family": family, "checklist": selectors.checklist_for(family)}


def _to_prediagnosis(obj) -> str:
    return reverse("diagnostics:prediagnosis", kwargs={"case_pk": getattr(obj, "case_id", obj.pk)})


# The counter's pages: one form each, with Django's plain ids (id_said, id_findings, id_signer_name…).
COUNTER_ACTIONS = {
    "questions": Action(
        form=forms.QuestionsForm,
        service=services.answers_save,
        form_kwargs=_questions_form_kwargs,
        data=lambda request, case, form: {"answers": form.answers()},
        success=lambda saved: ANSWERS_SAVED % {"n": len(saved)},
        next=_after_answers,
        plain_ids=True,
    ),
    "prediagnosis": Action(
        form=forms.PreDiagnosisForm,
        service=services.prediagnosis_record,
        form_kwargs=_prediagnosis_form_kwargs,
        success=PREDIAGNOSIS_RECORDED,
        plain_ids=True,
    ),
    "acknowledge": Action(
        form=forms.AcknowledgeForm,
        service=services.prediagnosis_acknowledge,
        target="prediagnosis",
        success=PREDIAGNOSIS_SIGNED,
        plain_ids=True,
    ),
}


def _questions_page(request, case, *, failed=None, failed_form=None, status=200):
    question_list, existing = _questions_of(case)
    form = failed_form or forms.QuestionsForm(
        questions=question_list, initial={f"q_{pk}": a.value for pk, a in existing.items()}
    )
    context = _base(
        case,
        form=form,
        answers=existing,
        process=selectors.process_for(case),
        safety=safety_list(family=case.appliance.family),
    )
    return TemplateResponse(request, "diagnostics/questions.html", context, status=status)


@role_required(*COUNTER_ROLES)
@require_http_methods(["GET", "POST"])
def questions(request, case_pk):
    case = case_get(user=request.user, pk=case_pk)
    if request.method == "POST":
        return run_action(
            request,
            case,
            "questions",
            COUNTER_ACTIONS,
            show_again=_questions_page,
            done=lambda case: reverse("diagnostics:questions", kwargs={"case_pk": case.pk}),
        )
    return _questions_page(request, case)


def _prediagnosis_page(request, obj, *, failed=None, failed_form=None, status=200):
    """The pre-diagnosis page: the form while there is none, then the record and its acknowledgement."""
    case = getattr(obj, "case", obj)
    family = case.appliance.family
    pre = selectors.prediagnosis_of(case)
    form = None
    if pre is None:
        form = (
            failed_form
            if failed == "prediagnosis"
            else forms.PreDiagnosisForm(family=family, checklist=selectors.checklist_for(family))
        )
    if failed == "acknowledge":
        ack_form = failed_form
    elif pre and not pre.acknowledgement:
        ack_form = forms.AcknowledgeForm(initial={"signer_name": case.customer.display_name})
    else:
        ack_form = None
    context = _base(
        case,
        form=form,
        pre=pre,
        answers=selectors.case_answers(case),
        suggestions=selectors.suggestions_for(case) if pre is None else None,
        safety=safety_list(family=family),
        process=selectors.process_for(case),
        ack_form=ack_form,
    )
    return TemplateResponse(request, "diagnostics/prediagnosis.html", context, status=status)


@role_required(*COUNTER_ROLES)
@require_http_methods(["GET", "POST"])
def prediagnosis(request, case_pk):
    case = case_get(user=request.user, pk=case_pk)
    if request.method == "POST":
        if selectors.prediagnosis_of(case) is not None:
            return redirect("diagnostics:prediagnosis", case_pk=case.pk)
        return run_action(
            request,
            case,
            "prediagnosis",
            COUNTER_ACTIONS,
            show_again=_prediagnosis_page,
            done=_to_prediagnosis,
        )
    return _prediagnosis_page(request, case)


@role_required(*COUNTER_ROLES)
@require_POST
def acknowledge(request, case_pk):
    case = case_get(user=request.user, pk=case_pk)
    pre = visible_or_404(PreDiagnosis, request.user, case=case)
    return run_action(
        request, pre, "acknowledge", COUNTER_ACTIONS, show_again=_prediagnosis_page, done=_to_prediagnosis
    )


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


def _measure_kwargs(request, case) -> dict:
    return {"family": case.appliance.family, "site": case.site}


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
        form=forms.MeasurementForm,
        service=services.measurement_add,
        success=_measured,
        form_kwargs=_measure_kwargs,
    ),
    "s": Action(
        form=forms.SourceForm, service=services.source_record, success=_("Source consultée enregistrée.")
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
                "unsolved": diagnosis.unsolved,
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
        else forms.MeasurementForm(family=family, site=case.site, auto_id="id_m_%s"),
        source_form=failed_form if failed == "s" else forms.SourceForm(auto_id="id_s_%s"),
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


@step_required("diagnostics.record_source")
@require_POST
def source_add(request, case_pk):
    return _act(request, case_pk, "s")


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
