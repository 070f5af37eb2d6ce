"""Screens of deliberation and results (French, tablet-friendly): a session's results board (deliberate per bloc,
record an absence, sign the PV on screen), the PV as PDF, the results as CSV, and the certificates (list,
verification, PDF, Open Badges 3.0 JSON). Each checks its step and the site; jurors see only their sessions."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from atelier.certification import documents, selectors, selectors_results, services_results
from atelier.certification.forms_results import AbsenceForm, DeliberationForm, PvSignForm, VerifyForm
from atelier.core.access import step_required
from atelier.core.actions import Action, run_action
from atelier.core.pdf import pdf_response

NAV = "certification"


def _session_kwargs(request, session) -> dict:
    return {"session": session}


RESULT_ACTIONS = {
    "deliberate": Action(
        DeliberationForm,
        services_results.bloc_deliberate,
        lambda d: (
            _("Bloc %(b)s validé pour %(c)s.") % {"b": d.bloc.code, "c": d.candidate}
            if d.validated
            else _("Bloc %(b)s non validé pour %(c)s : manque %(m)s.")
            % {"b": d.bloc.code, "c": d.candidate, "m": ", ".join(d.missing)}
        ),
        target="session",
        form_kwargs=_session_kwargs,
    ),
    "absence": Action(
        AbsenceForm,
        services_results.result_absence_record,
        lambda r: _("%(c)s : %(k)s enregistré.") % {"c": r.candidate, "k": r.get_kind_display().lower()},
        target="session",
        form_kwargs=_session_kwargs,
    ),
    "sign": Action(
        PvSignForm,
        services_results.pv_sign,
        lambda s: (
            _("Procès-verbal signé par tout le jury : les certificats sont délivrés.")
            if s.proces_verbal.locked_at
            else _("Votre signature est enregistrée.")
        ),
        target="session",
        form_kwargs=_session_kwargs,
    ),
}


def _results_page(request, session, *, failed=None, failed_form=None, status=200):
    user = request.user
    board = selectors_results.session_board(session)
    juror = any(j.user_id == user.pk for j in board["pv"]["jurors"])
    signed = any(s.juror_id == user.pk for s in board["pv"]["signatures"])
    settled = all(row["result"] is not None for row in board["rows"])
    failed_key = None
    if failed == "deliberate" and failed_form is not None:
        failed_key = (failed_form.data.get("candidate"), failed_form.data.get("bloc"))
    return render(
        request,
        "certification/results.html",
        {
            "nav": NAV,
            "session": session,
            **board,
            "juror": juror,
            "may_change": juror and not board["pv"]["frozen"],
            "may_sign": juror and not signed and not board["pv"]["locked"] and (settled or failed == "sign"),
            "settled": settled,
            "sign_form": failed_form if failed == "sign" else PvSignForm(auto_id="id_sign_%s"),
            "failed": failed,
            "failed_form": failed_form,
            "failed_key": failed_key,
            "certificates": session.certificates.select_related("candidate", "bloc").order_by("number"),
        },
        status=status,
    )


@step_required("certification.judge")
def results(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_get(user=request.user, pk=pk)
    if request.method == "POST":
        return run_action(
            request,
            session,
            request.POST.get("action", ""),
            RESULT_ACTIONS,
            show_again=_results_page,
            done=lambda s: reverse("certification:results", args=[s.pk]),
        )
    return _results_page(request, session)


@step_required("certification.judge")
@require_GET
def pv_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_get(user=request.user, pk=pk)
    return pdf_response(documents.pv_pdf(session), f"proces-verbal-session-{session.pk}")


@step_required("certification.judge")
@require_GET
def results_csv(request: HttpRequest, pk: int) -> HttpResponse:
    from atelier.stock.exports import to_csv  # UTF-8 with BOM, « ; », formula-safe cells

    session = selectors.session_get(user=request.user, pk=pk)
    response = HttpResponse(
        to_csv(selectors_results.results_csv_rows(session)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="resultats-session-{session.pk}.csv"'
    return response


@step_required("certification.view")
@require_GET
def certificates(request: HttpRequest) -> HttpResponse:
    """The certificates the user may see, and the verification of a number with its code (any site: whoever
    holds the printed certificate holds both)."""
    form = VerifyForm(request.GET or None)
    checked = None
    if form.is_bound and form.is_valid():
        checked = services_results.certificate_verify(form.cleaned_data["numero"], form.cleaned_data["code"])
    return render(
        request,
        "certification/certificates.html",
        {
            "nav": NAV,
            "certificates": selectors_results.certificate_list(user=request.user),
            "form": form,
            "checked": checked,
        },
    )


@step_required("certification.view")
@require_GET
def certificate_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = selectors_results.certificate_get(user=request.user, pk=pk)
    return pdf_response(documents.certificate_pdf(certificate), certificate.number)


@step_required("certification.view")
@require_GET
def certificate_badge(request: HttpRequest, pk: int) -> HttpResponse:
    """The Open Badges 3.0 credential as issued, to download and keep."""
    certificate = selectors_results.certificate_get(user=request.user, pk=pk)
    response = HttpResponse(
        json.dumps(certificate.credential, ensure_ascii=False, indent=2), content_type="application/ld+json"
    )
    response["Content-Disposition"] = f'attachment; filename="{certificate.number}.json"'
    return response
