"""Demo preparation of candidates (issue 19, point 6): a session « blanche » a month ago where both evaluators
marked épreuve n°5 for two candidates (their progress page then shows acquired, in progress and to work on), and
three role-plays for épreuves n°4 and n°5 (reception and pre-diagnosis, a return under warranty, a dispute)
written from closed dossiers of Paris, anonymised as they are written. Through the product's services;
idempotent."""

import datetime

from django.utils import timezone

from atelier.certification import services
from atelier.certification.models import Candidate, CertificationSession, Epreuve, RolePlayScenario
from atelier.certification.models.preparation import ScenarioKind
from atelier.certification.services_grids import GivenMark, evaluation_submit, grid_criteria
from atelier.certification.services_preparation import scenario_generate, session_mark_mock
from atelier.repairs.choices import CaseStatus
from atelier.repairs.models import RepairCase

MOCK_TITLE = "Épreuves blanches (démo)"


def load(*, sites, users, rng) -> dict[str, int]:
    site = sites["PAR1"]
    report = {}
    if not RolePlayScenario.objects.filter(site=site).exists():
        closed = list(RepairCase.objects.filter(site=site, status=CaseStatus.CLOTURE).order_by("pk")[:3])
        for kind, case in zip(ScenarioKind.values, closed, strict=False):
            scenario_generate(actor=users["formateur"], site=site, kind=kind, case=case)
        report["jeux de rôle de certification"] = len(closed)
    candidates = list(Candidate.objects.filter(organisation__site=site).order_by("pk")[:2])
    if candidates and not CertificationSession.objects.filter(site=site, title=MOCK_TITLE).exists():
        report["grilles d'épreuves blanches"] = _mock_session(site, users, candidates)
    return {label: n for label, n in report.items() if n}


def _mock_session(site, users, candidates) -> int:
    """n°5 rehearsed a month ago: the first candidate acquires everything but C2.18, the second only C2.16."""
    formateur, first, second = users["formateur"], users["responsable"], users["technicien"]
    on = timezone.localdate() - datetime.timedelta(days=30)
    session = services.session_create(
        actor=formateur,
        site=site,
        title=MOCK_TITLE,
        place="Campus, salle de mise en situation",
        starts_on=on,
        ends_on=on,
        epreuves=Epreuve.objects.filter(referentiel=candidates[0].referentiel, number=5),
    )
    session_mark_mock(actor=formateur, session=session)
    for candidate in candidates:
        services.session_candidate_add(actor=formateur, session=session, candidate=candidate)
    services.session_juror_add(actor=formateur, session=session, user=first)
    services.session_juror_add(actor=formateur, session=session, user=second)
    epreuve = session.epreuves.get()
    criteria = grid_criteria(epreuve)
    acquired = [{"C2.16", "C2.17"}, {"C2.16"}]
    grids = 0
    for rank, candidate in enumerate(candidates):
        marks = [GivenMark(c.pk, c.competence.code in acquired[rank], "") for c in criteria]
        for evaluator in (first, second):
            evaluation_submit(
                actor=evaluator, session=session, epreuve=epreuve, candidate=candidate, marks=marks
            )
            grids += 1
    return grids
