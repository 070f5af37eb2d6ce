"""Deposit invoices once taken: deducted per rate by the final invoice (VAT net, net to pay exact, balance
right), credited when the dossier is cancelled, numbered in the invoices' sequence, counted once by closures,
shown in the PDFs and the Factur-X of both invoices."""

import io
import json
from decimal import Decimal

import pytest
from django.utils import timezone

from atelier.billing import closures, payments, refunds, selectors, services
from atelier.billing.models import Invoice, JournalEntry
from atelier.billing.tests import deposit_helpers
from atelier.billing.tests.conftest import NO_USED, accept_on_paper, repair_in_workshop
from atelier.billing.tests.deposit_helpers import deposit as _deposit
from atelier.billing.tests.deposit_helpers import lines as _lines
from atelier.billing.tests.deposit_helpers import number as _number
from atelier.billing.verify import journal_verify
from atelier.core.errors import AtelierError
from atelier.core.models import NumberSequence
from atelier.customers.models import Customer
from atelier.quotes import services as quote_services
from atelier.repairs import services as case_services

D = Decimal
# the accepted pump quote, with one VAT rate or two (shared by the two deposit files)
quote = deposit_helpers.quote
accepted = deposit_helpers.accepted
two_rates = deposit_helpers.two_rates


# ---------------------------------------------------------------- the final invoice deducts the deposits


def test_final_invoice_deducts_the_deposit_per_rate_and_nets_the_vat(accepted, accueil, technicien):
    case = accepted.case
    _deposit(case, accueil)
    deposit = Invoice.objects.get()
    case = repair_in_workshop(case, technicien)
    final = services.invoice_issue(case=case, actor=accueil)
    assert final.number == _number("F", 2) and final.kind == "facture"
    assert _lines(final)[2:] == [
        (
            "deduction",
            f"Acompte déjà facturé : facture d'acompte n° {deposit.number} du {timezone.localdate():%d/%m/%Y}",
            D("-1.00"),
            D("41.67"),
            D("20.00"),
            D("-41.67"),
            D("-8.33"),
        )
    ]
    assert final.lines.get(kind="deduction").deposit == deposit
    # 157,68 sold − 50,00 already invoiced: VAT 26,28 − 8,33 = 17,95 on 131,40 − 41,67 = 89,73
    assert (final.total_ht, final.total_vat, final.total_ttc) == (D("89.73"), D("17.95"), D("107.68"))
    assert (final.deposits_ttc, final.gross_ttc, final.net_to_pay) == (D("50.00"), D("157.68"), D("107.68"))
    from atelier.billing.documents import breakdown

    assert [(r.rate, r.base_ht, r.vat) for r in breakdown(final)] == [(D("20.00"), D("89.73"), D("17.95"))]
    # what the customer owes in all is the quote once: 50,00 + 107,68; the deposit is already paid
    assert (selectors.amount_owed(case), selectors.balance_due(case)) == (D("157.68"), D("107.68"))
    payments.payment_take(case=case, actor=accueil, parts=[("carte", "107.68")])
    assert selectors.balance_due(case) == D("0.00")
    assert json.loads(JournalEntry.objects.get(reference=final.number).payload)["deposits_ttc"] == "50.00"
    assert journal_verify().message == "journal ok: 4 entries"


def test_two_rates_and_two_deposits_are_each_deducted_at_their_rates(two_rates, accueil, technicien):
    case = two_rates.case
    _deposit(case, accueil, amount="50")
    _deposit(case, accueil, amount="20", method="cheque")
    first, second = Invoice.objects.order_by("pk")
    # 20 × 21,10 / 178,78 = 2,360… → 2,36 at 5,5 % (HT 2,24); 17,64 at 20 % (HT 14,70)
    assert [(x.vat_rate, x.total_ht, x.vat) for x in second.lines.all()] == [
        (D("5.50"), D("2.24"), D("0.12")),
        (D("20.00"), D("14.70"), D("2.94")),
    ]
    final = services.invoice_issue(case=repair_in_workshop(case, technicien), actor=accueil)
    deductions = [(x.deposit_id, x.vat_rate, x.total_ht, x.vat) for x in final.lines.filter(kind="deduction")]
    assert deductions == [
        (first.pk, D("5.50"), D("-5.59"), D("-0.31")),
        (first.pk, D("20.00"), D("-36.75"), D("-7.35")),
        (second.pk, D("5.50"), D("-2.24"), D("-0.12")),
        (second.pk, D("20.00"), D("-14.70"), D("-2.94")),
    ]
    from atelier.billing.documents import breakdown

    # 5,5 %: 20,00 − 5,59 − 2,24 = 12,17 and 1,10 − 0,31 − 0,12 = 0,67; 20 %: 131,40 − 51,45 = 79,95, 26,28 − 10,29
    assert [(r.rate, r.base_ht, r.vat) for r in breakdown(final)] == [
        (D("5.50"), D("12.17"), D("0.67")),
        (D("20.00"), D("79.95"), D("15.99")),
    ]
    assert (final.total_ht, final.total_vat, final.total_ttc) == (D("92.12"), D("16.66"), D("108.78"))
    assert final.deposits_ttc == D("70.00") and final.net_to_pay == D("178.78") - D("70.00")
    assert selectors.balance_due(case) == D("108.78")


