"""Issue 19, point 4 (the rest) and point 7: the timer of each part (start, pause, stop stored; overrun), the
questions of the jury, the « situation réelle » judged from a real dossier with its evidence next to each
criterion, the customer masked for the jury; rights (another organisation, another session's juror → 404)."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from atelier.certification import services
from atelier.certification.anonymise import masker_for
from atelier.certification.evidence import case_evidence
from atelier.certification.models import EvidenceDossier, JuryQuestion, PartTiming
from atelier.certification.services_evidence import (
    candidate_account_link,
    elapsed_seconds,
    evidence_dossier_choose,
    overrun_seconds,
    question_record,
    timer_action,
)
from atelier.core.choices import Role
from atelier.core.errors import AtelierError, PermissionRefused
from atelier.core.tests.factories import UserFactory
from atelier.customers.tests.factories import ApplianceFactory, CustomerFactory
from atelier.diagnostics.models import PreDiagnosis
from atelier.repairs.tests.factories import RepairCaseFactory

from .conftest import epreuves

pytestmark = pytest.mark.django_db
T0 = datetime.datetime(2027, 6, 14, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def jury(session, job_seeker, juror, formateur):
    services.session_candidate_add(actor=formateur, session=session, candidate=job_seeker)
    services.session_juror_add(actor=formateur, session=session, user=juror)
    return session


def _sitting(jury, job_seeker, juror, number=1):
    [e] = epreuves(number)
    return {"actor": juror, "session": jury, "epreuve": e, "candidate": job_seeker}


def test_the_timer_stores_start_pauses_and_end_and_measures_the_overrun(jury, job_seeker, juror):
    kw = _sitting(jury, job_seeker, juror)
    with time_machine.travel(T0, tick=False) as clock:
        timer_action(**kw, part=0, action="start")
        clock.shift(datetime.timedelta(minutes=10))
        timer_action(**kw, part=0, action="pause")
        clock.shift(datetime.timedelta(minutes=3))  # a pause: not counted
        timer_action(**kw, part=0, action="start")
        clock.shift(datetime.timedelta(minutes=7, seconds=30))
        timing = timer_action(**kw, part=0, action="stop")
    assert (timing.label, timing.planned_minutes) == ("Préparation de l'épreuve", 15)
    assert (timing.started_at, timing.ended_at, timing.paused_seconds) == (
        T0,
        T0 + datetime.timedelta(minutes=20, seconds=30),
        180,
    )
    assert elapsed_seconds(timing) == 17 * 60 + 30
    assert overrun_seconds(timing) == 2 * 60 + 30


def test_one_part_runs_at_a_time_and_a_stopped_part_does_not_restart(jury, job_seeker, juror):
    kw = _sitting(jury, job_seeker, juror)
    timer_action(**kw, part=0, action="start")
    with pytest.raises(AtelierError) as refused:
        timer_action(**kw, part=1, action="start")
    assert (
        refused.value.message
        == "Arrêtez d'abord « Préparation de l'épreuve » : un seul temps court à la fois."
    )
    timer_action(**kw, part=0, action="stop")
    with pytest.raises(AtelierError) as refused:
        timer_action(**kw, part=0, action="start")
    assert refused.value.message == "« Préparation de l'épreuve » est terminé : il ne redémarre pas."
    with pytest.raises(AtelierError) as refused:
        timer_action(**kw, part=3, action="start")
    assert refused.value.message == "L'épreuve n°1 a 3 temps : le temps n°4 n'existe pas."
    assert PartTiming.objects.count() == 1


def test_only_a_juror_of_the_session_runs_the_timer(jury, job_seeker, formateur):
    [e1] = epreuves(1)
    with pytest.raises(PermissionRefused):
        timer_action(actor=formateur, session=jury, epreuve=e1, candidate=job_seeker, part=0, action="start")
    assert PartTiming.objects.count() == 0


def test_a_question_is_recorded_with_its_competence(jury, job_seeker, juror):
    kw = _sitting(jury, job_seeker, juror)
    c15 = kw["epreuve"].competences.get(code="C1.5")
    q = question_record(
        **kw,
        text="Quelle mesure avant de changer la pompe ?",
        competence=c15,
        answer_summary="Résistance 170 Ω",
    )
    assert (q.text, q.competence.code, q.answer_summary, q.asked_by) == (
        "Quelle mesure avant de changer la pompe ?",
        "C1.5",
        "Résistance 170 Ω",
        juror,
    )
    c216 = jury.referentiel.competences.get(code="C2.16")
    with pytest.raises(AtelierError) as refused:
        question_record(**kw, text="Et la garantie ?", competence=c216)
    assert refused.value.message == "C2.16 n'est pas une compétence de l'épreuve n°1."
    with pytest.raises(AtelierError) as refused:
        question_record(**kw, text="   ")
    assert refused.value.message == "Écrivez la question posée."
    assert JuryQuestion.objects.count() == 1


# ------------------------------------------------------------------ situation réelle, masking


@pytest.fixture
def worker(site):
    """The job seeker's Atelier account: a technician in training."""
    return UserFactory(
        username="karim", first_name="Karim", last_name="Benali", roles=[Role.TECHNICIEN], sites=[site]
    )


