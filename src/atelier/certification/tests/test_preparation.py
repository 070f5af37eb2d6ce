"""Issue 19, point 6 and point 7: sessions « blanches », each candidate's progress per competence (mock grids and
real dossiers), role-play scenarios from anonymised closed dossiers; the progress is read by the candidate's
organisation only (another organisation → 404)."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from atelier.certification import services
from atelier.certification.choices import OrganisationKind
from atelier.certification.models import MockSession, RolePlayScenario
from atelier.certification.services_evidence import candidate_account_link
from atelier.certification.services_grids import GivenMark, evaluation_submit, grid_criteria
from atelier.certification.services_preparation import progress, scenario_generate, session_mark_mock
from atelier.core.choices import Role
from atelier.core.errors import AtelierError
from atelier.core.tests.factories import UserFactory
from atelier.customers.tests.factories import ApplianceFactory, CustomerFactory
from atelier.diagnostics.models import PreDiagnosis
from atelier.repairs.choices import CaseStatus
from atelier.repairs.models import RepairCase
from atelier.repairs.tests.factories import RepairCaseFactory

from .conftest import epreuves

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def mock_session(site, formateur, job_seeker, juror):
    session = services.session_create(
        actor=formateur,
        site=site,
        title="Épreuves blanches de mars",
        place="Campus",
        starts_on=D(2027, 3, 1),
        ends_on=D(2027, 3, 1),
        epreuves=epreuves(5),
    )
    services.session_candidate_add(actor=formateur, session=session, candidate=job_seeker)
    services.session_juror_add(actor=formateur, session=session, user=juror)
    second = UserFactory(
        username="jure2", first_name="Paul", last_name="Weber", roles=[Role.TECHNICIEN], sites=[site]
    )
    services.session_juror_add(actor=formateur, session=session, user=second)
    session.second_juror = second
    return session


def test_a_session_becomes_blanche_before_any_grid_and_stays_so(mock_session, formateur, juror, job_seeker):
    session_mark_mock(actor=formateur, session=mock_session)
    with pytest.raises(AtelierError) as refused:
        session_mark_mock(actor=formateur, session=mock_session)
    assert refused.value.message == "Cette session est déjà une session blanche."
    assert MockSession.objects.count() == 1


def test_a_session_with_grids_cannot_become_blanche(mock_session, formateur, juror, job_seeker):
    [e5] = epreuves(5)
    marks = [GivenMark(c.pk, True) for c in grid_criteria(e5)]
    evaluation_submit(actor=juror, session=mock_session, epreuve=e5, candidate=job_seeker, marks=marks)
    with pytest.raises(AtelierError) as refused:
        session_mark_mock(actor=formateur, session=mock_session)
    assert refused.value.message == "Des grilles sont déjà remises : la session ne peut plus devenir blanche."


@pytest.fixture
def worker(site):
    return UserFactory(
        username="karim", first_name="Karim", last_name="Benali", roles=[Role.TECHNICIEN], sites=[site]
    )


def test_progress_per_competence_from_mock_grids_and_real_dossiers(
    mock_session, formateur, juror, job_seeker, worker, site
):
    session_mark_mock(actor=formateur, session=mock_session)
    [e5] = epreuves(5)
    criteria = grid_criteria(e5)
    # C2.16: 5 criteria all acquired; C2.17: 3 criteria, the first not acquired; C2.18: none acquired
    first = {c.pk: c.competence.code != "C2.18" for c in criteria}
    first[next(c.pk for c in criteria if c.competence.code == "C2.17")] = False
    for who in (juror, mock_session.second_juror):
        evaluation_submit(
            actor=who,
            session=mock_session,
            epreuve=e5,
            candidate=job_seeker,
            marks=[GivenMark(pk, acquired) for pk, acquired in first.items()],
        )
    candidate_account_link(actor=formateur, candidate=job_seeker, user=worker)
    case = RepairCaseFactory(site=site, actor=worker)
    PreDiagnosis.objects.create(
        case=case,
        findings="Pompe bloquée",
        recorded_by=worker,
        signer_name="X",
        acknowledged_at=case.received_at,
    )
    rows = {r["competence"].code: r for r in progress(job_seeker)}
    assert len(rows) == 33
    assert [
        (c, rows[c]["status"], rows[c]["mock_acquired"], rows[c]["mock_judged"])
        for c in ("C2.16", "C2.17", "C2.18")
    ] == [
        ("C2.16", "acquis", 5, 5),
        ("C2.17", "en_cours", 2, 3),
        ("C2.18", "a_travailler", 0, 2),
    ]
    assert (rows["C2.5"]["status"], rows["C2.5"]["evidence"]) == (
        "en_cours",
        [("Pré-diagnostic signé", 1), ("Questionnement du client", 0)],
    )
    assert (rows["C2.11"]["status"], rows["C2.11"]["evidence"]) == ("non_evalue", [("Facture", 0)])
    assert rows["C1.1"]["evidence"] == []


def test_the_progress_page_is_for_the_candidates_organisation_only(site, formateur, job_seeker):
    client = Client()
    client.force_login(formateur)  # member of the candidate's OF (conftest)
    url = reverse("certification:progress", args=[job_seeker.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert '<tr id="progress-C2.16">' in page.content.decode()
    other_trainer = UserFactory(username="formateur2", roles=[Role.FORMATEUR], sites=[site])
    services.organisation_create(
        actor=other_trainer,
        site=site,
        kind=OrganisationKind.ORGANISME_FORMATION,
        name="Autre CFA",
        members=[other_trainer],
    )
    client.force_login(other_trainer)
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "account", "user": other_trainer.pk}).status_code == 404
    api = APIClient()
    api.force_authenticate(other_trainer)
    assert api.get(f"/api/certification/candidates/{job_seeker.pk}/progress/").status_code == 404
    assert api.post(f"/api/certification/candidates/{job_seeker.pk}/account/", {"user": 1}).status_code == 404
    api.force_authenticate(formateur)
    worker = UserFactory(username="karim", roles=[Role.TECHNICIEN], sites=[site])
    linked = api.post(f"/api/certification/candidates/{job_seeker.pk}/account/", {"user": worker.pk})
    assert (linked.status_code, linked.json()) == (201, {"user": worker.pk})
    again = api.post(f"/api/certification/candidates/{job_seeker.pk}/account/", {"user": worker.pk})
    assert (again.status_code, again.json()) == (
        400,
        {"detail": "Karim Benali est déjà lié à un utilisateur."},
    )
    body = api.get(f"/api/certification/candidates/{job_seeker.pk}/progress/").json()
    assert body[0] == {
        "competence": "C1.1",
        "status": "non_evalue",
        "mock_acquired": 0,
        "mock_judged": 0,
        "evidence": {},
    }


@pytest.fixture
def closed_case(site, formateur):
    customer = CustomerFactory(
        site=site,
        first_name="Hélène",
        last_name="Lefebvre",
        phone="+33612345678",
        email="helene.lefebvre@example.fr",
        address="12 rue de la Roquette",
    )
    appliance = ApplianceFactory(
        customer=customer, serial_number="WM2024-889", brand="Bosch", model_ref="WAN28208FF"
    )
    case = RepairCaseFactory(
        site=site,
        customer=customer,
        appliance=appliance,
        customer_words="Je suis Hélène Lefebvre, ma machine fuit ; joignable au 06 12 34 56 78.",
    )
    PreDiagnosis.objects.create(
        case=case,
        findings="Joint de hublot déchiré (n° WM2024-889).",
        recorded_by=formateur,
        signer_name="H. L.",
    )
    # the dossier's whole life is not the subject here: it is set closed as its last transition leaves it
    RepairCase.objects.filter(pk=case.pk).update(
        status=CaseStatus.CLOTURE, closed_at=datetime.datetime(2026, 10, 2, 10, 0, tzinfo=datetime.UTC)
    )
    case.refresh_from_db()
    return case


def test_a_role_play_is_written_from_an_anonymised_closed_dossier(site, formateur, closed_case):
    scenario = scenario_generate(actor=formateur, site=site, kind="accueil", case=closed_case)
    assert scenario.epreuve_number == 4
    assert scenario.title == f"Accueil et pré-diagnostic — d'après le dossier {closed_case.number}"
    assert scenario.text == (
        "Client A se présente avec son appareil : Lave-linge Bosch WAN28208FF.\n"
        "Ce que dit Client A : « Je suis Client A, ma machine fuit ; joignable au [téléphone]. »"
    )
    assert scenario.expected_points[:2] == [
        {
            "competence": "",
            "point": "Constats attendus au pré-diagnostic : Joint de hublot déchiré (n° [n° de série]).",
        },
        {"competence": "", "point": "Faire signer la fiche de pré-diagnostic par Client A."},
    ]
    assert [p["competence"] for p in scenario.expected_points[2:]][:1] == ["C2.1"]
    stored = str(RolePlayScenario.objects.values().get())
    for personal in ("Lefebvre", "Hélène", "06 12 34 56 78", "helene", "WM2024-889", "Roquette"):
        assert personal not in stored
    dispute = scenario_generate(actor=formateur, site=site, kind="litige", case=closed_case)
    assert (dispute.epreuve_number, dispute.text.splitlines()[-1]) == (
        5,
        "Client A conteste : « Je ne paierai pas cette facture, la panne est revenue. »",
    )
    warranty = scenario_generate(actor=formateur, site=site, kind="retour_garantie", case=closed_case)
    assert warranty.text.splitlines()[1] == (
        "L'appareil a été réparé par l'atelier (clôturé le 02/10/2026) : Je suis Client A, ma machine fuit ; "
        "joignable au [téléphone]."
    )


def test_a_role_play_needs_a_closed_dossier(site, formateur):
    case = RepairCaseFactory(site=site)
    with pytest.raises(AtelierError) as refused:
        scenario_generate(actor=formateur, site=site, kind="litige", case=case)
    assert refused.value.message == (
        f"Le dossier {case.number} n'est pas clôturé : un jeu de rôle se tire d'un dossier clôturé."
    )
    assert RolePlayScenario.objects.count() == 0


def test_role_play_screens_and_api(site, formateur, closed_case):
    client = Client()
    client.force_login(formateur)
    answer = client.post(reverse("certification:scenarios"), {"kind": "accueil", "case": closed_case.pk})
    scenario = RolePlayScenario.objects.get()
    assert answer.status_code == 302 and answer["Location"] == reverse(
        "certification:scenario", args=[scenario.pk]
    )
    page = client.get(answer["Location"]).content.decode()
    assert "Ce que dit Client A : « Je suis Client A, ma machine fuit ; joignable au [téléphone]. »" in page
    api = APIClient()
    api.force_authenticate(formateur)
    made = api.post("/api/certification/role-plays/", {"kind": "litige", "case": closed_case.pk})
    assert made.status_code == 201 and made.json()["epreuve_number"] == 5
    assert [s["kind"] for s in api.get("/api/certification/role-plays/").json()] == ["litige", "accueil"]
    assert api.get(f"/api/certification/role-plays/{scenario.pk}/").json()["title"] == scenario.title


def test_the_demo_writes_role_plays_from_closed_dossiers(site, formateur, closed_case):
    import random

    from atelier.demo import certification_preparation as demo

    report = demo.load(sites={"PAR1": site}, users={"formateur": formateur}, rng=random.Random(7))
    assert report == {"jeux de rôle de certification": 1}
    assert RolePlayScenario.objects.get().kind == "accueil"
    assert demo.load(sites={"PAR1": site}, users={"formateur": formateur}, rng=random.Random(7)) == {}


def test_the_session_page_makes_a_session_blanche_and_the_list_says_so(mock_session, formateur):
    client = Client()
    client.force_login(formateur)
    answer = client.post(reverse("certification:session_mock", args=[mock_session.pk]))
    assert answer.status_code == 302
    assert MockSession.objects.get().session == mock_session
    page = client.get(reverse("certification:index")).content.decode()
    assert 'Épreuves blanches de mars</a> <span class="badge">session blanche</span>' in page
    again = client.post(reverse("certification:session_mock", args=[mock_session.pk]), follow=True)
    assert "Cette session est déjà une session blanche." in again.content.decode()


def test_the_demo_rehearses_n5_in_a_session_blanche(site, formateur, juror, apprentice, job_seeker):
    import random

    from atelier.demo import certification_preparation as demo

    users = {
        "formateur": formateur,
        "responsable": juror,
        "technicien": UserFactory(username="jure-demo", roles=[Role.TECHNICIEN], sites=[site]),
    }
    assert demo.load(sites={"PAR1": site}, users=users, rng=random.Random(7)) == {
        "grilles d'épreuves blanches": 4
    }
    session = MockSession.objects.get().session
    assert (session.title, session.evaluations.count()) == ("Épreuves blanches (démo)", 4)
    first = {r["competence"].code: r["status"] for r in progress(apprentice)}
    second = {r["competence"].code: r["status"] for r in progress(job_seeker)}
    assert [first[c] for c in ("C2.16", "C2.17", "C2.18")] == ["acquis", "acquis", "a_travailler"]
    assert [second[c] for c in ("C2.16", "C2.17", "C2.18")] == ["acquis", "a_travailler", "a_travailler"]
    assert demo.load(sites={"PAR1": site}, users=users, rng=random.Random(7)) == {}
