"""Screens: the dossier section, questioning, pre-diagnosis with its sheet, diagnosis; roles, other site → 404,
bad input → French message and nothing written."""

import io

import pytest
from django.conf import settings
from django.urls import reverse
from pypdf import PdfReader

from atelier.diagnostics import services
from atelier.diagnostics.models import Answer, ChecklistItem, Measurement, PreDiagnosis
from atelier.diagnostics.tests.conftest import q
from atelier.knowledge.models import Check
from atelier.repairs.choices import CaseStatus
from atelier.repairs.tests.pages import dossier_page

pytestmark = pytest.mark.django_db
PNG = (
    "data:image/png;base64,"
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def test_dossier_page_proposes_the_questioning_right_after_opening(client, case, accueil, tariffs):
    client.force_login(accueil)
    html = dossier_page(client, case.pk)
    assert "Questionnement et diagnostic" in html
    assert 'id="start-questions"' in html and reverse("diagnostics:questions", args=[case.pk]) in html
    # a consumer reads prices TTC (Code de la consommation L112-1): 39,00 € HT × 1,20 = 46,80 € TTC
    assert (
        'Forfait diagnostic : <strong id="process-diagnosis-fee">46,80\u00a0€ TTC (39,00\u00a0€ HT)</strong>'
        " · taux horaire 69,60\u00a0€ TTC</p>"
    ) in html


def test_questions_page_per_family_and_conditional_markup(client, case, accueil):
    client.force_login(accueil)
    html = client.get(reverse("diagnostics:questions", args=[case.pk])).content.decode()
    assert "Un code erreur s&#x27;affiche-t-il ?" in html
    assert f'data-parent="q_{q("code_affiche").pk}" data-parent-value="oui"' in html
    assert "Est-il de niveau et les cales de transport ont-elles été retirées ?" in html
    assert "Déroulement du SAV" in html


def test_posting_answers_with_an_unknown_code_warns_and_keeps_it(client, case, accueil):
    client.force_login(accueil)
    url = reverse("diagnostics:questions", args=[case.pk])
    data = {
        f"q_{q('code_affiche').pk}": "oui",
        f"q_{q('code_erreur').pk}": "x42",
        f"q_{q('usage').pk}": "domestique",
    }
    response = client.post(url, data, follow=True)
    html = response.content.decode()
    assert "Réponses enregistrées (3)." in html
    assert "« X42 » : code inconnu de la base." in html
    assert Answer.objects.get(question=q("code_erreur")).flag == "code inconnu de la base"


def test_posting_no_answer_is_refused_in_french(client, case, accueil):
    client.force_login(accueil)
    response = client.post(reverse("diagnostics:questions", args=[case.pk]), {})
    assert response.status_code == 400
    assert "Aucune réponse saisie : répondez au moins à une question." in response.content.decode()


def test_other_site_and_wrong_role(client, case, other_accueil, magasinier, accueil):
    client.force_login(other_accueil)
    for name in ("questions", "prediagnosis", "prediagnosis_pdf"):
        assert client.get(reverse(f"diagnostics:{name}", args=[case.pk])).status_code == 404
    client.force_login(magasinier)
    assert client.get(reverse("diagnostics:questions", args=[case.pk])).status_code == 403
    client.force_login(accueil)
    assert client.get(reverse("diagnostics:diagnosis", args=[case.pk])).status_code == 403


def test_prediagnosis_page_records_and_moves_the_dossier(client, case, accueil):
    client.force_login(accueil)
    url = reverse("diagnostics:prediagnosis", args=[case.pk])
    page = client.get(url).content.decode()
    assert "Vérifications de base avec le client" in page and "Filtre de vidange nettoyé" in page
    assert "Causes probables suggérées" in page
    items = list(ChecklistItem.objects.filter(family="lave_linge"))
    data = {f"check_{i.pk}": "non_fait" for i in items}
    data.update({f"check_{items[2].pk}": "ok", "findings": "", "leads": "Pompe"})
    bad = client.post(url, data)
    assert bad.status_code == 400 and not PreDiagnosis.objects.exists()
    data["findings"] = "Eau stagnante, filtre propre."
    response = client.post(url, data, follow=True)
    assert "Pré-diagnostic enregistré" in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.PREDIAGNOSTIQUE
    assert 'id="acknowledge-form"' in response.content.decode()


def test_acknowledgement_by_screen_signature(client, case, accueil):
    services.prediagnosis_record(case=case, actor=accueil, findings="Ne vidange pas.")
    client.force_login(accueil)
    url = reverse("diagnostics:acknowledge", args=[case.pk])
    refused = client.post(url, {"signer_name": "Nadia Lefèvre"})
    assert refused.status_code == 400
    assert (
        "Faites signer le client à l&#x27;écran, ou cochez « Signée sur papier »" in refused.content.decode()
    )
    client.post(url, {"signer_name": "Nadia Lefèvre", "signature": PNG})
    pre = PreDiagnosis.objects.get()
    assert (pre.acknowledgement, pre.signer_name) == ("ecran", "Nadia Lefèvre")


def pdf_text(content: bytes) -> str:
    """The PDF's text with every run of spaces (line breaks, non-breaking spaces) as one space."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


def test_the_prediagnosis_sheet_pdf(client, case, accueil, tariffs):
    services.answers_save(
        case=case, actor=accueil,
        answers={q("code_affiche").pk: "oui", q("code_erreur").pk: "E18", q("usage").pk: "domestique"},
    )  # fmt: skip
    items = list(ChecklistItem.objects.filter(family="lave_linge"))
    services.prediagnosis_record(
        case=case, actor=accueil, findings="Eau stagnante dans le tambour.", leads="Pompe de vidange",
        told_customer="Diagnostic sous 3 jours ouvrés, forfait 39 € HT.",
        checks={items[2].pk: ("ok", "propre")},
    )  # fmt: skip
    pre = PreDiagnosis.objects.get()
    services.prediagnosis_acknowledge(
        prediagnosis=pre, actor=accueil, signer_name="Nadia Lefèvre", on_paper=True
    )
    client.force_login(accueil)
    response = client.get(reverse("diagnostics:prediagnosis_pdf", args=[case.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for expected in (
        "Fiche de pré-diagnostic",
        case.number,
        "Il ne vidange plus, l'eau reste au fond.",
        "Un code erreur s'affiche-t-il ?",
        "E18",
        "Filtre de vidange nettoyé (objets, peluches)",
        "Conforme",
        "Eau stagnante dans le tambour.",
        "Pompe de vidange",
        "Diagnostic sous 3 jours ouvrés, forfait 39 € HT.",
        # prices TTC for the consumer (L112-1): 39,00 € HT at 20 % = 46,80 € TTC; 58,00 € HT = 69,60 € TTC
        "Forfait diagnostic : 46,80\u00a0€ TTC (39,00\u00a0€ HT) · main-d'œuvre 69,60\u00a0€ TTC de l'heure.",
        "Signé sur papier par Nadia Lefèvre",
    ):
        assert " ".join(expected.split()) in text, expected

    # a user of the English interface still hands the customer a French sheet (issue 15, point 7)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Repair file" in client.get(reverse("repairs:list")).content.decode()
    english = pdf_text(client.get(reverse("diagnostics:prediagnosis_pdf", args=[case.pk])).content)
    assert ("Fiche de pré-diagnostic" in english, "Signé sur papier par Nadia Lefèvre" in english) == (
        True,
        True,
    )


def test_diagnosis_page_and_bad_measurement(client, case, accueil, technicien, multimeter):
    services.prediagnosis_record(case=case, actor=accueil, findings="Ne vidange pas.")
    client.force_login(technicien)
    url = reverse("diagnostics:diagnosis", args=[case.pk])
    html = client.get(url + "?q=pompe").content.decode()
    assert "Mesures" in html and "Bobine de la pompe de vidange" in html and "Documents de ce modèle" in html
    check = Check.objects.get(family="lave_linge", title="Bobine de la pompe de vidange")
    bad = client.post(
        reverse("diagnostics:measurement_add", args=[case.pk]),
        {"check": check.pk, "instrument": multimeter.pk, "value": "-5", "unit": "ohm"},
    )
    assert bad.status_code == 400
    assert "Une valeur en Ω ne peut pas être négative : vérifiez la mesure." in bad.content.decode()
    assert not Measurement.objects.exists()
    typed = client.post(
        reverse("diagnostics:measurement_add", args=[case.pk]),
        {"check": check.pk, "instrument": "mon multimètre", "value": "320", "unit": "ohm"},
    )  # the instrument is chosen from the register, never typed
    assert typed.status_code == 400 and not Measurement.objects.exists()
    ok = client.post(
        reverse("diagnostics:measurement_add", args=[case.pk]),
        {"check": check.pk, "instrument": multimeter.pk, "value": "320", "unit": "ohm"},
        follow=True,
    )
    assert "Mesure enregistrée : 320 Ω, NON CONFORME." in ok.content.decode()
    assert Measurement.objects.get().tool == multimeter
    saved = client.post(
        url, {"conclusion": "Bobine coupée ?", "labour_hours": "1", "unsolved": "on"}, follow=True
    )
    assert "Diagnostic enregistré." in saved.content.decode()
    noted = client.post(
        reverse("diagnostics:source_add", args=[case.pk]),
        {
            "kind": "portail_constructeur",
            "reference": "Bulletin BSH 2025-118",
            "notes": "Bobine à remplacer.",
        },
        follow=True,
    )
    page = noted.content.decode()
    assert "Source consultée enregistrée." in page and "Bulletin BSH 2025-118" in page
    dossier = dossier_page(client, case.pk)
    assert "panne non résolue" in dossier and "Portail technique du fabricant" in dossier


def test_the_diagnosis_forms_of_another_sites_dossier_answer_404(client, case, site, other_site):
    from atelier.core.choices import Role
    from atelier.core.tests.factories import UserFactory

    client.force_login(UserFactory(username="tech-lyon", roles=[Role.TECHNICIEN], sites=[other_site]))
    for name in ("diagnosis", "measurement_add", "part_add", "source_add"):
        assert client.post(reverse(f"diagnostics:{name}", args=[case.pk]), {}).status_code == 404, name
    assert not Measurement.objects.exists()