@pytest.fixture
def real_case(site, worker):
    customer = CustomerFactory(
        site=site,
        first_name="Hélène",
        last_name="Lefebvre",
        phone="+33612345678",
        email="helene.lefebvre@example.fr",
        address="12 rue de la Roquette",
        postcode="75011",
    )
    appliance = ApplianceFactory(customer=customer, serial_number="WM2024-889")
    case = RepairCaseFactory(
        site=site,
        customer=customer,
        appliance=appliance,
        actor=worker,
        customer_words="Mme Lefebvre dit que la machine fuit ; rappeler au 06 12 34 56 78.",
    )
    PreDiagnosis.objects.create(
        case=case,
        findings="Fuite au joint de hublot, n° WM2024-889, vue avec Hélène Lefebvre (helene.lefebvre@example.fr).",
        recorded_by=worker,
        acknowledgement="ecran",
        signer_name="Hélène Lefebvre",
        acknowledged_at=timezone.now(),
    )
    return case


def test_customer_data_is_masked_in_the_evidence(real_case):
    masker = masker_for(real_case)
    assert (
        masker.mask(real_case.customer_words)
        == "Mme Client A dit que la machine fuit ; rappeler au [téléphone]."
    )
    [pre] = case_evidence(real_case)["prediagnostic_signe"]
    assert pre.label == "Pré-diagnostic signé"
    assert pre.text == (
        f"Signé par Client A le {timezone.localdate():%d/%m/%Y} : Fuite au joint de hublot, n° [n° de série], "
        "vue avec Client A ([courriel])."
    )
    assert masker.mask("12 rue de la Roquette, 75011 Paris") == "[adresse], [code postal] Paris"


def test_the_jury_judges_from_a_real_dossier_of_the_candidate(
    jury, job_seeker, juror, formateur, worker, real_case, site
):
    [e4] = epreuves(4)
    kw = {"actor": juror, "session": jury, "epreuve": e4, "candidate": job_seeker}
    with pytest.raises(AtelierError) as refused:
        evidence_dossier_choose(**kw, case=real_case)
    assert refused.value.message == (
        "Karim Benali n'est lié à aucun utilisateur d'Atelier : son organisme doit d'abord faire ce lien."
    )
    candidate_account_link(actor=formateur, candidate=job_seeker, user=worker)
    someone_elses = RepairCaseFactory(site=site)
    with pytest.raises(AtelierError) as refused:
        evidence_dossier_choose(**kw, case=someone_elses)
    assert refused.value.message == f"Karim Benali n'a pas travaillé sur le dossier {someone_elses.number}."
    dossier = evidence_dossier_choose(**kw, case=real_case)
    assert EvidenceDossier.objects.get().case == real_case == dossier.case

    client = Client()
    client.force_login(juror)
    url = reverse("certification:grid", args=[jury.pk]) + f"?epreuve=4&candidat={job_seeker.pk}"
    page = client.get(url).content.decode()
    assert "<strong>Pré-diagnostic signé</strong> : Signé par Client A le" in page
    assert "Lefebvre" not in page and "0612345678" not in page and "helene.lefebvre" not in page
    assert "WM2024-889" not in page
    assert "Pas de preuve « Devis » dans le dossier." in page


def test_the_timer_and_a_question_from_the_tablet_page(jury, job_seeker, juror):
    client = Client()
    client.force_login(juror)
    url = reverse("certification:grid", args=[jury.pk]) + f"?epreuve=1&candidat={job_seeker.pk}"
    answer = client.post(url, {"action": "timer", "part": "0", "timer": "start"})
    assert answer.status_code == 302
    page = client.get(url).content.decode()
    assert 'data-running="1"' in page and "Pause" in page
    refused = client.post(url, {"action": "timer", "part": "1", "timer": "start"})
    assert refused.status_code == 400
    assert "Arrêtez d&#x27;abord « Préparation de l&#x27;épreuve » : un seul temps court à la fois." in (
        refused.content.decode()
    )
    [e1] = epreuves(1)
    c15 = e1.competences.get(code="C1.5")
    answer = client.post(
        url,
        {
            "action": "question",
            "text": "Pourquoi mesurer la pompe ?",
            "competence": c15.pk,
            "answer_summary": "Pour…",
        },
    )
    assert answer.status_code == 302
    page = client.get(url).content.decode()
    assert '<strong>Pourquoi mesurer la pompe ?</strong> <span class="badge">C1.5</span>' in page


