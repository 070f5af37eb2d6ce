"""Deliberation and results (issue 19, point 5): bloc validation from the grids' final marks, result kinds, the PV
signed by every juror then locked, certificate numbers, the Open Badges 3.0 credential, the CSV export, and the
branch's resit rules; bad input refused in French with nothing written."""

import datetime
import hashlib

import pytest
import time_machine

from atelier.certification import services
from atelier.certification.models import (
    Bloc,
    BlocDeliberation,
    Certificate,
    PvSignature,
    ResultRules,
    SessionResult,
)
from atelier.certification.selectors_results import results_csv_rows
from atelier.certification.services_grids import GivenMark, decision_record, evaluation_submit, grid_criteria
from atelier.certification.services_results import (
    PvFrozen,
    bloc_deliberate,
    certificate_verify,
    pv_sign,
    result_absence_record,
)
from atelier.core.errors import AtelierError, PermissionRefused

from .conftest import D, epreuves

pytestmark = pytest.mark.django_db

# a 1 × 1 transparent PNG, as the signature pad sends it
SIGNATURE = (
    "data:image/png;base64,"
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)
BLOC1 = [f"C1.{n}" for n in range(1, 16)]
BLOC2 = [f"C2.{n}" for n in range(1, 19)]
NOW = datetime.datetime(2027, 6, 16, 15, 0, tzinfo=datetime.UTC)


@pytest.fixture
def jury(session, job_seeker, third, juror, second_juror, formateur):
    services.session_candidate_add(actor=formateur, session=session, candidate=job_seeker)
    services.session_candidate_add(actor=formateur, session=session, candidate=third)
    services.session_juror_add(actor=formateur, session=session, user=juror)
    services.session_juror_add(actor=formateur, session=session, user=second_juror)
    return session


def mark(session, candidate, evaluators, *, numbers=(1, 2, 3, 4, 5), failing=(), disputed=()):
    """Both evaluators hand in every grid; criteria of `failing` competences « non acquis » for both; the first
    criterion of each `disputed` competence differs between the two (the jury decides)."""
    for epreuve in epreuves(*numbers):
        criteria = grid_criteria(epreuve)
        firsts = {c.competence.code: c.pk for c in reversed(criteria)}
        for rank, evaluator in enumerate(evaluators):
            marks = []
            for c in criteria:
                acquired = c.competence.code not in failing
                if c.competence.code in disputed and firsts[c.competence.code] == c.pk:
                    acquired = rank == 0
                marks.append(GivenMark(c.pk, acquired))
            evaluation_submit(
                actor=evaluator, session=session, epreuve=epreuve, candidate=candidate, marks=marks
            )


def bloc(code):
    return Bloc.objects.get(referentiel__version="2022-04-22", code=code)


def deliberate_all(session, candidate, actor):
    return [bloc_deliberate(actor=actor, session=session, candidate=candidate, bloc=bloc(c)) for c in "12"]


def test_today_s_rules_of_the_branch_are_seeded_as_data():
    rules = ResultRules.objects.get()
    assert (rules.effective_from, rules.bloc_validity_years, rules.max_attempts) == (D(2022, 4, 22), 5, 3)
    assert (rules.absent_counts, rules.certified_may_resit) == (True, False)
    assert rules.certifier_name.startswith("CPNEFP de la branche des Commerces et services de l'audiovisuel")


def test_a_bloc_is_validated_when_every_competence_is_acquired_else_the_missing_are_listed(
    jury, job_seeker, third, juror, second_juror
):
    mark(jury, job_seeker, [juror, second_juror])
    mark(jury, third, [juror, second_juror], failing={"C2.3", "C2.17"})
    b1, b2 = deliberate_all(jury, job_seeker, juror)
    assert (b1.validated, b1.acquired, b1.missing, b1.carried) == (True, BLOC1, [], [])
    assert (b2.validated, b2.acquired, b2.missing) == (True, BLOC2, [])
    result = SessionResult.objects.get(candidate=job_seeker)
    assert (result.kind, result.blocs, result.get_kind_display()) == (
        "validation_totale",
        ["1", "2"],
        "Validation totale",
    )
    c1, c2 = deliberate_all(jury, third, second_juror)
    assert c1.validated is True
    assert (c2.validated, c2.missing) == (False, ["C2.3", "C2.17"])
    assert c2.acquired == [c for c in BLOC2 if c not in ("C2.3", "C2.17")]
    result = SessionResult.objects.get(candidate=third)
    assert (result.kind, result.blocs) == ("validation_partielle", ["1"])


