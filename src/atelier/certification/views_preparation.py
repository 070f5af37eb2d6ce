"""Preparation screens (issue 19, point 6): a candidate's progress per competence (their organisation only,
with the link to their Atelier account), sessions « blanches », role-play scenarios for n°4 and n°5 from
anonymised closed dossiers. Views parse, call one service through core.actions, render."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from atelier.certification import selectors, services_evidence, services_preparation
from atelier.certification.forms_evidence import AccountForm, ScenarioForm
from atelier.certification.models import CandidateAccount, RolePlayScenario
from atelier.core.access import sites_allowing, step_required
from atelier.core.actions import Action, run_action
from atelier.core.forms import call_service
from atelier.repairs.choices import CaseStatus
from atelier.repairs.models import RepairCase

NAV = "certification"


def member_candidate(request, pk):
    """A candidate of the user's sites whose organisation or company the user acts for (point 7): any other
    answers 404, like another site's."""
    candidate = selectors.candidate_get(user=request.user, pk=pk)
    if not services_evidence.is_member(request.user, candidate):
        raise Http404
    return candidate


PROGRESS_ACTIONS = {
    "account": Action(
        AccountForm,
        services_evidence.candidate_account_link,
        _("Compte Atelier lié au candidat."),
        target="candidate",
        form_kwargs=lambda request, candidate: {"candidate": candidate},
    ),
}


def _progress_page(request, candidate, *, failed=None, failed_form=None, status=200):
    rows = services_preparation.progress(candidate)
    for row in rows:
        row["status_label"] = services_preparation.PROGRESS_LABELS[row["status"]]
    account = CandidateAccount.objects.filter(candidate=candidate).select_related("user").first()
    cases = services_evidence.candidate_cases(candidate)
    return render(
        request,
        "certification/progress.html",
        {
            "nav": NAV,
            "candidate": candidate,
            "rows": rows,
            "account": account,
            "cases": cases[:20],
            "case_count": cases.count(),
            "account_form": failed_form
            if failed == "account"
            else AccountForm(candidate=candidate, auto_id="id_account_%s"),
            "counts": {
                s: sum(1 for r in rows if r["status"] == s) for s in services_preparation.PROGRESS_LABELS
            },
        },
        status=status,
    )


@step_required("certification.manage")
def candidate_progress(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = member_candidate(request, pk)
    if request.method == "POST":
        return run_action(
            request,
            candidate,
            request.POST.get("action", ""),
            PROGRESS_ACTIONS,
            show_again=_progress_page,
            done=lambda c: reverse("certification:progress", args=[c.pk]),
        )
    return _progress_page(request, candidate)


@step_required("certification.manage")
@require_POST
def session_mock(request: HttpRequest, pk: int) -> HttpResponse:
    """Flag the session « blanche » (button on the session page)."""
    from django.contrib import messages
    from django.shortcuts import redirect

    from atelier.core.errors import AtelierError

    session = selectors.session_get(user=request.user, pk=pk)
    if not selectors.session_manages(request.user, session):
        raise Http404
    try:
        services_preparation.session_mark_mock(actor=request.user, session=session)
        messages.success(
            request, _("La session est une session blanche : ses grilles préparent les candidats.")
        )
    except AtelierError as refused:
        messages.error(request, refused.message)
    return redirect("certification:session", pk=session.pk)


def _closed_cases(user):
    return (
        RepairCase.objects.filter(
            site__in=sites_allowing(user, "certification.manage"), status=CaseStatus.CLOTURE
        )
        .select_related("appliance")
        .order_by("-closed_at", "-pk")
    )


def _scenarios_page(request, *, form=None, status=200):
    return render(
        request,
        "certification/scenario_list.html",
        {
            "nav": NAV,
            "scenarios": RolePlayScenario.objects.filter(
                site__in=sites_allowing(request.user, "certification.manage")
            ),
            "form": form or ScenarioForm(cases=_closed_cases(request.user)[:200]),
        },
        status=status,
    )


@step_required("certification.manage")
def scenarios(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _scenarios_page(request)
    from django.shortcuts import redirect

    form = ScenarioForm(request.POST, cases=_closed_cases(request.user))
    if form.is_valid():
        case = form.cleaned_data["case"]
        scenario = call_service(
            form,
            services_preparation.scenario_generate,
            actor=request.user,
            site=case.site,
            **form.service_kwargs(),
        )
        if scenario is not None:
            return redirect("certification:scenario", pk=scenario.pk)
    return _scenarios_page(request, form=form, status=getattr(form, "refusal_status", 400))


@step_required("certification.manage")
def scenario_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scenario = RolePlayScenario.objects.filter(
        site__in=sites_allowing(request.user, "certification.manage"), pk=pk
    ).first()
    if scenario is None:
        raise Http404
    return render(request, "certification/scenario_detail.html", {"nav": NAV, "scenario": scenario})
