"""The Factur-X XML of every kind of document passes the EN 16931 business rules (Schematron, CII syntax) with
no fatal assert, and the schema (XSD) still: an invoice of goods and services at two VAT rates, a deposit
invoice, the final invoice after the deposit, a credit note, an invoice with a repair bonus."""

from decimal import Decimal

import pytest
from facturx import xml_check_xsd
from lxml import etree

from atelier.billing import services
from atelier.billing.documents import facturx_xml
from atelier.billing.models import Invoice
from atelier.billing.tests import deposit_helpers, schematron
from atelier.billing.tests.conftest import NO_USED, repair_in_workshop, walk_to_ready
from atelier.billing.tests.deposit_helpers import deposit
from atelier.customers.models import Customer

pytestmark = pytest.mark.django_db
quote = deposit_helpers.quote
accepted = deposit_helpers.accepted
two_rates = deposit_helpers.two_rates
en16931 = schematron.en16931
D = Decimal
NS = {"ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"}


def _business(case):
    Customer.objects.filter(pk=case.customer_id).update(
        kind="professionnel", company_name="Blanchisserie Martin", siren="552100554", address="3 rue Haute"
    )
    case.refresh_from_db()
    return case


def _valid(xml: bytes, en16931) -> None:
    assert xml_check_xsd(xml, flavor="factur-x", level="en16931")
    assert en16931(xml) == []


def _sums(xml: bytes) -> dict[str, Decimal]:
    summation = etree.fromstring(xml).find(".//ram:SpecifiedTradeSettlementHeaderMonetarySummation", NS)
    return {etree.QName(node).localname: D(node.text) for node in summation}


def test_an_invoice_of_goods_and_services_at_two_rates(two_rates, accueil, technicien, en16931):
    case = _business(repair_in_workshop(two_rates.case, technicien))
    invoice = services.invoice_issue(case=case, actor=accueil)
    xml = facturx_xml(invoice)
    _valid(xml, en16931)
    assert _sums(xml) == {
        "LineTotalAmount": D("151.40"),
        "TaxBasisTotalAmount": D("151.40"),
        "TaxTotalAmount": D("27.38"),
        "GrandTotalAmount": D("178.78"),
        "TotalPrepaidAmount": D("0.00"),
        "DuePayableAmount": D("178.78"),
    }
    rates = [
        n.text
        for n in etree.fromstring(xml).iterfind(
            ".//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/ram:RateApplicablePercent", NS
        )
    ]
    assert rates == ["5.50", "20.00"]


def test_a_deposit_invoice_and_the_final_invoice_after_it(accepted, accueil, technicien, en16931):
    case = _business(accepted.case)
    deposit(case, accueil)
    down = Invoice.objects.get()
    xml = facturx_xml(down)
    _valid(xml, en16931)
    # issued for money already received: all of it prepaid, nothing due
    assert (_sums(xml)["TotalPrepaidAmount"], _sums(xml)["DuePayableAmount"]) == (D("50.00"), D("0.00"))
    final = services.invoice_issue(case=repair_in_workshop(case, technicien), actor=accueil)
    xml = facturx_xml(final)
    _valid(xml, en16931)
    assert _sums(xml) == {
        "LineTotalAmount": D("89.73"),
        "TaxBasisTotalAmount": D("89.73"),
        "TaxTotalAmount": D("17.95"),
        "GrandTotalAmount": D("107.68"),
        "TotalPrepaidAmount": D("0.00"),
        "DuePayableAmount": D("107.68"),
    }


def test_a_credit_note(accepted, accueil, technicien, comptable, en16931):
    case = _business(repair_in_workshop(accepted.case, technicien))
    invoice = services.invoice_issue(case=case, actor=accueil)
    note = services.credit_note_issue(invoice=invoice, actor=comptable, amount_ttc="24", reason="Geste")
    xml = facturx_xml(note)
    _valid(xml, en16931)
    assert b"<ram:TypeCode>381</ram:TypeCode>" in xml
    assert _sums(xml) == {
        "LineTotalAmount": D("20.00"),
        "TaxBasisTotalAmount": D("20.00"),
        "TaxTotalAmount": D("4.00"),
        "GrandTotalAmount": D("24.00"),
        "TotalPrepaidAmount": D("0.00"),
        "DuePayableAmount": D("24.00"),
    }


def test_an_invoice_with_a_repair_bonus(
    case,
    solution,
    accueil,
    technicien,
    pump,
    consumed,
    billing_on,
    labelled,
    en16931,
):
    from atelier.quotes import services as quote_services

    bonus_quote = quote_services.quote_create(
        case=case, actor=accueil, solution=solution, used_part_info=NO_USED
    )
    quote_services.quote_set_bonus(quote=bonus_quote, actor=accueil, apply=True)
    consumed[pump.pk] = D("1")
    walk_to_ready(case, bonus_quote, accueil, technicien)
    invoice = services.invoice_issue(case=case, actor=accueil)
    assert invoice.bonus_amount == D("50.00")
    xml = facturx_xml(invoice)  # the bonus is for households: this XML is built, not served (plain PDF)
    _valid(xml, en16931)
    assert (
        _sums(xml)["GrandTotalAmount"],
        _sums(xml)["TotalPrepaidAmount"],
        _sums(xml)["DuePayableAmount"],
    ) == (
        D("157.68"),
        D("50.00"),
        D("107.68"),
    )


def test_two_rates_deposit_its_credit_note_and_the_final_invoice(
    two_rates,
    accueil,
    technicien,
    comptable,
    site,
    en16931,
):
    """Deductions and credit notes at two VAT rates, with the VAT on debits option (BT-8): still valid."""
    site.vat_on_debits = True
    site.save()
    case = _business(two_rates.case)
    deposit(case, accueil, amount="60")
    deposit(case, accueil, amount="40")
    first, second = Invoice.objects.order_by("pk")
    note = services.credit_note_issue(invoice=second, actor=comptable, amount_ttc="40", reason="Erreur")
    final = services.invoice_issue(case=repair_in_workshop(case, technicien), actor=accueil)
    for document in (first, second, note, final):
        _valid(facturx_xml(document), en16931)
    assert _sums(facturx_xml(final))["GrandTotalAmount"] == D("118.78")  # 178,78 less the 60 € standing