def test_where_the_evaluators_disagree_the_jury_s_decision_counts(
    jury, job_seeker, third, juror, second_juror
):
    mark(jury, job_seeker, [juror, second_juror], numbers=(4, 5), disputed={"C2.16"})
    [e5] = epreuves(5)
    with pytest.raises(AtelierError) as refused:
        bloc_deliberate(actor=juror, session=jury, candidate=job_seeker, bloc=bloc("2"))
    assert refused.value.message == (
        "Délibération impossible sur le bloc 2 pour Karim Benali : grilles incomplètes (n°5 : 1 critère(s) à "
        "décider par le jury). Rien n'est enregistré."
    )
    disputed = grid_criteria(e5)[0]
    decision_record(
        actor=juror, session=jury, epreuve=e5, candidate=job_seeker, criterion=disputed, acquired=False,
        reason="Posture non adaptée",
    )  # fmt: skip
    d = bloc_deliberate(
        actor=juror, session=jury, candidate=job_seeker, bloc=bloc("2"), comment="Revoir C2.16"
    )
    assert (d.validated, d.missing, d.comment) == (False, ["C2.16"], "Revoir C2.16")


def test_deliberation_with_an_incomplete_grid_is_refused_and_nothing_is_written(
    jury, job_seeker, juror, second_juror
):
    mark(jury, job_seeker, [juror], numbers=(4,))
    with pytest.raises(AtelierError) as refused:
        bloc_deliberate(actor=juror, session=jury, candidate=job_seeker, bloc=bloc("2"), comment="x")
    assert refused.value.message == (
        "Délibération impossible sur le bloc 2 pour Karim Benali : grilles incomplètes (n°4 : 1 grille(s) "
        "remise(s) sur 2 ; n°5 : 0 grille(s) remise(s) sur 2). Rien n'est enregistré."
    )
    assert BlocDeliberation.objects.count() == SessionResult.objects.count() == 0


def test_a_session_blanche_gives_no_deliberation_result_nor_pv(
    jury, job_seeker, juror, second_juror, formateur
):
    from atelier.certification.services_preparation import session_mark_mock

    session_mark_mock(actor=formateur, session=jury)
    mark(jury, job_seeker, [juror, second_juror], numbers=(1, 2))
    expected = (
        "Cette session est une session blanche (entraînement) : ni délibération, ni procès-verbal, "
        "ni certificat."
    )
    with pytest.raises(AtelierError) as refused:
        bloc_deliberate(actor=juror, session=jury, candidate=job_seeker, bloc=bloc("1"))
    assert refused.value.message == expected
    with pytest.raises(AtelierError) as refused:
        result_absence_record(actor=juror, session=jury, candidate=job_seeker, kind="absent", reason="x")
    assert refused.value.message == expected
    with pytest.raises(AtelierError) as refused:
        pv_sign(actor=juror, session=jury, signature=SIGNATURE)
    assert refused.value.message == expected
    assert (
        BlocDeliberation.objects.count() == SessionResult.objects.count() == Certificate.objects.count() == 0
    )


def test_only_a_juror_of_the_session_deliberates(jury, job_seeker, formateur):
    with pytest.raises(PermissionRefused, match="Seul un membre du jury de cette session délibère."):
        bloc_deliberate(actor=formateur, session=jury, candidate=job_seeker, bloc=bloc("1"))


def test_absent_and_excused_are_recorded_by_the_jury(jury, job_seeker, third, juror, second_juror):
    with pytest.raises(AtelierError, match=r"Donnez le motif"):
        result_absence_record(actor=juror, session=jury, candidate=third, kind="absent", reason=" ")
    r = result_absence_record(
        actor=juror, session=jury, candidate=third, kind="excuse", reason="Arrêt maladie"
    )
    assert (r.kind, r.get_kind_display(), r.reason, r.blocs) == ("excuse", "Excusé", "Arrêt maladie", [])
    with pytest.raises(AtelierError) as refused:
        bloc_deliberate(actor=juror, session=jury, candidate=third, bloc=bloc("1"))
    assert (
        refused.value.message == "Chloé Garnier est noté « excusé » dans cette session : pas de délibération."
    )
    mark(jury, job_seeker, [juror, second_juror], numbers=(5,))
    with pytest.raises(AtelierError) as refused:
        result_absence_record(actor=juror, session=jury, candidate=job_seeker, kind="absent", reason="?")
    assert refused.value.message == (
        "Karim Benali a des grilles remises dans cette session : il ou elle s'est présenté(e)."
    )
    assert SessionResult.objects.filter(candidate=job_seeker).count() == 0


