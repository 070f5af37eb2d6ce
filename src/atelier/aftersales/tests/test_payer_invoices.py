"""Third-party payers at invoicing (issue 18 point 3): the customer's invoice keeps its lines whole and takes back
what each payer pays, each payer gets its own B2B invoice (same sequence, journal, Factur-X valid against EN
16931), a covered-in-full dossier gives a zero-euro customer invoice, a payer without SIREN is refused."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from facturx import xml_check_xsd

from atelier.aftersales.models_payers import PayerClaim
from atelier.aftersales.services_payers import case_split_set
from atelier.aftersales.tests import payer_helpers
from atelier.billing import selectors, services
from atelier.billing.documents import document_context, facturx_xml, invoice_html
from atelier.billing.models import Invoice, JournalEntry
from atelier.billing.tests import conftest as billing_fixtures
from atelier.billing.tests import schematron
from atelier.billing.verify import journal_verify
from atelier.core.errors import AtelierError

pytestmark = pytest.mark.django_db
D = Decimal
en16931 = schematron.en16931
YEAR = timezone.localdate().year
for _name in (
    "customer",
    "appliance",
    "make_case",
    "case",
    "pump",
    "solution",
    "consumed",
    "billing_on",
    "ready_case",
):
    globals()[_name] = getattr(billing_fixtures, _name)
maker, insurer, goodwill = payer_helpers.maker, payer_helpers.insurer, payer_helpers.goodwill
no_siren, covered = payer_helpers.no_siren, payer_helpers.covered


def _mixed_split(case, actor, manufacturer, insurance):
    """The manufacturer's flat labour rate (60,00 TTC of the 99,00 labour line), the insurer the pump in full
    less the customer's 20,00 excess."""
    return case_split_set(
        case=case,
        actor=actor,
        shares=[
            {"position": 1, "payer": manufacturer.pk, "mode": "montant", "value": "60,00"},
            {"position": 2, "payer": insurance.pk, "mode": "pourcentage", "value": "100"},
        ],
        excess="20,00",
        excess_payer=insurance.pk,
    )


def _lines(invoice):
    return [
        (x.kind, x.designation, x.quantity, x.unit_price_ht, x.total_ht, x.vat) for x in invoice.lines.all()
    ]


def test_the_customer_pays_the_rest_and_each_payer_gets_its_invoice(covered, accueil, maker, insurer):
    _mixed_split(covered, accueil, maker, insurer)
    invoice = services.invoice_issue(case=covered, actor=accueil)

    # the customer's invoice: both lines whole, then each payer's share taken back at its rate
    assert invoice.number == f"F-PAR1-{YEAR}-000001"
    assert _lines(invoice)[2:] == [
        (
            "tiers",
            "Pris en charge par BSH Électroménager (fabricant)",
            D("-1"),
            D("50.00"),
            D("-50.00"),
            D("-10.00"),
        ),
        (
            "tiers",
            "Pris en charge par Assurances Garantie Plus (assureur)",
            D("-1"),
            D("32.23"),
            D("-32.23"),
            D("-6.45"),
        ),
    ]
    assert (invoice.total_ht, invoice.total_vat, invoice.total_ttc) == (D("49.17"), D("9.83"), D("59.00"))
    assert (invoice.third_party_ttc, invoice.gross_ttc) == (D("98.68"), D("157.68"))
    assert selectors.balance_due(covered) == D("59.00")  # the payers' invoices are not the customer's debt

    # one B2B invoice per payer, in the same sequence, naming the customer's invoice
    maker_inv, insurer_inv = invoice.payer_invoices.order_by("number")
    assert (maker_inv.number, insurer_inv.number) == (f"F-PAR1-{YEAR}-000002", f"F-PAR1-{YEAR}-000003")
    assert maker_inv.buyer["siren"] == "341911790" and maker_inv.buyer["vat_number"] == "FR81341911790"
    assert insurer_inv.buyer["vat_number"] == ""  # unknown: printed only when known, never derived
    assert (maker_inv.is_business, maker_inv.total_ht, maker_inv.total_vat, maker_inv.total_ttc) == (
        True,
        D("50.00"),
        D("10.00"),
        D("60.00"),
    )
    assert _lines(insurer_inv) == [
        ("devis", "Pompe de vidange – réf. BSH-00145212 (neuve)", D("1"), D("32.23"), D("32.23"), D("6.45"))
    ]
    assert insurer_inv.total_ttc == D("38.68")
    # every euro once: customer + payers = the lines' price
    assert invoice.total_ttc + maker_inv.total_ttc + insurer_inv.total_ttc == D("157.68")
    assert selectors.current_invoice(covered) == invoice
    # journalled like every invoice, the chain intact
    refs = list(
        JournalEntry.objects.filter(kind="facture").order_by("seq").values_list("reference", flat=True)
    )
    assert refs == [invoice.number, maker_inv.number, insurer_inv.number]
    assert journal_verify().ok

    # each payer's claim, deadline = invoice date + the payer's days in force
    claims = {c.payer.name: c for c in PayerClaim.objects.all()}
    today = timezone.localdate()
    assert claims["BSH Électroménager"].deadline == today + datetime.timedelta(days=30)
    assert claims["Assurances Garantie Plus"].deadline == today + datetime.timedelta(days=60)
    assert (claims["BSH Électroménager"].state, claims["BSH Électroménager"].amount) == (
        "a_completer",
        D("60.00"),
    )


