"""Certification screens (French, tablet-friendly): the sessions (index), a session with its candidates, jury
and draws, the candidates and their E3 topic, the organisations, and the référentiel. Views parse, call one
service through core.actions, render; each checks its step and the site (core.access, core.scoping)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from atelier.certification import selectors, services
from atelier.certification.forms import (
    CandidateForm,
    DecisionForm,
    DerogationForm,
    DrawForm,
    GridForm,
    OrganisationForm,
    SessionCandidateForm,
    SessionForm,
    SessionJurorForm,
    TopicForm,
)
from atelier.certification.models import Referentiel
from atelier.certification.rules import family_for_seed
from atelier.core.access import may, step_required
from atelier.core.actions import Action, run_action

NAV = "certification"


def _user_kwargs(request, obj) -> dict:
    return {"user": request.user}


# ---------------------------------------------------------------- sessions (index)


def _session_form_kwargs(request, obj) -> dict:
    return {"user": request.user, "referentiel": selectors.referentiel_current()}


INDEX_ACTIONS = {
    "session": Action(
        SessionForm,
        services.session_create,
        _("Session créée."),
        target=None,
        form_kwargs=_session_form_kwargs,
        next=lambda request, obj, session: reverse("certification:session", args=[session.pk]),
        plain_ids=True,
    ),
}


def _index_page(request, obj=None, *, failed=None, failed_form=None, status=200):
    user = request.user
    manages = may(user, "certification.manage")
    return render(
        request,
        "certification/index.html",
        {
            "nav": NAV,
            "sessions": selectors.session_list(user=user).prefetch_related(
                "epreuves", "candidates", "jurors", "mock"
            ),
            "manages": manages,
            "session_form": failed_form
            if failed == "session"
            else (SessionForm(**_session_form_kwargs(request, None)) if manages else None),
        },
        status=status,
    )


@step_required("certification.judge")
def index(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        if not may(request.user, "certification.manage"):
            raise Http404
        return run_action(
            request,
            None,
            "session",
            INDEX_ACTIONS,
            show_again=_index_page,
            done=lambda obj: reverse("certification:index"),
        )
    return _index_page(request)


# ---------------------------------------------------------------- one session


def _draw_rows(session, draws):
    """Per épreuve with a draw: each candidate with the draw in force and the earlier ones it replaced."""
    rows = []
    for epreuve in sorted((e for e in session.epreuves.all() if e.draw_families), key=lambda e: e.number):
        per_candidate = []
        for candidate in session.candidates.all():
            chain = [d for d in draws if d.epreuve_id == epreuve.pk and d.candidate_id == candidate.pk]
            per_candidate.append(
                {"candidate": candidate, "current": chain[-1] if chain else None, "chain": chain}
            )
        rows.append({"epreuve": epreuve, "candidates": per_candidate})
    return rows


SESSION_ACTIONS = {
    "candidate": Action(
        SessionCandidateForm,
        services.session_candidate_add,
        _("Candidat inscrit à la session."),
        target="session",
        form_kwargs=lambda request, session: {"session": session},
    ),
    "juror": Action(
        SessionJurorForm,
        services.session_juror_add,
        _("Membre du jury ajouté."),
        target="session",
        form_kwargs=lambda request, session: {"session": session},
    ),
    "draw": Action(
        DrawForm,
        services.draw_make,
        lambda draw: (
            _("Tirage enregistré : %(c)s tire « %(f)s ».")
            % {"c": draw.candidate, "f": draw.epreuve.family_label(draw.family)}
        ),
        target="session",
        form_kwargs=lambda request, session: {"session": session},
    ),
}
MANAGER_ACTIONS = {"candidate", "juror"}


def _session_page(request, session, *, failed=None, failed_form=None, status=200):
    user = request.user
    manages = selectors.session_manages(user, session)
    judges = session.jurors.filter(user=user).exists()
    draws = selectors.session_draws(session)
    for draw in draws:
        draw.replayed = family_for_seed(draw.seed, list(draw.families))
        draw.family_text = draw.epreuve.family_label(draw.family)

    def form(name, cls):
        if failed == name:
            return failed_form
        return cls(session=session, auto_id=f"id_{name}_%s")

    return render(
        request,
        "certification/session_detail.html",
        {
            "nav": NAV,
            "session": session,
            "epreuves": session.epreuves.order_by("number"),
            "candidates": session.candidates.select_related("organisation", "company"),
            "jurors": session.jurors.select_related("user", "employer"),
            "draw_rows": _draw_rows(session, draws),
            "draws": draws,
            "manages": manages,
            "may_draw": (manages or judges) and may(user, "certification.judge", session.site),
            "candidate_form": form("candidate", SessionCandidateForm) if manages else None,
            "juror_form": form("juror", SessionJurorForm) if manages else None,
            "draw_form": form("draw", DrawForm),
            "failed": failed,
        },
        status=status,
    )


@step_required("certification.judge")
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_get(user=request.user, pk=pk)
    if request.method == "POST":
        name = request.POST.get("action", "")
        if name in MANAGER_ACTIONS and not selectors.session_manages(request.user, session):
            raise Http404
        return run_action(
            request,
            session,
            name,
            SESSION_ACTIONS,
            show_again=_session_page,
            done=lambda s: reverse("certification:session", args=[s.pk]),
        )
    return _session_page(request, session)


# ---------------------------------------------------------------- candidates


CANDIDATES_ACTIONS = {
    "register": Action(
        CandidateForm,
        services.candidate_register,
        _("Candidat inscrit."),
        target=None,
        form_kwargs=_user_kwargs,
        next=lambda request, obj, candidate: reverse("certification:candidate", args=[candidate.pk]),
        plain_ids=True,
    ),
}


def _candidates_page(request, obj=None, *, failed=None, failed_form=None, status=200):
    return render(
        request,
        "certification/candidate_list.html",
        {
            "nav": NAV,
            "candidates": selectors.candidate_list(user=request.user),
            "form": failed_form if failed == "register" else CandidateForm(user=request.user),
        },
        status=status,
    )


@step_required("certification.manage")
def candidate_list(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return run_action(
            request,
            None,
            "register",
            CANDIDATES_ACTIONS,
            show_again=_candidates_page,
            done=lambda obj: reverse("certification:candidates"),
        )
    return _candidates_page(request)


CANDIDATE_ACTIONS = {
    "topic": Action(
        TopicForm, services.candidate_topic_set, _("Sujet de l'épreuve n°3 enregistré."), target="candidate"
    ),
    "derogation": Action(
        DerogationForm, services.candidate_derogation_grant, _("Dérogation enregistrée."), target="candidate"
    ),
}


def _candidate_page(request, candidate, *, failed=None, failed_form=None, status=200):
    user = request.user
    member = user.certification_organisations.filter(pk=candidate.organisation_id).exists()
    return render(
        request,
        "certification/candidate_detail.html",
        {
            "nav": NAV,
            "candidate": candidate,
            "personal": selectors.may_read_personal_data(user, candidate),
            "deadline": services.e3_topic_deadline(candidate),
            "member": member,
            "topic_form": failed_form if failed == "topic" else TopicForm(auto_id="id_topic_%s"),
            "derogation_form": failed_form
            if failed == "derogation"
            else DerogationForm(auto_id="id_derogation_%s"),
            "sessions": candidate.sessions.all(),
        },
        status=status,
    )


@step_required("certification.manage")
def candidate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = selectors.candidate_get(user=request.user, pk=pk)
    if request.method == "POST":
        return run_action(
            request,
            candidate,
            request.POST.get("action", ""),
            CANDIDATE_ACTIONS,
            show_again=_candidate_page,
            done=lambda c: reverse("certification:candidate", args=[c.pk]),
        )
    return _candidate_page(request, candidate)


# ---------------------------------------------------------------- organisations


ORGANISATION_ACTIONS = {
    "create": Action(
        OrganisationForm,
        services.organisation_create,
        _("Organisme enregistré."),
        target=None,
        form_kwargs=_user_kwargs,
        plain_ids=True,
    ),
}


def _organisations_page(request, obj=None, *, failed=None, failed_form=None, status=200):
    return render(
        request,
        "certification/organisation_list.html",
        {
            "nav": NAV,
            "organisations": selectors.organisation_list(user=request.user).prefetch_related("members"),
            "form": failed_form if failed == "create" else OrganisationForm(user=request.user),
        },
        status=status,
    )


@step_required("certification.manage")
def organisation_list(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return run_action(
            request,
            None,
            "create",
            ORGANISATION_ACTIONS,
            show_again=_organisations_page,
            done=lambda obj: reverse("certification:organisations"),
        )
    return _organisations_page(request)


# ---------------------------------------------------------------- référentiel


@step_required("certification.view")
@require_GET
def referentiel(request: HttpRequest) -> HttpResponse:
    version = request.GET.get("version", "")
    current = selectors.referentiel_get(version)
    if current is None:
        raise Http404
    return render(
        request,
        "certification/referentiel.html",
        {"nav": NAV, "versions": Referentiel.objects.all(), **selectors.referentiel_tree(current)},
    )


# ---------------------------------------------------------------- evaluation grids


def _grid_subject(request, session):
    """?epreuve=<number>&candidat=<id>, both of the session; None when absent (the overview)."""
    number, candidate_id = request.GET.get("epreuve"), request.GET.get("candidat")
    if not number and not candidate_id:
        return None
    try:
        epreuve = session.epreuves.get(number=int(number or ""))
        candidate = session.candidates.get(pk=int(candidate_id or ""))
    except (ValueError, ObjectDoesNotExist):
        raise Http404 from None
    return epreuve, candidate


def _grid_overview(request, session):
    from atelier.certification.models import Evaluation, JuryDecision

    counts: dict = {}
    for e_id, c_id in Evaluation.objects.filter(session=session).values_list("epreuve_id", "candidate_id"):
        counts[(e_id, c_id)] = counts.get((e_id, c_id), 0) + 1
    decided = set(JuryDecision.objects.filter(session=session).values_list("epreuve_id", "candidate_id"))
    epreuves = list(session.epreuves.order_by("number"))
    rows = [
        {
            "candidate": c,
            "cells": [
                {"epreuve": e, "count": counts.get((e.pk, c.pk), 0), "decided": (e.pk, c.pk) in decided}
                for e in epreuves
            ],
        }
        for c in session.candidates.all()
    ]
    return render(
        request,
        "certification/grid_overview.html",
        {"nav": NAV, "session": session, "epreuves": epreuves, "rows": rows},
    )


def _grid_page(
    request, session, epreuve, candidate, *, grid_form=None, decision_form=None, extra_forms=None, status=200
):
    from atelier.certification.services_grids import grid_criteria
    from atelier.certification.views_evidence import grid_extras

    data = selectors.grid(session, epreuve, candidate)
    user = request.user
    mine = next((e for e in data["evaluations"] if e.evaluator_id == user.pk), None)
    juror = session.jurors.filter(user=user).exists()
    criteria = grid_criteria(epreuve)
    competences: list = []
    for row in data["rows"]:
        if not competences or competences[-1]["competence"].pk != row["criterion"].competence_id:
            competences.append({"competence": row["criterion"].competence, "rows": []})
        competences[-1]["rows"].append(row)
    form = grid_form or GridForm(criteria=criteria, auto_id="id_grid_%s")
    fields = {c.pk: (m, n) for c, m, n in form.rows()}
    for block in competences:
        for row in block["rows"]:
            row["mark_field"], row["comment_field"] = fields[row["criterion"].pk]
    return render(
        request,
        "certification/grid.html",
        {
            "nav": NAV,
            "session": session,
            "epreuve": epreuve,
            "candidate": candidate,
            "grid": data,
            "competences": competences,
            "mine": mine,
            "may_mark": juror and mine is None and len(data["evaluations"]) < 2,
            "may_decide": juror or selectors.session_manages(user, session),
            "grid_form": form,
            "decision_form": decision_form,
            **grid_extras(request, session, epreuve, candidate, competences, forms=extra_forms),
        },
        status=status,
    )


@step_required("certification.judge")
def grid(request: HttpRequest, pk: int) -> HttpResponse:
    from atelier.certification import services_grids
    from atelier.core.forms import call_service

    session = selectors.session_get(user=request.user, pk=pk)
    subject = _grid_subject(request, session)
    if subject is None:
        return _grid_overview(request, session)
    epreuve, candidate = subject
    if request.method != "POST":
        return _grid_page(request, session, epreuve, candidate)
    criteria = services_grids.grid_criteria(epreuve)
    common = {"actor": request.user, "session": session, "epreuve": epreuve, "candidate": candidate}
    here = (
        f"{reverse('certification:grid', args=[session.pk])}?epreuve={epreuve.number}&candidat={candidate.pk}"
    )
    from atelier.certification import views_evidence

    if request.POST.get("action") in views_evidence.ACTIONS:  # timer, question, evidence dossier
        return views_evidence.handle_post(
            request,
            session,
            epreuve,
            candidate,
            here=here,
            show_again=lambda **kw: _grid_page(request, session, epreuve, candidate, **kw),
        )
    if request.POST.get("action") == "decide":
        form = DecisionForm(request.POST, criteria=criteria, auto_id="id_decision_%s")
        if form.is_valid() and call_service(
            form, services_grids.decision_record, **common, **form.service_kwargs()
        ):
            messages.success(request, _("Décision du jury enregistrée."))
            return redirect(here)
        return _grid_page(
            request,
            session,
            epreuve,
            candidate,
            decision_form=form,
            status=getattr(form, "refusal_status", 400),
        )
    form = GridForm(request.POST, criteria=criteria, auto_id="id_grid_%s")
    if form.is_valid() and call_service(
        form, services_grids.evaluation_submit, **common, **form.service_kwargs()
    ):
        messages.success(request, _("Grille remise."))
        return redirect(here)
    return _grid_page(
        request, session, epreuve, candidate, grid_form=form, status=getattr(form, "refusal_status", 400)
    )