@time_machine.travel(NOW, tick=False)
def test_the_pv_is_frozen_from_the_first_signature_and_locked_by_the_last_which_issues_certificates(
    jury, job_seeker, third, juror, second_juror
):
    mark(jury, job_seeker, [juror, second_juror])
    deliberate_all(jury, job_seeker, juror)
    with pytest.raises(AtelierError) as refused:
        pv_sign(actor=juror, session=jury, signature=SIGNATURE)
    assert refused.value.message == (
        "Le procès-verbal se signe une fois tous les résultats arrêtés ; il manque : Chloé Garnier."
    )
    result_absence_record(
        actor=juror, session=jury, candidate=third, kind="absent", reason="Ne s'est pas présentée"
    )
    with pytest.raises(AtelierError, match="Votre signature est nécessaire"):
        pv_sign(actor=juror, session=jury, signature="")
    with pytest.raises(AtelierError, match="pas une image valable"):
        pv_sign(actor=juror, session=jury, signature="data:image/png;base64,AAAA")
    pv_sign(actor=juror, session=jury, signature=SIGNATURE)
    assert Certificate.objects.count() == 0
    with pytest.raises(PvFrozen) as refused:
        bloc_deliberate(
            actor=second_juror, session=jury, candidate=job_seeker, bloc=bloc("1"), comment="changé"
        )
    assert refused.value.message == (
        "Sophie Renaud a signé le procès-verbal le 16/06/2027 17:00 : les résultats ne changent plus pendant les "
        "signatures. Rien n'est enregistré."
    )
    with pytest.raises(AtelierError, match="Vous avez déjà signé ce procès-verbal."):
        pv_sign(actor=juror, session=jury, signature=SIGNATURE)
    pv_sign(actor=second_juror, session=jury, signature=SIGNATURE)
    assert PvSignature.objects.count() == 2
    assert jury.proces_verbal.locked_at == NOW
    assert [
        (c.number, c.kind, c.bloc and c.bloc.code, c.holder) for c in Certificate.objects.order_by("number")
    ] == [
        ("CQP-PAR1-2027-00001", "bloc", "1", "Karim Benali"),
        ("CQP-PAR1-2027-00002", "bloc", "2", "Karim Benali"),
        ("CQP-PAR1-2027-00003", "cqp", None, "Karim Benali"),
    ]
    first = Certificate.objects.get(number="CQP-PAR1-2027-00001")
    assert (first.issued_on, first.valid_until) == (D(2027, 6, 16), D(2032, 6, 16))
    assert Certificate.objects.get(kind="cqp").valid_until is None
    assert certificate_verify(" cqp-par1-2027-00001 ", first.verification_code.lower()) == first
    assert certificate_verify("CQP-PAR1-2027-00001", "00000000") is None
    with pytest.raises(PvFrozen) as refused:
        result_absence_record(
            actor=juror, session=jury, candidate=third, kind="excuse", reason="Justificatif"
        )
    assert refused.value.message == (
        "Le procès-verbal de cette session est signé par tout le jury depuis le 16/06/2027 17:00 : plus aucun "
        "changement n'est possible. Rien n'est enregistré."
    )
    with pytest.raises(PvFrozen, match="il ne change plus"):
        pv_sign(actor=second_juror, session=jury, signature=SIGNATURE)
    assert SessionResult.objects.get(candidate=third).kind == "absent"  # nothing lost, nothing changed
    assert BlocDeliberation.objects.get(candidate=job_seeker, bloc__code="1").comment == ""