def test_the_api_of_timers_questions_and_evidence(jury, job_seeker, juror, formateur, worker, real_case):
    api = APIClient()
    api.force_authenticate(juror)
    base = f"/api/certification/sessions/{jury.pk}"
    with time_machine.travel(T0, tick=False) as clock:
        answer = api.post(
            f"{base}/timers/", {"epreuve": 1, "candidate": job_seeker.pk, "part": 1, "action": "start"}
        )
        assert answer.status_code == 201, answer.json()
        clock.shift(datetime.timedelta(minutes=31))
        answer = api.post(
            f"{base}/timers/", {"epreuve": 1, "candidate": job_seeker.pk, "part": 1, "action": "stop"}
        )
        assert answer.status_code == 201
        listed = api.get(f"{base}/timers/?epreuve=1&candidate={job_seeker.pk}").json()
    assert listed == [
        {
            "epreuve": 1,
            "candidate": job_seeker.pk,
            "part": 1,
            "label": "Mise en situation (Diagnostic / réparation / mise en service)",
            "planned_minutes": 30,
            "started_at": "2027-06-14T11:00:00+02:00",
            "ended_at": "2027-06-14T11:31:00+02:00",
            "paused_seconds": 0,
            "elapsed_seconds": 1860,
            "overrun_seconds": 60,
            "running": False,
        }
    ]
    answer = api.post(
        f"{base}/timers/", {"epreuve": 1, "candidate": job_seeker.pk, "part": 1, "action": "start"}
    )
    assert answer.status_code == 400
    assert answer.json() == {
        "detail": "« Mise en situation (Diagnostic / réparation / mise en service) » est terminé : il ne redémarre pas."
    }
    answer = api.post(
        f"{base}/questions/", {"epreuve": 1, "candidate": job_seeker.pk, "text": "Et la sécurité ?"}
    )
    assert answer.status_code == 201
    assert api.get(f"{base}/questions/?epreuve=1").json()[0]["text"] == "Et la sécurité ?"

    candidate_account_link(actor=formateur, candidate=job_seeker, user=worker)
    answer = api.post(f"{base}/evidence/", {"epreuve": 4, "candidate": job_seeker.pk, "case": real_case.pk})
    assert answer.status_code == 201, answer.json()
    body = api.get(f"{base}/evidence/?epreuve=4&candidate={job_seeker.pk}").json()
    assert body[0]["case"] == real_case.number
    c25 = next(c for c in body[0]["criteria"] if c["competence"] == "C2.5")
    assert c25["evidence"][0]["kind"] == "prediagnostic_signe"
    assert "Lefebvre" not in str(body) and "Client A" in c25["evidence"][0]["text"]


def test_a_juror_of_another_session_gets_404(jury, job_seeker, formateur, site):
    other_juror = UserFactory(username="jure-autre", roles=[Role.TECHNICIEN], sites=[site])
    other = services.session_create(
        actor=formateur,
        site=site,
        title="Autre session",
        place="Ailleurs",
        starts_on=datetime.date(2027, 7, 1),
        ends_on=datetime.date(2027, 7, 1),
        epreuves=epreuves(1),
    )
    services.session_juror_add(actor=formateur, session=other, user=other_juror)
    client = Client()
    client.force_login(other_juror)
    url = reverse("certification:grid", args=[jury.pk]) + f"?epreuve=1&candidat={job_seeker.pk}"
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "timer", "part": "0", "timer": "start"}).status_code == 404
    api = APIClient()
    api.force_authenticate(other_juror)
    assert api.get(f"/api/certification/sessions/{jury.pk}/timers/").status_code == 404
    assert api.post(f"/api/certification/sessions/{jury.pk}/questions/", {}).status_code == 404
    assert PartTiming.objects.count() == 0


def test_a_part_of_n3_stopped_before_its_minimum_is_said_so(jury, job_seeker, juror):
    kw = _sitting(jury, job_seeker, juror, number=3)
    with time_machine.travel(T0, tick=False) as clock:
        timer_action(**kw, part=0, action="start")
        clock.shift(datetime.timedelta(minutes=8))
        timer_action(**kw, part=0, action="stop")
    client = Client()
    client.force_login(juror)
    url = reverse("certification:grid", args=[jury.pk]) + f"?epreuve=3&candidat={job_seeker.pk}"
    page = client.get(url).content.decode()
    assert (
        'Durée réelle : 08:00 · <span class="badge s-refuse">plus court que le minimum (10 min)</span>'
        in page
    )


@pytest.mark.parametrize("name", ["candidate", "epreuve"])
@pytest.mark.parametrize("bad", ["1" * 30, "²"])
def test_a_candidate_or_epreuve_no_database_holds_is_a_400(jury, juror, name, bad):
    """Found by Schemathesis against the demo: 30 digits overflowed SQLite's integer (500)."""
    api = APIClient()
    api.force_authenticate(juror)
    for what in ("evidence", "questions", "timers", "grid"):
        answer = api.get(f"/api/certification/sessions/{jury.pk}/{what}/", {name: bad})
        assert answer.status_code == 400, (what, answer.status_code)
        assert answer.json() == {name: ["?candidate=<id> et ?epreuve=<numéro> sont des nombres."]}
