"""« Conditions du prêt » (PDF): site, customer, the lent appliance, dossier, duration, handover, money, the
signed terms and the signature; only the loan roles of the loan's site may print it."""

import datetime
import io
from zoneinfo import ZoneInfo

from pypdf import PdfReader

from atelier.loans import services
from atelier.loans.tests.conftest import SIGNATURE
from atelier.repairs.tests.pages import dossier_page

PARIS = ZoneInfo("Europe/Paris")
AT = datetime.datetime(2026, 3, 2, 10, 30, tzinfo=PARIS)


def _loan(case, accueil, spare):
    return services.loan_create(
        case=case,
        actor=accueil,
        appliance=spare,
        due_on=datetime.date(2026, 3, 16),
        signer_name="Nadia Lefèvre",
        signature=SIGNATURE,
        delivery="livraison",
        deposit="150",
        fee="12,50",
        at=AT,
    )


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    assert (round(float(reader.pages[0].mediabox.width)), round(float(reader.pages[0].mediabox.height))) == (
        595,
        842,
    )
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_loan_terms_pdf_carries_what_the_customer_signed(client, make_case, accueil, spare):
    case = make_case()
    loan = _loan(case, accueil, spare)
    client.force_login(accueil)
    response = client.get(f"/prets/{loan.pk}/conditions.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="pret-{case.number}-PRET-LL-01.pdf"'
    text = _text(response.content)
    expected = [
        "Conditions du prêt",
        f"Dossier {case.number} · appareil lave-linge Bosch en réparation · prêt du 02/03/2026",
        "Réparations Dupont SARL",  # site identity
        "SIRET 73282932000074",
        "12 rue de la République",
        "Client Nadia LEFÈVRE",  # customer
        "PRET-LL-01 Beko WTV7712 Lave-linge Bon état",  # the lent appliance
        "Durée du prêt du 02/03/2026 au 16/03/2026 (14 jours)",
        "À rendre au plus tard le 16/03/2026",
        "Remise Livré / repris à domicile",
        "Retour Retiré / rapporté au magasin",
        "Dépôt de garantie 150,00 €, restitué au retour",
        "Frais de prêt TTC 12,50 €",
        "Prêt gracieux de l'appareil Beko WTV7712 (n° PRET-LL-01, état : bon état) pendant la réparation. "
        "À rendre au plus tard le 16/03/2026",  # the terms text signed (services.terms_text)
        "Lu et accepté par Nadia Lefèvre, le 02/03/2026 à 10:30",
    ]
    missing = [m for m in expected if m not in text]
    assert missing == [], text
    reader = PdfReader(io.BytesIO(response.content))
    assert any("/XObject" in (page.get("/Resources") or {}) for page in reader.pages)  # the signature image


def test_loan_terms_pdf_is_linked_and_kept_to_the_loans_site_and_roles(
    client, make_case, accueil, magasinier, other_accueil, spare
):
    case = make_case()
    loan = _loan(case, accueil, spare)
    client.force_login(accueil)
    assert f'href="/prets/{loan.pk}/conditions.pdf"' in dossier_page(client, case.pk)
    assert f'href="/prets/{loan.pk}/conditions.pdf"' in client.get("/prets/").content.decode()
    client.force_login(other_accueil)
    assert client.get(f"/prets/{loan.pk}/conditions.pdf").status_code == 404
    client.force_login(magasinier)
    assert client.get(f"/prets/{loan.pk}/conditions.pdf").status_code == 403
    client.logout()
    assert client.get(f"/prets/{loan.pk}/conditions.pdf").status_code == 302  # to the login page