@time_machine.travel(NOW, tick=False)
def test_the_open_badges_credential_has_the_ob3_shape(jury, job_seeker, third, juror, second_juror):
    mark(jury, third, [juror, second_juror], numbers=(1, 2, 3))
    bloc_deliberate(actor=juror, session=jury, candidate=third, bloc=bloc("1"))
    mark(jury, third, [juror, second_juror], numbers=(4, 5), failing={"C2.1"})
    bloc_deliberate(actor=juror, session=jury, candidate=third, bloc=bloc("2"))
    result_absence_record(actor=juror, session=jury, candidate=job_seeker, kind="absent", reason="Absent")
    pv_sign(actor=juror, session=jury, signature=SIGNATURE)
    pv_sign(actor=second_juror, session=jury, signature=SIGNATURE)
    [certificate] = Certificate.objects.all()
    body = certificate.credential
    assert sorted(body) == sorted(
        [  # jsonb (PostgreSQL) does not keep the keys' order
            "@context",
            "id",
            "type",
            "name",
            "description",
            "issuer",
            "validFrom",
            "credentialSubject",
            "validUntil",
        ]
    )
    assert body["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert body["id"].startswith("urn:uuid:") and len(body["id"]) == 45
    assert body["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert body["name"] == (
        "CQP Technicien réparateur en électroménager et multimédia – Bloc 1 : Réaliser une opération de "
        "dépannage, de réparation et de mise en service"
    )
    assert body["description"] == "Certificat n° CQP-PAR1-2027-00001"
    assert body["issuer"] == {
        "id": "urn:atelier:certificateur:cpnefp-commerces-services-audiovisuel-electronique-equipement-menager",
        "type": ["Profile"],
        "name": "CPNEFP de la branche des Commerces et services de l'audiovisuel, de l'électronique et de "
        "l'équipement ménager",
    }
    assert (body["validFrom"], body["validUntil"]) == ("2027-06-16T15:00:00Z", "2032-06-16T23:59:59Z")
    subject = body["credentialSubject"]
    assert sorted(subject) == ["achievement", "identifier", "type"]
    assert subject["type"] == ["AchievementSubject"]
    [identity] = subject["identifier"]
    assert sorted(identity) == ["hashed", "identityHash", "identityType", "salt", "type"]
    expected = hashlib.sha256(("chloe.garnier@example.fr" + identity["salt"]).encode()).hexdigest()
    assert identity == {
        "type": "IdentityObject", "identityHash": f"sha256${expected}", "identityType": "emailAddress",
        "hashed": True, "salt": identity["salt"],
    }  # fmt: skip
    achievement = subject["achievement"]
    assert sorted(achievement) == sorted([
        "id", "type", "achievementType", "name", "description", "criteria", "humanCode", "inLanguage",
    ])  # fmt: skip
    assert (achievement["id"], achievement["type"], achievement["achievementType"], achievement["humanCode"]) == (
        "urn:atelier:cqp:2022-04-22:bloc-1", ["Achievement"], "Certificate", "bloc-1",
    )  # fmt: skip
    narrative = achievement["criteria"]["narrative"].splitlines()
    assert (
        narrative[0] == "Bloc 1 – Réaliser une opération de dépannage, de réparation et de mise en service."
    )
    assert len(narrative) == 2 + 15
    assert narrative[2].startswith("- C1.1 Organiser son activité en prenant connaissance des interventions")
    assert narrative[2].endswith("(L'organisation des activités est optimisée)")


@time_machine.travel(NOW, tick=False)
def test_results_csv_has_one_row_per_candidate_and_bloc(jury, job_seeker, third, juror, second_juror):
    mark(jury, third, [juror, second_juror], failing={"C2.3", "C2.17"})
    deliberate_all(jury, third, juror)
    BlocDeliberation.objects.filter(candidate=third, bloc__code="2").update(comment="À revoir : litiges")
    result_absence_record(
        actor=juror, session=jury, candidate=job_seeker, kind="excuse", reason="Convocation"
    )
    pv_sign(actor=juror, session=jury, signature=SIGNATURE)
    pv_sign(actor=second_juror, session=jury, signature=SIGNATURE)
    rows = results_csv_rows(jury)
    acquired2 = " ".join(c for c in BLOC2 if c not in ("C2.3", "C2.17"))
    assert rows == [
        ["Session", "Date de début", "Candidat", "Organisme de formation", "Bloc", "Décision sur le bloc",
         "Compétences acquises dans la session", "Compétences acquises antérieurement", "Compétences manquantes",
         "Commentaire du jury", "Résultat de la session", "Blocs acquis", "Certificat du bloc", "Certificat du CQP"],
        ["Session de juin 2027", "14/06/2027", "Karim Benali", "Campus des métiers de la réparation", "Bloc 1",
         "Excusé", "", "", "", "", "Excusé", "", "", ""],
        ["Session de juin 2027", "14/06/2027", "Karim Benali", "Campus des métiers de la réparation", "Bloc 2",
         "Excusé", "", "", "", "", "Excusé", "", "", ""],
        ["Session de juin 2027", "14/06/2027", "Chloé Garnier", "Campus des métiers de la réparation", "Bloc 1",
         "validé", " ".join(BLOC1), "", "", "", "Validation partielle", "Bloc 1", "CQP-PAR1-2027-00001", ""],
        ["Session de juin 2027", "14/06/2027", "Chloé Garnier", "Campus des métiers de la réparation", "Bloc 2",
         "non validé", acquired2, "", "C2.3 C2.17", "À revoir : litiges", "Validation partielle", "Bloc 1", "", ""],
    ]  # fmt: skip


def test_a_bloc_or_competence_acquired_earlier_counts_in_a_later_session(
    jury, third, juror, second_juror, formateur, job_seeker
):
    with time_machine.travel(NOW, tick=False):
        mark(jury, third, [juror, second_juror], failing={"C2.3", "C2.17"})
        deliberate_all(jury, third, juror)
        result_absence_record(actor=juror, session=jury, candidate=job_seeker, kind="excuse", reason="Malade")
        pv_sign(actor=juror, session=jury, signature=SIGNATURE)
        pv_sign(actor=second_juror, session=jury, signature=SIGNATURE)
    later = services.session_create(
        actor=formateur, site=jury.site, title="Session de rattrapage", place="Campus",
        starts_on=D(2027, 11, 8), ends_on=D(2027, 11, 8), epreuves=epreuves(5),
    )  # fmt: skip
    services.session_candidate_add(actor=formateur, session=later, candidate=third)
    services.session_juror_add(actor=formateur, session=later, user=juror)
    services.session_juror_add(actor=formateur, session=later, user=second_juror)
    with time_machine.travel(datetime.datetime(2027, 11, 8, 15, 0, tzinfo=datetime.UTC), tick=False):
        mark(later, third, [juror, second_juror], numbers=(5,))
        d = bloc_deliberate(actor=juror, session=later, candidate=third, bloc=bloc("2"))
        # C2.17 acquired now; C2.3 (épreuve n°4) not sat again: still missing; the rest counts from June
        assert d.acquired == ["C2.16", "C2.17", "C2.18"]
        assert d.carried == [c for c in BLOC2[:15] if c != "C2.3"]
        assert (d.validated, d.missing) == (False, ["C2.3"])
        result = SessionResult.objects.get(session=later)
        assert (result.kind, result.blocs) == ("validation_partielle", ["1"])


def test_the_branch_s_resit_rules_refuse_a_fourth_presentation(jury, third, juror, formateur, site):
    for n in range(3):
        s = services.session_create(
            actor=formateur, site=site, title=f"Ancienne {n}", place="Campus",
            starts_on=D(2026, 1 + n, 5), ends_on=D(2026, 1 + n, 5), epreuves=epreuves(5),
        )  # fmt: skip
        services.session_candidate_add(actor=formateur, session=s, candidate=third)
        SessionResult.objects.create(
            session=s, candidate=third, kind="echec" if n < 2 else "excuse", reason="" if n < 2 else "Malade",
            recorded_by=juror, recorded_at=NOW,
        )  # fmt: skip
    fourth = services.session_create(
        actor=formateur, site=site, title="Quatrième", place="Campus",
        starts_on=D(2027, 9, 6), ends_on=D(2027, 9, 6), epreuves=epreuves(5),
    )  # fmt: skip
    services.session_candidate_add(
        actor=formateur, session=fourth, candidate=third
    )  # the excused one does not count
    SessionResult.objects.create(
        session=fourth, candidate=third, kind="absent", reason="Absent", recorded_by=juror, recorded_at=NOW
    )
    fifth = services.session_create(
        actor=formateur, site=site, title="Cinquième", place="Campus",
        starts_on=D(2027, 12, 6), ends_on=D(2027, 12, 6), epreuves=epreuves(5),
    )  # fmt: skip
    with pytest.raises(AtelierError) as refused:
        services.session_candidate_add(actor=formateur, session=fifth, candidate=third)
    assert refused.value.message == (
        "Chloé Garnier s'est déjà présenté(e) 3 fois : les règles de la branche en permettent 3 au plus."
    )
    assert not fifth.candidates.exists()
    # a session blanche is a rehearsal: the same candidate trains in it, and it counts as no presentation
    from atelier.certification.services_preparation import session_mark_mock

    session_mark_mock(actor=formateur, session=fifth)
    services.session_candidate_add(actor=formateur, session=fifth, candidate=third)
    assert list(fifth.candidates.all()) == [third]
