"""Screens of deliberation and results: the board, refusals shown on the page in French with what was typed kept,
the PV signed on screen, the PDF, the CSV, the certificates (list, verification, PDF, badge), and who sees what."""

import json

import pytest
import time_machine
from django.test import Client

from atelier.certification import services
from atelier.certification.models import BlocDeliberation, Certificate, PvSignature
from atelier.certification.services_results import bloc_deliberate
from atelier.core.choices import Role
from atelier.core.tests.factories import UserFactory

from .test_results import NOW, SIGNATURE, bloc, mark

pytestmark = pytest.mark.django_db


@pytest.fixture
def jury(session, third, juror, second_juror, formateur):
    services.session_candidate_add(actor=formateur, session=session, candidate=third)
    services.session_juror_add(actor=formateur, session=session, user=juror)
    services.session_juror_add(actor=formateur, session=session, user=second_juror)
    return session


def client_of(user):
    client = Client()
    client.force_login(user)
    return client


def test_deliberation_refused_on_the_page_keeps_the_comment_and_writes_nothing(
    jury, third, juror, second_juror
):
    mark(jury, third, [juror], numbers=(4,))
    url = f"/certification/sessions/{jury.pk}/resultats/"
    page = client_of(juror).get(url)
    assert page.status_code == 200
    assert "Délibération et résultats" in page.content.decode()
    response = client_of(juror).post(
        url, {"action": "deliberate", "candidate": third.pk, "bloc": bloc("2").pk, "comment": "Bonne posture"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert (
        "Délibération impossible sur le bloc 2 pour Chloé Garnier : grilles incomplètes (n°4 : 1 grille(s) remise(s) "
        "sur 2 ; n°5 : 0 grille(s) remise(s) sur 2). Rien n&#x27;est enregistré." in body
    )
    assert BlocDeliberation.objects.count() == 0


@time_machine.travel(NOW, tick=False)
def test_a_jury_deliberates_signs_and_gets_the_pv_csv_and_certificates(
    jury, third, juror, second_juror, formateur
):
    mark(jury, third, [juror, second_juror], failing={"C2.3", "C2.17"})
    url = f"/certification/sessions/{jury.pk}/resultats/"
    first, second = client_of(juror), client_of(second_juror)
    for code in "12":
        response = first.post(
            url, {"action": "deliberate", "candidate": third.pk, "bloc": bloc(code).pk, "comment": ""}
        )
        assert response.status_code == 302
    page = first.get(url).content.decode()
    assert "Validation partielle" in page and "à repasser : C2.3, C2.17" in page
    refused = first.post(url, {"action": "sign", "signature": ""})
    assert refused.status_code == 400
    assert "Votre signature est nécessaire : signez dans le cadre." in refused.content.decode()
    assert first.post(url, {"action": "sign", "signature": SIGNATURE}).status_code == 302
    frozen = second.post(
        url, {"action": "deliberate", "candidate": third.pk, "bloc": bloc("2").pk, "comment": "x"}
    )
    assert frozen.status_code == 409
    assert "Sophie Renaud a signé le procès-verbal le 16/06/2027 17:00" in frozen.content.decode()
    assert second.post(url, {"action": "sign", "signature": SIGNATURE}).status_code == 302
    assert PvSignature.objects.count() == 2
    [certificate] = Certificate.objects.all()
    assert certificate.number == "CQP-PAR1-2027-00001"
    pdf = first.get(f"/certification/sessions/{jury.pk}/proces-verbal.pdf")
    assert (pdf.status_code, pdf["Content-Type"], pdf.content[:5]) == (200, "application/pdf", b"%PDF-")
    csv = first.get(f"/certification/sessions/{jury.pk}/resultats.csv")
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith(
        "Session;Date de début;Candidat;Organisme de formation;Bloc;Décision sur le bloc;"
    )
    assert lines[2].endswith(";C2.3 C2.17;;Validation partielle;Bloc 1;;")
    listing = client_of(formateur).get("/certification/certificats/").content.decode()
    assert "CQP-PAR1-2027-00001" in listing
    cert_pdf = first.get(f"/certification/certificats/{certificate.pk}/pdf/")
    assert (cert_pdf.status_code, cert_pdf.content[:5]) == (200, b"%PDF-")
    badge = first.get(f"/certification/certificats/{certificate.pk}/badge.json")
    assert badge["Content-Type"] == "application/ld+json"
    assert json.loads(badge.content)["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    ok = first.get(
        f"/certification/certificats/?numero=CQP-PAR1-2027-00001&code={certificate.verification_code}"
    )
    assert "authentique" in ok.content.decode()
    ko = first.get("/certification/certificats/?numero=CQP-PAR1-2027-00001&code=0000")
    assert "Aucun certificat ne porte ce numéro avec ce code de vérification." in ko.content.decode()


def test_jurors_see_only_their_sessions_and_others_see_no_certificate(jury, third, juror, site, other_site):
    outsider = UserFactory(username="autre-jure", roles=[Role.TECHNICIEN], sites=[site])
    assert client_of(outsider).get(f"/certification/sessions/{jury.pk}/resultats/").status_code == 404
    assert client_of(outsider).get(f"/certification/sessions/{jury.pk}/resultats.csv").status_code == 404
    lyon = UserFactory(username="lyon", roles=[Role.FORMATEUR], sites=[other_site])
    assert client_of(lyon).get(f"/certification/sessions/{jury.pk}/proces-verbal.pdf").status_code == 404


def test_absence_recorded_on_the_page(jury, third, juror):
    url = f"/certification/sessions/{jury.pk}/resultats/"
    refused = client_of(juror).post(
        url, {"action": "absence", "candidate": third.pk, "kind": "absent", "reason": ""}
    )
    assert refused.status_code == 400
    done = client_of(juror).post(
        url, {"action": "absence", "candidate": third.pk, "kind": "excuse", "reason": "Arrêt maladie"}
    )
    assert done.status_code == 302
    assert "Excusé" in client_of(juror).get(url).content.decode()


@time_machine.travel(NOW, tick=False)
def test_the_staff_of_the_candidate_s_company_sees_their_certificates_only(
    jury, third, juror, second_juror, formateur, site
):
    from atelier.certification.choices import OrganisationKind

    staff = UserFactory(
        username="rh", roles=[Role.TECHNICIEN], sites=[site], first_name="Anne", last_name="Roy"
    )
    company = services.organisation_create(
        actor=formateur, site=site, kind=OrganisationKind.ENTREPRISE, name="Froid Service", members=[staff]
    )
    third.company = company
    third.save(update_fields=["company"])
    mark(jury, third, [juror, second_juror], numbers=(1, 2, 3))
    bloc_deliberate(actor=juror, session=jury, candidate=third, bloc=bloc("1"))
    mark(jury, third, [juror, second_juror], numbers=(4, 5), failing={"C2.1"})
    bloc_deliberate(actor=juror, session=jury, candidate=third, bloc=bloc("2"))
    for who in (juror, second_juror):
        client_of(who).post(
            f"/certification/sessions/{jury.pk}/resultats/", {"action": "sign", "signature": SIGNATURE}
        )
    [certificate] = Certificate.objects.all()
    listing = client_of(staff).get("/certification/certificats/").content.decode()
    assert certificate.number in listing  # their employee's certificate, though not on the jury
    assert client_of(staff).get(f"/certification/certificats/{certificate.pk}/pdf/").status_code == 200
    assert client_of(staff).get(f"/certification/sessions/{jury.pk}/resultats/").status_code == 404
    other = UserFactory(username="autre", roles=[Role.TECHNICIEN], sites=[site])
    assert certificate.number not in client_of(other).get("/certification/certificats/").content.decode()
    assert client_of(other).get(f"/certification/certificats/{certificate.pk}/badge.json").status_code == 404
