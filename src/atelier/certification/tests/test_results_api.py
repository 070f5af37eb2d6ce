"""API of deliberation and results: the board, the jury's writes, refusals in French (4xx, nothing written), the
certificates, their Open Badges credential and the verification."""

import pytest
import time_machine
from rest_framework.test import APIClient

from atelier.certification import services
from atelier.certification.models import BlocDeliberation, Certificate
from atelier.core.choices import Role
from atelier.core.tests.factories import UserFactory

from .test_results import BLOC1, NOW, SIGNATURE, mark

pytestmark = pytest.mark.django_db


@pytest.fixture
def jury(session, third, juror, second_juror, formateur):
    services.session_candidate_add(actor=formateur, session=session, candidate=third)
    services.session_juror_add(actor=formateur, session=session, user=juror)
    services.session_juror_add(actor=formateur, session=session, user=second_juror)
    return session


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@time_machine.travel(NOW, tick=False)
def test_api_board_deliberation_signatures_and_certificates(
    jury, third, juror, second_juror, formateur, site
):
    url = f"/api/certification/sessions/{jury.pk}/results/"
    board = api(juror).get(url).json()
    assert board["pv"] == {"signed_by": [], "waiting": ["Sophie Renaud", "Paul Weber"], "locked_at": None}
    [row] = board["candidates"]
    assert (row["name"], row["result"]) == ("Chloé Garnier", None)
    assert [(b["bloc"], b["epreuves"], b["incomplete"]) for b in row["blocs"]] == [
        ("1", [1, 2, 3], ["n°1 : 0 grille(s) remise(s) sur 2", "n°2 : 0 grille(s) remise(s) sur 2",
                          "n°3 : 0 grille(s) remise(s) sur 2"]),
        ("2", [4, 5], ["n°4 : 0 grille(s) remise(s) sur 2", "n°5 : 0 grille(s) remise(s) sur 2"]),
    ]  # fmt: skip
    refused = api(juror).post(f"{url}deliberations/", {"candidate": third.pk, "bloc": "1"}, format="json")
    assert refused.status_code == 400
    assert "Délibération impossible sur le bloc 1 pour Chloé Garnier" in str(refused.json())
    assert api(juror).post(
        f"{url}deliberations/", {"candidate": third.pk, "bloc": "9"}, format="json"
    ).json() == {"bloc": ["Aucun bloc « 9 » dans ce référentiel."]}
    assert BlocDeliberation.objects.count() == 0
    mark(jury, third, [juror, second_juror], failing={"C2.3", "C2.17"})
    done = api(juror).post(
        f"{url}deliberations/",
        {"candidate": third.pk, "bloc": "1", "comment": "Très bon diagnostic"},
        format="json",
    )
    assert done.status_code == 201
    cell = done.json()["candidates"][0]["blocs"][0]
    assert cell["deliberation"]["validated"] is True
    assert cell["deliberation"]["acquired"] == BLOC1
    assert cell["deliberation"]["comment"] == "Très bon diagnostic"
    body = api(juror).post(f"{url}deliberations/", {"candidate": third.pk, "bloc": "2"}, format="json").json()
    assert body["candidates"][0]["result"] == {
        "kind": "validation_partielle", "label": "Validation partielle", "blocs": ["1"], "reason": "",
    }  # fmt: skip
    assert body["candidates"][0]["blocs"][1]["deliberation"]["missing"] == ["C2.3", "C2.17"]
    bad = api(juror).post(f"{url}signatures/", {"signature": "pas une image"}, format="json")
    assert bad.status_code == 400
    assert api(juror).post(f"{url}signatures/", {"signature": SIGNATURE}, format="json").status_code == 201
    frozen = api(second_juror).post(
        f"{url}absences/", {"candidate": third.pk, "kind": "absent", "reason": "x"}
    )
    assert frozen.status_code == 409
    last = api(second_juror).post(f"{url}signatures/", {"signature": SIGNATURE}, format="json").json()
    assert last["pv"]["signed_by"] == ["Sophie Renaud", "Paul Weber"]
    assert last["pv"]["locked_at"] == "2027-06-16T15:00:00Z"
    certificates = api(formateur).get("/api/certification/certificates/").json()["results"]
    assert [(c["number"], c["kind"], c["bloc"], c["holder"]) for c in certificates] == [
        ("CQP-PAR1-2027-00001", "bloc", "1", "Chloé Garnier")
    ]
    certificate = Certificate.objects.get()
    badge = api(juror).get(f"/api/certification/certificates/{certificate.pk}/badge/").json()
    assert badge == certificate.credential
    verified = (
        api(juror)
        .get(
            "/api/certification/certificates/verify/",
            {"number": "CQP-PAR1-2027-00001", "code": certificate.verification_code},
        )
        .json()
    )
    assert verified["valid"] is True
    verified = verified["certificate"]
    assert (verified["holder"], verified["issued_on"], verified["valid_until"]) == (
        "Chloé Garnier", "2027-06-16", "2032-06-16",
    )  # fmt: skip
    unknown = api(juror).get("/api/certification/certificates/verify/", {"number": "X", "code": "Y"})
    assert (unknown.status_code, unknown.json()) == (200, {"valid": False, "certificate": None})


def test_api_a_juror_of_another_session_and_another_site_see_nothing(jury, third, site, other_site):
    outsider = UserFactory(username="autre", roles=[Role.TECHNICIEN], sites=[site])
    assert api(outsider).get(f"/api/certification/sessions/{jury.pk}/results/").status_code == 404
    lyon = UserFactory(username="lyon", roles=[Role.FORMATEUR], sites=[other_site])
    assert api(lyon).get(f"/api/certification/sessions/{jury.pk}/results/").status_code == 404
    response = api(outsider).post(
        f"/api/certification/sessions/{jury.pk}/results/deliberations/", {"candidate": third.pk, "bloc": "1"}
    )
    assert response.status_code == 404


def test_api_only_a_juror_deliberates(jury, third, formateur):
    response = api(formateur).post(
        f"/api/certification/sessions/{jury.pk}/results/deliberations/", {"candidate": third.pk, "bloc": "1"}
    )
    assert response.status_code == 403
    assert response.json() == {"detail": "Seul un membre du jury de cette session délibère."}
