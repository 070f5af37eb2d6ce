"""Evaluation grids (issue 19, point 4, first part): two evaluators mark every criterion of the competences an
épreuve covers; an incomplete grid is refused with nothing written; where they differ the jury decides and both
marks stay."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from atelier.certification import selectors, services
from atelier.certification.models import Evaluation, JuryDecision, Mark
from atelier.certification.services_grids import GivenMark, decision_record, evaluation_submit, grid_criteria
from atelier.core.choices import Role
from atelier.core.errors import AtelierError, PermissionRefused
from atelier.core.tests.factories import UserFactory

from .conftest import epreuves

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_juror(site):
    return UserFactory(
        username="jure2", first_name="Paul", last_name="Weber", roles=[Role.TECHNICIEN], sites=[site]
    )


@pytest.fixture
def jury(session, job_seeker, juror, second_juror, formateur):
    services.session_candidate_add(actor=formateur, session=session, candidate=job_seeker)
    services.session_juror_add(actor=formateur, session=session, user=juror)
    services.session_juror_add(actor=formateur, session=session, user=second_juror)
    return session


def _all(criteria, acquired=True, overrides=None):
    overrides = overrides or {}
    return [GivenMark(c.pk, overrides.get(c.pk, acquired), f"note {c.pk}") for c in criteria]


def test_the_grid_of_n5_has_the_criteria_of_c2_16_to_c2_18():
    [e5] = epreuves(5)
    criteria = grid_criteria(e5)
    assert [(c.competence.code, c.position) for c in criteria] == [
        ("C2.16", 1), ("C2.16", 2), ("C2.16", 3), ("C2.16", 4), ("C2.16", 5),
        ("C2.17", 1), ("C2.17", 2), ("C2.17", 3), ("C2.18", 1), ("C2.18", 2),
    ]  # fmt: skip
    assert len(grid_criteria(epreuves(1)[0])) == 42  # C1.1…C1.12 (46) without C1.8 (4)


def test_an_incomplete_grid_is_refused_and_nothing_is_written(jury, job_seeker, juror):
    [e5] = epreuves(5)
    criteria = grid_criteria(e5)
    marks = _all(criteria)
    marks[0] = GivenMark(criteria[0].pk, None)
    marks[9] = GivenMark(criteria[9].pk, None)
    with pytest.raises(AtelierError) as refused:
        evaluation_submit(actor=juror, session=jury, epreuve=e5, candidate=job_seeker, marks=marks)
    assert refused.value.message == (
        "Grille incomplète : 2 critère(s) sans note (C2.16 n°1, C2.18 n°2). Rien n'est enregistré."
    )
    assert Evaluation.objects.count() == Mark.objects.count() == 0


def test_two_grids_then_the_jury_decides_where_they_differ_and_both_marks_stay(
    jury, job_seeker, juror, second_juror
):
    [e5] = epreuves(5)
    criteria = grid_criteria(e5)
    disputed = criteria[6]  # C2.17 n°2
    evaluation_submit(actor=juror, session=jury, epreuve=e5, candidate=job_seeker, marks=_all(criteria))
    evaluation_submit(
        actor=second_juror, session=jury, epreuve=e5, candidate=job_seeker,
        marks=_all(criteria, overrides={disputed.pk: False}),
    )  # fmt: skip
    grid = selectors.grid(jury, e5, job_seeker)
    assert [r["result"] for r in grid["rows"]] == ["acquis"] * 6 + ["a_decider"] + ["acquis"] * 3
    with pytest.raises(AtelierError, match="rien à décider"):
        decision_record(
            actor=juror, session=jury, epreuve=e5, candidate=job_seeker, criterion=criteria[0], acquired=True,
            reason="x",
        )  # fmt: skip
    decision_record(
        actor=juror, session=jury, epreuve=e5, candidate=job_seeker, criterion=disputed, acquired=False,
        reason="Le client n'a pas été redirigé vers le responsable des litiges.",
    )  # fmt: skip
    grid = selectors.grid(jury, e5, job_seeker)
    row = grid["rows"][6]
    assert row["result"] == "non_acquis"
    assert sorted(m.acquired for m in row["marks"]) == [False, True]  # both marks kept
    assert JuryDecision.objects.get().decided_by == juror
    with pytest.raises(AtelierError, match="a déjà décidé"):
        decision_record(
            actor=juror, session=jury, epreuve=e5, candidate=job_seeker, criterion=disputed, acquired=True,
            reason="y",
        )  # fmt: skip


def test_a_grid_is_handed_in_once_by_a_juror_and_by_two_at_most(
    jury, job_seeker, juror, second_juror, formateur
):
    [e5] = epreuves(5)
    criteria = grid_criteria(e5)
    with pytest.raises(PermissionRefused, match="Seul un membre du jury"):
        evaluation_submit(
            actor=formateur, session=jury, epreuve=e5, candidate=job_seeker, marks=_all(criteria)
        )
    evaluation_submit(actor=juror, session=jury, epreuve=e5, candidate=job_seeker, marks=_all(criteria))
    with pytest.raises(AtelierError, match="elle ne change plus"):
        evaluation_submit(
            actor=juror, session=jury, epreuve=e5, candidate=job_seeker, marks=_all(criteria, False)
        )
    evaluation_submit(
        actor=second_juror, session=jury, epreuve=e5, candidate=job_seeker, marks=_all(criteria)
    )
    third = UserFactory(username="jure3", roles=[Role.TECHNICIEN], sites=[jury.site])
    services.session_juror_add(actor=formateur, session=jury, user=third)
    with pytest.raises(AtelierError) as refused:
        evaluation_submit(actor=third, session=jury, epreuve=e5, candidate=job_seeker, marks=_all(criteria))
    assert refused.value.message == "Les deux évaluateurs ont déjà remis leur grille pour ce candidat."


def test_grid_on_the_tablet_page_keeps_what_was_typed_when_incomplete(jury, job_seeker, juror):
    [e5] = epreuves(5)
    criteria = grid_criteria(e5)
    client = Client()
    client.force_login(juror)
    url = f"/certification/sessions/{jury.pk}/grilles/?epreuve=5&candidat={job_seeker.pk}"
    assert client.get(url).status_code == 200
    data = {
        "action": "mark",
        f"m_{criteria[0].pk}": "acquis",
        f"c_{criteria[0].pk}": "Voix posée, rassurante",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Grille incomplète : 9 critère(s) sans note" in page
    assert 'value="Voix posée, rassurante"' in page
    data = {"action": "mark"} | {f"m_{c.pk}": "acquis" for c in criteria}
    response = client.post(url, data)
    assert response.status_code == 302
    assert Mark.objects.filter(evaluation__evaluator=juror).count() == 10
    assert client.get(f"/certification/sessions/{jury.pk}/grilles/").status_code == 200


def test_api_grid_submit_and_decide(jury, job_seeker, juror, second_juror):
    [e5] = epreuves(5)
    criteria = grid_criteria(e5)
    first, second = APIClient(), APIClient()
    first.force_authenticate(juror)
    second.force_authenticate(second_juror)
    url = f"/api/certification/sessions/{jury.pk}/grid/"

    def marks(disputed_value):
        return [
            {"criterion": c.pk, "acquired": disputed_value if i == 0 else True, "comment": ""}
            for i, c in enumerate(criteria)
        ]

    incomplete = first.post(
        url, {"epreuve": 5, "candidate": job_seeker.pk, "marks": marks(True)[:3]}, format="json"
    )
    assert incomplete.status_code == 400
    assert "Grille incomplète : 7 critère(s) sans note" in str(incomplete.json())
    assert (
        first.post(
            url, {"epreuve": 5, "candidate": job_seeker.pk, "marks": marks(True)}, format="json"
        ).status_code
        == 201
    )
    body = second.post(
        url, {"epreuve": 5, "candidate": job_seeker.pk, "marks": marks(False)}, format="json"
    ).json()
    assert body["complete"] is True
    assert body["rows"][0]["result"] == "a_decider"
    decided = first.post(
        f"{url}decisions/",
        {
            "epreuve": 5,
            "candidate": job_seeker.pk,
            "criterion": criteria[0].pk,
            "acquired": True,
            "reason": "Vu en Q/R",
        },
        format="json",
    )
    assert decided.status_code == 201
    row = decided.json()["rows"][0]
    assert row["result"] == "acquis"
    assert row["decision"] == {"acquired": True, "reason": "Vu en Q/R", "decided_by": "Sophie Renaud"}
    assert sorted(m["acquired"] for m in row["marks"]) == [False, True]
    got = first.get(f"{url}?epreuve=5&candidate={job_seeker.pk}").json()
    assert [(g["epreuve"], g["evaluators"]) for g in got] == [(5, ["Sophie Renaud", "Paul Weber"])]
    every = first.get(f"{url}?candidate={job_seeker.pk}").json()
    assert [(g["epreuve"], g["complete"]) for g in every] == [
        (1, False),
        (2, False),
        (3, False),
        (4, False),
        (5, True),
    ]
    assert first.get(f"{url}?candidate=abc").status_code == 400
    assert [(g["epreuve"], g["candidate"]) for g in first.get(url).json()] == [
        (n, job_seeker.pk) for n in range(1, 6)
    ]