def test_complementary_sale_after_a_deposit_is_invoiced_and_the_deposit_deducted(
    accepted, accueil, technicien
):
    from atelier.billing.handover import offer_record
    from atelier.billing.models import Suggestion

    _deposit(accepted.case, accueil)
    descaler = Suggestion.objects.get(designation="Détartrant lave-linge (2 doses)")
    offer_record(case=accepted.case, actor=accueil, suggestion=descaler, accepted=True)
    final = services.invoice_issue(case=repair_in_workshop(accepted.case, technicien), actor=accueil)
    assert list(final.lines.values_list("kind", flat=True)) == ["devis", "devis", "complement", "deduction"]
    assert (final.gross_ttc, final.total_ttc) == (
        D("157.68") + D("11.88"),
        D("157.68") + D("11.88") - D("50"),
    )


def test_deposits_above_the_final_invoice_refuse_it_until_credited(
    case, solution, accueil, technicien, comptable, pump, consumed, billing_on
):
    _deposit(case, accueil, amount="200")  # no quote yet: no cap
    deposit = Invoice.objects.get()
    quote = quote_services.quote_create(case=case, actor=accueil, solution=solution, used_part_info=NO_USED)
    consumed[pump.pk] = D("1")
    case = repair_in_workshop(accept_on_paper(quote, accueil).case, technicien)
    with pytest.raises(AtelierError, match="Facture impossible : les acomptes déjà facturés") as info:
        services.invoice_issue(case=case, actor=accueil)
    assert info.value.message == (
        "Facture impossible : les acomptes déjà facturés (200,00 €) dépassent le net à payer de la facture "
        "(157,68 €). Remboursez l'excédent par un avoir sur la facture d'acompte, puis émettez la facture."
    )
    assert Invoice.objects.count() == 1
    services.credit_note_issue(
        invoice=deposit, actor=comptable, amount_ttc="42.32", reason="Trop-perçu remboursé"
    )
    final = services.invoice_issue(case=case, actor=accueil)
    # 200 − 42,32 = 157,68 stands: the final invoice is all deducted, nothing left to pay
    assert (final.total_ht, final.total_vat, final.total_ttc, final.deposits_ttc) == (
        D("0.00"),
        D("0.00"),
        D("0.00"),
        D("157.68"),
    )


# ---------------------------------------------------------------- credit notes on a deposit invoice


def test_cancelled_dossier_deposit_refunded_by_a_credit_note(accepted, accueil, comptable, responsable):
    case = accepted.case
    _deposit(case, accueil)
    deposit = Invoice.objects.get()
    case_services.case_cancel(case=case, actor=responsable, note="Le client renonce à la réparation.")
    note = services.credit_note_issue(
        invoice=deposit, actor=comptable, amount_ttc="50,00", reason="Dossier annulé : acompte remboursé"
    )
    assert (note.kind, note.number, note.credited) == ("avoir", _number("AV", 1), deposit)
    assert (note.total_ht, note.total_vat, note.total_ttc) == (D("41.67"), D("8.33"), D("50.00"))
    assert note.mentions["credit"] == (
        f"Avoir sur la facture d'acompte n° {deposit.number} du {timezone.localdate():%d/%m/%Y}."
    )
    assert selectors.invoice_remaining(deposit) == D("0.00")
    with pytest.raises(AtelierError, match="dépasse ce qui reste de la facture") as info:
        services.credit_note_issue(invoice=deposit, actor=comptable, amount_ttc="0.01", reason="Encore")
    assert (
        info.value.message
        == f"L'avoir (0,01 €) dépasse ce qui reste de la facture {deposit.number} (0,00 €)."
    )
    assert Invoice.objects.filter(kind="avoir").count() == 1
    # the money itself goes back to the card that paid the deposit; the cancelled dossier then owes nothing
    assert selectors.balance_due(case) == D("-50.00")
    refund = refunds.refund_make(case=case, actor=accueil, method="carte", amount="50,00")
    assert (refund.amount, refund.invoice) == (D("-50.00"), note)
    assert selectors.balance_due(case) == D("0.00")
    assert journal_verify().ok


