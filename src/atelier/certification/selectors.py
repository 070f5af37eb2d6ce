"""Reads of certification: the référentiel (current version and its API shape), organisations, candidates and
sessions as each user may see them."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from atelier.certification.models import (
    Activity,
    Candidate,
    CertificationSession,
    Competence,
    Draw,
    Epreuve,
    Organisation,
    Referentiel,
)
from atelier.core.access import sites_allowing
from atelier.core.scoping import visible_or_404


def referentiel_current() -> Referentiel | None:
    """The version in force: the latest date of effect."""
    return Referentiel.objects.order_by("-effective_from").first()


def referentiel_get(version: str | None) -> Referentiel | None:
    if not version:
        return referentiel_current()
    return Referentiel.objects.filter(version=version).first()


def referentiel_tree(referentiel: Referentiel) -> dict:
    """The référentiel as the screens and the API read it: blocs → activities → competences → criteria, and
    the épreuves with their competences' codes. Five queries whatever its size."""
    competences = Competence.objects.order_by("position").prefetch_related("criteria")
    activities = Activity.objects.order_by("position").prefetch_related(
        Prefetch("competences", queryset=competences)
    )
    blocs = list(referentiel.blocs.prefetch_related(Prefetch("activities", queryset=activities)))
    for bloc in blocs:
        bloc.competence_list = [  # type: ignore[attr-defined]  # read by the API shape below
            c for a in bloc.activities.all() for c in a.competences.all()
        ]
    epreuves = list(
        Epreuve.objects.filter(referentiel=referentiel)
        .select_related("bloc")
        .prefetch_related(Prefetch("competences", queryset=Competence.objects.order_by("position")))
    )
    return {"referentiel": referentiel, "blocs": blocs, "epreuves": epreuves}


def referentiel_as_api(referentiel: Referentiel) -> dict:
    """GET /api/certification/referentiel/: the shape issue 19 states, nothing more."""
    tree = referentiel_tree(referentiel)
    return {
        "version": referentiel.version,
        "blocs": [
            {
                "code": bloc.code,
                "title": bloc.title,
                "competences": [
                    {"code": c.code, "title": c.title, "criteria": [k.text for k in c.criteria.all()]}
                    for c in bloc.competence_list
                ],
            }
            for bloc in tree["blocs"]
        ],
        "epreuves": [
            {
                "number": e.number,
                "bloc": e.bloc.code,
                "title": e.title,
                "duration_minutes": e.duration_minutes,
                "parts": [{"label": p["label"], "minutes": p["minutes"]} for p in e.parts],
                "draw_families": list(e.draw_families),
                "competences": [c.code for c in e.competences.all()],
            }
            for e in tree["epreuves"]
        ],
    }


def organisation_list(*, user) -> QuerySet[Organisation]:
    return Organisation.objects.visible_to(user).select_related("site")


def candidate_list(*, user) -> QuerySet[Candidate]:
    return Candidate.objects.visible_to(user).select_related("organisation", "company", "referentiel")


def candidate_get(*, user, pk) -> Candidate:
    return visible_or_404(
        Candidate.objects.select_related("organisation", "company", "tutor", "trainer", "referentiel"),
        user,
        pk=pk,
    )


def may_read_personal_data(user, candidate: Candidate) -> bool:
    """A candidate's personal data (e-mail, phone, birth date) is read by their organisation only: the members of
    their training organisation or of their company."""
    org_ids = {candidate.organisation_id, candidate.company_id} - {None}
    return user.certification_organisations.filter(pk__in=org_ids).exists()


def session_list(*, user) -> QuerySet[CertificationSession]:
    """Sessions of the user's sites where they manage, plus the sessions they judge (a juror who does not
    manage sees only those)."""
    managed = sites_allowing(user, "certification.manage")
    return (
        CertificationSession.objects.visible_to(user)
        .filter(Q(site__in=managed) | Q(jurors__user=user))
        .distinct()
        .select_related("site", "referentiel")
    )


def session_get(*, user, pk) -> CertificationSession:
    return visible_or_404(session_list(user=user), user, pk=pk)


def session_manages(user, session: CertificationSession) -> bool:
    from atelier.core.access import may

    return may(user, "certification.manage", session.site)


def session_draws(session: CertificationSession) -> list[Draw]:
    return list(
        session.draws.select_related("epreuve", "candidate", "drawn_by", "replaces").prefetch_related(
            "present"
        )
    )


def grid(session: CertificationSession, epreuve: Epreuve, candidate: Candidate) -> dict:
    """The grid of a candidate at an épreuve: each criterion with the evaluators' marks, the jury's decision and
    the result (« acquis », « non_acquis », « a_decider » where the marks differ and the jury has not decided,
    None until both grids are in)."""
    return grids(session, [epreuve], [candidate])[(epreuve.pk, candidate.pk)]


def grids(session: CertificationSession, epreuves, candidates) -> dict[tuple[int, int], dict]:
    """The grids of several candidates at several épreuves of a session, keyed (epreuve id, candidate id), read in
    a fixed number of queries (one per épreuve for its criteria, three for the marks and decisions)."""
    from atelier.certification.models import Evaluation, JuryDecision
    from atelier.certification.services_grids import EVALUATORS, grid_criteria

    epreuves, candidates = list(epreuves), list(candidates)
    evaluations: dict[tuple[int, int], list] = {}
    for evaluation in (
        Evaluation.objects.filter(session=session, epreuve__in=epreuves, candidate__in=candidates)
        .select_related("evaluator")
        .prefetch_related("marks")
        .order_by("submitted_at", "pk")
    ):
        evaluations.setdefault((evaluation.epreuve_id, evaluation.candidate_id), []).append(evaluation)
    decisions = {
        (d.epreuve_id, d.candidate_id, d.criterion_id): d
        for d in JuryDecision.objects.filter(
            session=session, epreuve__in=epreuves, candidate__in=candidates
        ).select_related("decided_by")
    }
    out = {}
    for epreuve in epreuves:
        criteria = grid_criteria(epreuve)
        for candidate in candidates:
            done = evaluations.get((epreuve.pk, candidate.pk), [])
            marks = {(e.pk, m.criterion_id): m for e in done for m in e.marks.all()}
            rows = []
            for criterion in criteria:
                given = [marks.get((e.pk, criterion.pk)) for e in done]
                decision = decisions.get((epreuve.pk, candidate.pk, criterion.pk))
                result = None
                if len(done) == EVALUATORS:
                    values = {m.acquired for m in given if m is not None}
                    if len(values) == 1:
                        result = "acquis" if values.pop() else "non_acquis"
                    elif decision is not None:
                        result = "acquis" if decision.acquired else "non_acquis"
                    else:
                        result = "a_decider"
                rows.append({"criterion": criterion, "marks": given, "decision": decision, "result": result})
            out[(epreuve.pk, candidate.pk)] = {
                "evaluations": done,
                "rows": rows,
                "complete": len(done) == EVALUATORS,
            }
    return out
