"""The API: survey answers read (manager), actions proposed, moved and measured; another site's is 404."""

import pytest
from rest_framework.test import APIClient

from atelier.improvement.surveys import survey_answer
from atelier.improvement.tests.conftest import at, closed_case

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_actions_through_the_api(site, technicien, responsable, other_accueil):
    created = api(technicien).post(
        "/api/improvement-actions/",
        {"site": site.pk, "title": "Trop de retours", "effect_indicator": "taux_retour"},
        format="json",
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    assert (created.json()["status"], created.json()["phase"]) == ("proposee", "Planifier")
    refused = api(technicien).post(f"/api/improvement-actions/{pk}/move/", {"move": "decide"}, format="json")
    assert refused.status_code == 403
    no_owner = api(responsable).post(
        f"/api/improvement-actions/{pk}/move/", {"move": "decide", "plan": "Former"}, format="json"
    )
    assert (no_owner.status_code, no_owner.json()) == (400, {"detail": "Choisissez qui mène l'action."})
    decided = api(responsable).post(
        f"/api/improvement-actions/{pk}/move/",
        {"move": "decide", "plan": "Former", "owner": technicien.pk, "due_on": "2099-01-01"},
        format="json",
    )
    assert decided.status_code == 200 and decided.json()["status"] == "decidee"
    reversed_period = api(technicien).post(
        f"/api/improvement-actions/{pk}/measure/",
        {"which": "before", "start": "2026-02-01", "end": "2026-01-01"},
        format="json",
    )
    assert reversed_period.json() == {
        "detail": "La période est inversée : la date de début est après la date de fin."
    }
    assert api(other_accueil).get(f"/api/improvement-actions/{pk}/").status_code == 404
    assert [a["id"] for a in api(technicien).get("/api/improvement-actions/").json()["results"]] == [pk]


def test_survey_answers_are_the_managers(site, responsable, technicien):
    case = closed_case(site, responsable, closed_on="2026-03-10")
    answer = survey_answer(case=case, recommendation=5, satisfaction=3, at=at("2026-03-11"))
    listed = api(responsable).get("/api/survey-answers/", {"low": "1"}).json()["results"]
    assert [
        (a["id"], a["recommendation"], a["satisfaction"], a["is_low"], a["follow_up"]) for a in listed
    ] == [(answer.pk, 5, 3, True, "a_traiter")]
    assert api(technicien).get("/api/survey-answers/").status_code == 403
    done = api(responsable).post(
        f"/api/survey-answers/{answer.pk}/follow-up/", {"status": "en_cours"}, format="json"
    )
    assert done.json()["follow_up"] == "en_cours"