def test_partial_credit_notes_on_a_two_rate_deposit_reverse_its_vat_exactly(two_rates, accueil, comptable):
    _deposit(two_rates.case, accueil)
    deposit = Invoice.objects.get()
    first = services.credit_note_issue(invoice=deposit, actor=comptable, amount_ttc="25", reason="Moitié")
    assert [(x.vat_rate, x.total_ht, x.vat) for x in first.lines.all()] == [
        (D("5.50"), D("2.80"), D("0.15")),
        (D("20.00"), D("18.38"), D("3.67")),
    ]
    last = services.credit_note_issue(invoice=deposit, actor=comptable, amount_ttc="25", reason="Solde")
    # the last one takes exactly what stands per rate: the two credit notes reverse the deposit to the cent
    assert [(x.vat_rate, x.total_ht, x.vat) for x in last.lines.all()] == [
        (D("5.50"), D("2.79"), D("0.16")),
        (D("20.00"), D("18.37"), D("3.68")),
    ]
    assert first.total_vat + last.total_vat == deposit.total_vat


def test_a_deducted_deposit_is_corrected_on_the_final_invoice(accepted, accueil, technicien, comptable):
    _deposit(accepted.case, accueil)
    deposit = Invoice.objects.get()
    final = services.invoice_issue(case=repair_in_workshop(accepted.case, technicien), actor=accueil)
    with pytest.raises(AtelierError, match="est déjà déduite de la facture") as info:
        services.credit_note_issue(invoice=deposit, actor=comptable, amount_ttc="10", reason="Erreur")
    assert info.value.message == (
        f"La facture d'acompte {deposit.number} est déjà déduite de la facture {final.number} : la correction se "
        f"fait par un avoir sur la facture {final.number}."
    )
    assert not Invoice.objects.filter(kind="avoir").exists()


# ---------------------------------------------------------------- numbering, closures


def test_numbering_is_one_continuous_sequence_across_invoices_deposits_and_credit_notes(
    accepted, make_case, accueil, technicien, comptable, responsable
):
    other = make_case()
    _deposit(accepted.case, accueil)  # F-1
    _deposit(other, accueil, amount="30")  # F-2 (no quote: standard rate)
    case_services.case_cancel(case=other, actor=responsable, note="Annulé par le client.")
    other_deposit = Invoice.objects.get(case=other)
    services.credit_note_issue(
        invoice=other_deposit, actor=comptable, amount_ttc="30", reason="Remboursé"
    )  # AV-1
    final = services.invoice_issue(case=repair_in_workshop(accepted.case, technicien), actor=accueil)  # F-3
    services.credit_note_issue(invoice=final, actor=comptable, amount_ttc="7.68", reason="Geste")  # AV-2
    documents = list(Invoice.objects.order_by("issued_at", "pk").values_list("kind", "number"))
    assert documents == [
        ("acompte", _number("F", 1)),
        ("acompte", _number("F", 2)),
        ("avoir", _number("AV", 1)),
        ("facture", _number("F", 3)),
        ("avoir", _number("AV", 2)),
    ]
    # no second sequence for deposits, no gap, no duplicate
    sequences = NumberSequence.objects.filter(
        site=accepted.case.site, kind__in=["facture", "acompte", "avoir"]
    )
    assert dict(sequences.values_list("kind", "last_value")) == {"facture": 3, "avoir": 2}
    assert journal_verify().message == "journal ok: 7 entries"


def test_daily_closure_counts_the_deposit_and_the_net_final_invoice_once(
    accepted, accueil, technicien, comptable, site
):
    _deposit(accepted.case, accueil)
    services.invoice_issue(case=repair_in_workshop(accepted.case, technicien), actor=accueil)
    closure = closures.closure_run(site=site, actor=comptable, period="jour", start=timezone.localdate())
    assert (
        closure.invoices_ttc,
        closure.total_ht,
        closure.total_vat,
        closure.payments,
        closure.grand_total,
    ) == (
        D("157.68"),
        D("131.40"),
        D("26.28"),
        D("50.00"),
        D("157.68"),
    )


