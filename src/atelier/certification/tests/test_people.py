"""Organisations, candidates, sessions and juries (issue 19, point 2): a juror never judges a candidate they
train or employ; the E3 topic is fixed at the latest 2 months after the course start (référentiel, épreuve n°3)
unless the training organisation records a derogation."""

import datetime

import pytest
import time_machine
from rest_framework.test import APIClient

from atelier.certification import selectors, services
from atelier.certification.models import Candidate, SessionJuror
from atelier.certification.rules import add_months
from atelier.core.errors import AtelierError, PermissionRefused

from .conftest import D

pytestmark = pytest.mark.django_db


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2026, 9, 7), 2, D(2026, 11, 7)),
        (D(2026, 12, 31), 2, D(2027, 2, 28)),
        (D(2027, 12, 31), 2, D(2028, 2, 29)),
    ],
)
def test_add_months_keeps_the_day_or_takes_the_months_last(start, months, expected):
    assert add_months(start, months) == expected


def test_candidate_keeps_the_version_of_the_referentiel_and_the_deadline_is_data(apprentice):
    assert apprentice.referentiel.version == "2022-04-22"
    assert services.e3_topic_deadline(apprentice) == D(2026, 11, 7)


def test_e3_topic_within_two_months_is_recorded(apprentice, formateur):
    services.candidate_topic_set(
        actor=formateur, candidate=apprentice, topic="Tri des lave-linge repris", on=D(2026, 11, 7)
    )
    apprentice.refresh_from_db()
    assert (apprentice.e3_topic, apprentice.e3_topic_on, apprentice.e3_topic_by) == (
        "Tri des lave-linge repris",
        D(2026, 11, 7),
        formateur,
    )


def test_late_e3_topic_is_refused_then_allowed_by_a_derogation_of_the_organisation(apprentice, formateur):
    with pytest.raises(AtelierError) as refused:
        services.candidate_topic_set(
            actor=formateur, candidate=apprentice, topic="Reconditionnement", on=D(2026, 11, 8)
        )
    assert refused.value.message == (
        "Trop tard : le sujet de l'épreuve n°3 devait être fixé au plus tard le 07/11/2026 (début du parcours le "
        "07/09/2026). L'organisme de formation doit d'abord enregistrer une dérogation."
    )
    apprentice.refresh_from_db()
    assert apprentice.e3_topic == ""  # nothing written
    services.candidate_derogation_grant(
        actor=formateur, candidate=apprentice, reason="Arrêt maladie de 6 semaines", on=D(2026, 11, 9)
    )
    services.candidate_topic_set(
        actor=formateur, candidate=apprentice, topic="Reconditionnement", on=D(2026, 11, 10)
    )
    apprentice.refresh_from_db()
    assert (apprentice.e3_topic, apprentice.e3_derogation, apprentice.e3_derogation_by) == (
        "Reconditionnement",
        "Arrêt maladie de 6 semaines",
        formateur,
    )


def test_only_a_member_of_the_training_organisation_grants_a_derogation(apprentice, site):
    from atelier.core.choices import Role
    from atelier.core.tests.factories import UserFactory

    outsider = UserFactory(username="autre-formateur", roles=[Role.FORMATEUR], sites=[site])
    with pytest.raises(PermissionRefused) as refused:
        services.candidate_derogation_grant(actor=outsider, candidate=apprentice, reason="Motif")
    assert refused.value.message == (
        "Seul un membre de Campus des métiers de la réparation, l'organisme de formation du candidat, peut le faire."
    )


def test_a_juror_cannot_judge_their_own_apprentice(session, apprentice, tutor, formateur):
    services.session_candidate_add(actor=formateur, session=session, candidate=apprentice)
    with pytest.raises(AtelierError) as refused:
        services.session_juror_add(actor=formateur, session=session, user=tutor)
    assert refused.value.message == (
        "Marc Durand ne peut pas juger Léa Martin : il ou elle est son tuteur en entreprise."
    )
    assert not SessionJuror.objects.filter(session=session).exists()


def test_a_juror_cannot_judge_a_candidate_their_employer_employs_in_either_order(
    session, apprentice, juror, company, formateur
):
    services.session_juror_add(actor=formateur, session=session, user=juror, employer=company)
    with pytest.raises(AtelierError) as refused:
        services.session_candidate_add(actor=formateur, session=session, candidate=apprentice)
    assert refused.value.message == (
        "Sophie Renaud ne peut pas juger Léa Martin : son employeur, Électro Bastille, emploie le candidat."
    )
    assert list(session.candidates.all()) == []