def test_the_customer_invoice_shows_what_third_parties_pay(covered, accueil, maker, insurer):
    _mixed_split(covered, accueil, maker, insurer)
    invoice = services.invoice_issue(case=covered, actor=accueil)
    context = document_context(invoice)
    assert [line.designation for line in context["lines"]] == [
        "Main-d'œuvre : Remplacement de la pompe de vidange",
        "Pompe de vidange – réf. BSH-00145212 (neuve)",
    ]
    assert [(r["ht"], r["vat"], r["ttc"]) for r in context["third_party"]] == [
        (D("50.00"), D("10.00"), D("60.00")),
        (D("32.23"), D("6.45"), D("38.68")),
    ]
    assert context["customer_share_ttc"] == D("59.00")
    html = invoice_html(invoice)
    assert "Pris en charge par des tiers" in html
    assert "Reste à votre charge TTC" in html and "59,00" in html


def test_payer_invoices_are_valid_factur_x(covered, accueil, maker, insurer, en16931):
    _mixed_split(covered, accueil, maker, insurer)
    invoice = services.invoice_issue(case=covered, actor=accueil)
    for payer_invoice in invoice.payer_invoices.all():
        xml = facturx_xml(payer_invoice)
        assert xml_check_xsd(xml, flavor="factur-x", level="en16931")
        assert en16931(xml) == []
        assert b"<ram:Content>B2B</ram:Content>" in xml


def test_everything_covered_gives_a_zero_euro_customer_invoice(covered, accueil, maker):
    case_split_set(
        case=covered,
        actor=accueil,
        shares=[
            {"position": 1, "payer": maker.pk, "mode": "pourcentage", "value": "100"},
            {"position": 2, "payer": maker.pk, "mode": "pourcentage", "value": "100"},
        ],
    )
    invoice = services.invoice_issue(case=covered, actor=accueil)
    assert (invoice.total_ht, invoice.total_vat, invoice.total_ttc, invoice.net_to_pay) == (
        D("0.00"),
        D("0.00"),
        D("0.00"),
        D("0.00"),
    )
    assert selectors.balance_due(covered) == D("0.00")
    (payer_invoice,) = invoice.payer_invoices.all()
    assert (payer_invoice.total_ht, payer_invoice.total_vat, payer_invoice.total_ttc) == (
        D("131.40"),
        D("26.28"),
        D("157.68"),
    )


def test_goodwill_reduces_the_customer_invoice_without_an_invoice(covered, accueil, goodwill):
    case_split_set(
        case=covered,
        actor=accueil,
        shares=[{"position": 2, "payer": goodwill.pk, "mode": "pourcentage", "value": "50"}],
    )
    invoice = services.invoice_issue(case=covered, actor=accueil)
    assert invoice.total_ttc == D("128.34")  # 157,68 − 29,34 (half the pump, 58,68)
    assert invoice.payer_invoices.count() == 0
    assert PayerClaim.objects.count() == 0
    assert Invoice.objects.count() == 1


def test_a_payer_without_siren_is_refused_and_nothing_is_written(covered, accueil, no_siren):
    case_split_set(
        case=covered,
        actor=accueil,
        shares=[{"position": 1, "payer": no_siren.pk, "mode": "montant", "value": "50"}],
    )
    with pytest.raises(AtelierError) as refused:
        services.invoice_issue(case=covered, actor=accueil)
    assert str(refused.value.message) == (
        "Facture impossible : le payeur « Extension Sans Siren (extension de garantie) » n'a pas de SIREN, sa "
        "facture (entre professionnels) ne peut pas être émise. Renseignez son SIREN dans la fiche du payeur, "
        "puis émettez la facture."
    )
    assert Invoice.objects.count() == 0 and JournalEntry.objects.count() == 0


def test_a_split_made_on_other_lines_is_refused_at_invoicing(covered, accueil, maker):
    split = case_split_set(
        case=covered,
        actor=accueil,
        shares=[{"position": 2, "payer": maker.pk, "mode": "montant", "value": "10"}],
    )
    split.shares.update(line_ttc=D("60.00"))  # as if the quote had changed since
    with pytest.raises(
        AtelierError, match="les lignes à facturer ont changé depuis, refaites la répartition"
    ):
        services.invoice_issue(case=covered, actor=accueil)
    assert Invoice.objects.count() == 0


def test_a_credit_note_on_a_payer_invoice_stays_with_the_payer(covered, accueil, responsable, maker):
    case_split_set(
        case=covered,
        actor=accueil,
        shares=[{"position": 1, "payer": maker.pk, "mode": "montant", "value": "60"}],
    )
    invoice = services.invoice_issue(case=covered, actor=accueil)
    payer_invoice = invoice.payer_invoices.get()
    note = services.credit_note_issue(
        invoice=payer_invoice, actor=responsable, amount_ttc="12,00", reason="Forfait"
    )
    assert note.main_invoice == invoice and note.number == f"AV-PAR1-{YEAR}-000001"
    assert selectors.balance_due(covered) == D(
        "97.68"
    )  # 157,68 − 60,00: the payer's credit note is not the customer's


def test_a_deposit_above_the_customers_share_is_refused(covered, accueil, maker):
    from atelier.billing.tests.deposit_helpers import deposit

    deposit(covered, accueil, amount="60")  # 60,00 received; the customer's share will be the pump, 58,68
    case_split_set(
        case=covered,
        actor=accueil,
        shares=[{"position": 1, "payer": maker.pk, "mode": "pourcentage", "value": "100"}],
    )
    with pytest.raises(AtelierError) as refused:
        services.invoice_issue(case=covered, actor=accueil)
    assert str(refused.value.message) == (
        "Facture impossible : les acomptes déjà facturés (60,00 €) dépassent le net à payer de la facture "
        "(58,68 €). Remboursez l'excédent par un avoir sur la facture d'acompte, puis émettez la facture."
    )
    assert Invoice.objects.filter(kind="facture").count() == 0