# ---------------------------------------------------------------- documents


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_pdfs_read_back_show_the_deposit_invoice_and_the_deduction_block(accepted, accueil, technicien):
    from atelier.billing.documents import invoice_pdf

    _deposit(accepted.case, accueil)
    deposit = Invoice.objects.get()
    text = _pdf_text(invoice_pdf(deposit))
    for expected in (
        f"Facture d'acompte n° {deposit.number}",
        f"Acompte sur le devis {accepted.number}",
        "SIREN 732829320",
        "TVA 20 % sur 41,67",
        "facture acquittée",
        "art. 269-2-c du CGI",
    ):
        assert expected in text, expected
    final = services.invoice_issue(case=repair_in_workshop(accepted.case, technicien), actor=accueil)
    text = _pdf_text(invoice_pdf(final))
    for expected in (
        f"Facture n° {final.number}",
        "Acomptes déjà facturés",
        f"n° {deposit.number}",
        "− 41,67",
        "− 8,33",
        "− 50,00",
        "TVA 20 % nette sur 89,73",
        "Net à payer TTC",
        "107,68",
    ):
        assert expected in text, expected
    assert "Acompte déjà facturé : facture" not in text  # the deduction is its own block, not a sold line


def test_facturx_of_the_deposit_and_of_the_final_invoice_validate(accepted, accueil, technicien):
    from facturx import get_facturx_xml_from_pdf, xml_check_xsd
    from lxml import etree

    from atelier.billing.documents import facturx_pdf, facturx_xml

    Customer.objects.filter(pk=accepted.case.customer_id).update(
        kind="professionnel", company_name="Blanchisserie Martin", siren="552100554", address="3 rue Haute"
    )
    case = accepted.case
    case.refresh_from_db()
    _deposit(case, accueil)
    deposit = Invoice.objects.get()
    assert deposit.is_business and "40 €" in deposit.mentions["payment"]
    xml = facturx_xml(deposit)
    assert xml_check_xsd(xml, flavor="factur-x", level="en16931")
    assert b"<ram:TypeCode>386</ram:TypeCode>" in xml  # UNTDID 1001: prepayment invoice
    # BT-23: labour and a part already paid (M2); the final invoice after the deposit is M4
    assert b"<ram:BusinessProcessSpecifiedDocumentContextParameter><ram:ID>M2</ram:ID>" in xml
    assert b"<ram:TotalPrepaidAmount>50.00</ram:TotalPrepaidAmount>" in xml  # already paid
    assert b"<ram:DuePayableAmount>0.00</ram:DuePayableAmount>" in xml
    final = services.invoice_issue(case=repair_in_workshop(case, technicien), actor=accueil)
    payments.payment_take(case=case, actor=accueil, parts=[("carte", "7.68")])
    xml = facturx_xml(final)
    assert xml_check_xsd(xml, flavor="factur-x", level="en16931")
    assert b"<ram:BusinessProcessSpecifiedDocumentContextParameter><ram:ID>M4</ram:ID>" in xml
    ns = {
        "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
        "qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
    }
    root = etree.fromstring(xml)

    def one(path):
        return D(
            root.findtext(f".//ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:{path}", namespaces=ns)
        )

    lines = [D(x.text) for x in root.iterfind(".//ram:LineTotalAmount", namespaces=ns)][:-1]
    # the deposit is taken back as a line at −1 × 41,67 at 20 %: VAT net, amounts consistent (EN 16931 BR-CO-10…16)
    assert lines == [D("82.50"), D("48.90"), D("-41.67")] and sum(lines) == one("LineTotalAmount")
    assert (one("LineTotalAmount"), one("TaxBasisTotalAmount"), one("TaxTotalAmount")) == (
        D("89.73"),
        D("89.73"),
        D("17.95"),
    )
    assert one("GrandTotalAmount") == D("107.68") == one("TaxBasisTotalAmount") + one("TaxTotalAmount")
    # the 7,68 paid after issue is on the receipt, not in the invoice (its XML never changes once issued)
    assert (one("TotalPrepaidAmount"), one("DuePayableAmount")) == (D("0.00"), D("107.68"))
    assert one("DuePayableAmount") == one("GrandTotalAmount") - one("TotalPrepaidAmount")
    refs = root.findall(".//ram:ApplicableHeaderTradeSettlement/ram:InvoiceReferencedDocument", namespaces=ns)
    assert [r.findtext("ram:IssuerAssignedID", namespaces=ns) for r in refs] == [deposit.number]
    _filename, embedded = get_facturx_xml_from_pdf(facturx_pdf(final), check_xsd=True)
    assert deposit.number.encode() in embedded