def test_a_trainer_cannot_judge_their_trainee(session, of, formateur):
    trainee = services.candidate_register(
        actor=formateur, organisation=of, status="salarie", first_name="Inès", last_name="Morel",
        course_start=D(2026, 9, 7), trainer=formateur,
    )  # fmt: skip
    services.session_candidate_add(actor=formateur, session=session, candidate=trainee)
    with pytest.raises(AtelierError, match="est son formateur"):
        services.session_juror_add(actor=formateur, session=session, user=formateur)


def test_an_independent_professional_sits_in_the_jury(session, apprentice, juror, formateur):
    services.session_candidate_add(actor=formateur, session=session, candidate=apprentice)
    seat = services.session_juror_add(actor=formateur, session=session, user=juror)
    assert [(j.user, j.employer) for j in session.jurors.all()] == [(seat.user, None)]


def test_a_juror_sees_only_the_sessions_they_judge(session, site, juror, formateur):
    other = services.session_create(
        actor=formateur, site=site, title="Session de septembre", place="Campus",
        starts_on=D(2027, 9, 1), ends_on=D(2027, 9, 1), epreuves=session.epreuves.all(),
    )  # fmt: skip
    services.session_juror_add(actor=formateur, session=session, user=juror)
    assert list(selectors.session_list(user=juror)) == [session]
    assert set(selectors.session_list(user=formateur)) == {session, other}
    assert _api(juror).get(f"/api/certification/sessions/{other.pk}/").status_code == 404
    assert [s["id"] for s in _api(juror).get("/api/certification/sessions/").json()["results"]] == [
        session.pk
    ]


def test_personal_data_is_read_by_the_candidate_s_organisation_only(apprentice, site, formateur):
    from atelier.core.choices import Role
    from atelier.core.tests.factories import UserFactory

    outsider = UserFactory(username="formateur-2", roles=[Role.FORMATEUR], sites=[site])
    mine = _api(formateur).get(f"/api/certification/candidates/{apprentice.pk}/").json()
    theirs = _api(outsider).get(f"/api/certification/candidates/{apprentice.pk}/").json()
    assert (mine["email"], mine["phone"], mine["birth_date"]) == (
        "lea.martin@example.fr",
        "0611223344",
        "2004-05-12",
    )
    assert (theirs["email"], theirs["phone"], theirs["birth_date"]) == (None, None, None)
    assert theirs["last_name"] == "Martin"


def test_another_site_sees_nothing(apprentice, session, other_site):
    from atelier.core.choices import Role
    from atelier.core.tests.factories import UserFactory

    lyon = UserFactory(username="formateur-lyon", roles=[Role.FORMATEUR], sites=[other_site])
    client = _api(lyon)
    assert client.get(f"/api/certification/candidates/{apprentice.pk}/").status_code == 404
    assert client.get(f"/api/certification/sessions/{session.pk}/").status_code == 404
    assert client.get("/api/certification/candidates/").json()["results"] == []
    assert client.get("/api/certification/organisations/").json()["results"] == []


def test_api_registers_a_candidate_and_refuses_a_late_topic_in_french(of, company, tutor, formateur):
    client = _api(formateur)
    response = client.post(
        "/api/certification/candidates/",
        {
            "organisation": of.pk, "company": company.pk, "status": "apprenti", "first_name": "Tom",
            "last_name": "Petit", "course_start": "2026-01-05", "tutor": tutor.pk,
        },
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["referentiel"], body["e3_topic_deadline"]) == ("2022-04-22", "2026-03-05")
    with time_machine.travel(datetime.datetime(2026, 3, 6, 10, 0, tzinfo=datetime.UTC), tick=False):
        late = client.post(
            f"/api/certification/candidates/{body['id']}/e3-topic/", {"topic": "Tri"}, format="json"
        )
    assert late.status_code == 400
    assert "devait être fixé au plus tard le 05/03/2026" in str(late.json())
    assert Candidate.objects.get(pk=body["id"]).e3_topic == ""


def test_api_bad_input_is_a_french_400(formateur, of):
    client = _api(formateur)
    response = client.post(
        "/api/certification/candidates/",
        {
            "organisation": 999999,
            "status": "apprenti",
            "first_name": "A",
            "last_name": "B",
            "course_start": "2026-01-05",
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"organisation": ["Aucun objet n° 999999 parmi ceux de vos sites."]}
    assert Candidate.objects.count() == 0
