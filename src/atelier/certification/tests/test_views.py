"""Certification screens: each page opens for its step, refuses the others, shows the French refusal on the same
page with nothing written, and keeps a juror to the sessions they judge."""

import pytest
from django.test import Client

from atelier.certification import services
from atelier.certification.models import CertificationSession, Draw

from .conftest import D, epreuves

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_pages_open_for_the_formateur(formateur, apprentice, session):
    client = _client(formateur)
    for url in (
        "/certification/",
        f"/certification/sessions/{session.pk}/",
        "/certification/candidats/",
        f"/certification/candidats/{apprentice.pk}/",
        "/certification/organismes/",
        "/certification/referentiel/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get("/certification/referentiel/").content.decode()
    assert "Les missions sont ordonnancées et planifiées selon les critères définis" in page
    assert "produits cuisson" in page


def test_a_role_without_the_steps_is_refused(accueil):
    client = _client(accueil)
    assert client.get("/certification/").status_code == 403
    assert client.get("/certification/referentiel/").status_code == 403


def test_create_a_session_from_the_index(formateur, site):
    response = _client(formateur).post(
        "/certification/",
        {
            "site": site.pk, "title": "Session de juin", "place": "Campus", "starts_on": "2027-06-14",
            "ends_on": "2027-06-16", "epreuves": [e.pk for e in epreuves(1, 2)],
        },
    )  # fmt: skip
    session = CertificationSession.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/certification/sessions/{session.pk}/"
    assert sorted(e.number for e in session.epreuves.all()) == [1, 2]


def test_late_topic_is_refused_on_the_page_with_nothing_written(formateur, of):
    candidate = services.candidate_register(
        actor=formateur, organisation=of, status="apprenti", first_name="Tom", last_name="Petit",
        course_start=D(2020, 1, 6),
    )  # fmt: skip
    response = _client(formateur).post(
        f"/certification/candidats/{candidate.pk}/", {"action": "topic", "topic": "Tri des appareils"}
    )
    assert response.status_code == 400
    assert "devait être fixé au plus tard le 06/03/2020" in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.e3_topic == ""


def test_juror_on_their_apprentice_is_refused_on_the_page(formateur, session, apprentice, tutor):
    services.session_candidate_add(actor=formateur, session=session, candidate=apprentice)
    response = _client(formateur).post(
        f"/certification/sessions/{session.pk}/", {"action": "juror", "user": tutor.pk}
    )
    assert response.status_code == 400
    assert (
        "Marc Durand ne peut pas juger Léa Martin : il ou elle est son tuteur en entreprise."
        in response.content.decode()
    )
    assert session.jurors.count() == 0


def test_a_juror_draws_on_the_session_page_and_sees_only_their_sessions(
    formateur, session, site, apprentice, juror
):
    other = services.session_create(
        actor=formateur, site=site, title="Autre", place="Campus", starts_on=D(2027, 9, 1), ends_on=D(2027, 9, 1),
        epreuves=epreuves(4),
    )  # fmt: skip
    services.session_candidate_add(actor=formateur, session=session, candidate=apprentice)
    services.session_juror_add(actor=formateur, session=session, user=juror)
    client = _client(juror)
    index = client.get("/certification/").content.decode()
    assert "Session de juin 2027" in index and "Autre" not in index
    assert client.get(f"/certification/sessions/{other.pk}/").status_code == 404
    assert client.post(f"/certification/sessions/{session.pk}/", {"action": "candidate"}).status_code == 404
    [e1] = epreuves(1)
    response = client.post(
        f"/certification/sessions/{session.pk}/",
        {"action": "draw", "epreuve": e1.pk, "candidate": apprentice.pk, "present": [apprentice.pk]},
    )
    assert response.status_code == 302
    draw = Draw.objects.get()
    page = client.get(f"/certification/sessions/{session.pk}/").content.decode()
    assert draw.seed in page and "rejoué : identique" in page
    again = client.post(
        f"/certification/sessions/{session.pk}/",
        {"action": "draw", "epreuve": e1.pk, "candidate": apprentice.pk},
    )
    assert again.status_code == 400
    assert "Un nouveau tirage n&#x27;est possible qu&#x27;avec son motif" in again.content.decode()
    assert Draw.objects.count() == 1
