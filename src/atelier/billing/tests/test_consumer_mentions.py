"""Consumer-law mentions of the invoice (issue 18, points 1 and 6): the date and place of the work, the shop's
repair guarantee of the site with the elements of a commercial guarantee (Code de la consommation L217-21,
L217-22), and the buyer's VAT number printed only when the customer gave it (never derived from the SIREN)."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from pypdf import PdfReader

from atelier.billing import services
from atelier.billing.documents import invoice_pdf
from atelier.customers.models import Customer
from atelier.repairs.choices import CaseStatus

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


def test_invoice_states_the_date_and_place_of_the_work(ready_case, accueil):
    """A service's note states the date and place of the work (arrêté n° 83-50/A du 3 octobre 1983)."""
    repaired_at = ready_case.events.filter(to_status=CaseStatus.REPARE).latest("at").at
    invoice = services.invoice_issue(case=ready_case, actor=accueil)
    expected = (
        f"Travaux réalisés le {timezone.localdate(repaired_at):%d/%m/%Y}. Lieu d'exécution : En atelier : "
        "12 rue de la République, 75011 Paris."
    )
    assert invoice.mentions["work"] == expected
    assert expected in _text(invoice_pdf(invoice))


def test_invoice_prints_the_site_repair_guarantee_as_a_commercial_guarantee(ready_case, accueil, site):
    """L217-21/22: content, conditions, duration (the site's, aftersales.RepairGuaranteeTerm), territory,
    guarantor's name and address, and the legal guarantees that remain."""
    from atelier.aftersales.models import RepairGuaranteeTerm

    RepairGuaranteeTerm.objects.create(site=site, valid_from=datetime.date(2024, 1, 1), days=365)
    invoice = services.invoice_issue(case=ready_case, actor=accueil)
    assert invoice.mentions["warranty"] == (
        "Garantie commerciale de la réparation : pièces et main-d'œuvre, pour la même panne que celle réparée ; "
        "l'atelier reprend gratuitement la réparation (pièces remplacées et main-d'œuvre). "
        "Durée : 365 jours à compter de la remise de l'appareil réparé. "
        "Mise en œuvre : présenter la facture à l'atelier ou nous contacter ; la garantie est comprise dans le prix "
        "de la réparation, sans supplément. "
        "Étendue territoriale : France métropolitaine, à l'atelier ou dans sa zone d'intervention. "
        "Garant : Réparations Dupont SARL, 12 rue de la République, 75011 Paris. "
        "Indépendamment de cette garantie commerciale, Réparations Dupont SARL reste tenu de la garantie légale de "
        "conformité mentionnée aux articles L217-3 à L217-20 du Code de la consommation et de la garantie relative "
        "aux défauts de la chose vendue, dans les conditions prévues aux articles 1641 à 1648 et 2232 du Code civil "
        "(art. L217-22 du Code de la consommation)."
    )
    text = _text(invoice_pdf(invoice))
    assert "Durée : 365 jours à compter de la remise de l'appareil réparé." in text
    assert "Réparation garantie 90 jours" not in text


def test_buyer_vat_number_printed_only_when_the_customer_gave_it(ready_case, accueil):
    Customer.objects.filter(pk=ready_case.customer_id).update(
        kind="professionnel", company_name="Blanchisserie Martin", siren="552100554"
    )
    ready_case.refresh_from_db()
    invoice = services.invoice_issue(case=ready_case, actor=accueil)
    text = _text(invoice_pdf(invoice))
    assert "SIREN 552100554" in text
    assert "FR96552100554" not in text  # the number a SIREN would give: never derived nor printed


def test_stored_buyer_vat_number_is_printed(ready_case, accueil):
    Customer.objects.filter(pk=ready_case.customer_id).update(
        kind="professionnel",
        company_name="Blanchisserie Martin",
        siren="552100554",
        vat_number="FR96552100554",
    )
    ready_case.refresh_from_db()
    invoice = services.invoice_issue(case=ready_case, actor=accueil)
    assert invoice.buyer["vat_number"] == "FR96552100554"
    assert "TVA intracommunautaire FR96552100554" in _text(invoice_pdf(invoice))


def test_customer_vat_number_is_checked_and_never_for_a_private_customer(ready_case):
    customer = ready_case.customer
    customer.vat_number = "FR00552100554"
    with pytest.raises(ValidationError) as exc:
        customer.full_clean()
    assert exc.value.message_dict["vat_number"] == [
        "« FR00552100554 » n'est pas un numéro de TVA intracommunautaire français valide (FR + 11 caractères).",
        "Un particulier n'a pas de numéro de TVA intracommunautaire.",
    ]
    customer.kind, customer.company_name, customer.siren = "professionnel", "Martin", "552100554"
    customer.vat_number = "DE136695976"  # another Member State's: its shape is checked
    customer.full_clean()


def test_vat_number_typed_with_spaces_is_stored_compact_and_a_wrong_one_refused(ready_case, accueil):
    from atelier.customers.services import customer_update

    customer = customer_update(
        actor=accueil,
        customer=ready_case.customer,
        kind="professionnel",
        company_name="Blanchisserie Martin",
        siren="552 100 554",
        vat_number="fr 96 552 100 554",
    )
    assert customer.vat_number == "FR96552100554"
    with pytest.raises(ValidationError) as exc:  # the customers services' way: the form shows it on the field
        customer_update(actor=accueil, customer=customer, vat_number="FR00552100554")
    assert exc.value.message_dict == {
        "vat_number": [
            "« FR00552100554 » n'est pas un numéro de TVA intracommunautaire français valide (FR + 11 caractères)."
        ]
    }
    customer.refresh_from_db()
    assert customer.vat_number == "FR96552100554"
