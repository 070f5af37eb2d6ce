"""Invoices and credit notes: lines from the accepted quote, the parts check, the legal mentions, numbering,
immutability (model, admin), credit notes bounded by what remains, Factur-X validated."""

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.admin.sites import site as admin_site
from django.test import RequestFactory
from django.utils import timezone
from facturx import xml_check_xsd
from lxml import etree

from atelier.billing import services
from atelier.billing.choices import JournalKind
from atelier.billing.models import Invoice, InvoiceLine, JournalEntry
from atelier.core.errors import AtelierError, TransitionRefused
from atelier.customers.models import Customer

D = Decimal


def test_invoice_takes_the_accepted_quote_lines_and_every_mention(invoice, ready_case, site):
    year = timezone.localtime(invoice.issued_at).year
    assert invoice.number == f"F-PAR1-{year}-000001"
    lines = list(
        invoice.lines.values_list("designation", "quantity", "unit_price_ht", "vat_rate", "total_ht", "vat")
    )
    assert lines == [
        (
            "Main-d'œuvre : Remplacement de la pompe de vidange",
            D("1.50"),
            D("55.00"),
            D("20.00"),
            D("82.50"),
            D("16.50"),
        ),
        (
            "Pompe de vidange – réf. BSH-00145212 (neuve)",
            D("1.00"),
            D("48.90"),
            D("20.00"),
            D("48.90"),
            D("9.78"),
        ),
    ]
    assert (invoice.total_ht, invoice.total_vat, invoice.total_ttc) == (D("131.40"), D("26.28"), D("157.68"))
    assert invoice.net_to_pay == D("157.68") and invoice.bonus_amount == D("0.00")
    assert invoice.seller["siren"] == "732829320" and invoice.seller["siret"] == "73282932000074"
    assert invoice.seller["vat_number"] == "FR44732829320"
    assert invoice.buyer == {
        "name": ready_case.customer.display_name,
        "address": "",
        "address2": "",
        "postcode": "75011",
        "city": "Paris",
        "siren": "",
        "vat_number": "",
    }
    # the shop's repair guarantee with the elements of a commercial guarantee (L217-21/22); no site term:
    # the global dated figure, 90 days
    assert invoice.mentions["warranty"].startswith(
        "Garantie commerciale de la réparation : pièces et main-d'œuvre, pour la même panne que celle réparée"
    )
    assert "Durée : 90 jours à compter de la remise de l'appareil réparé." in invoice.mentions["warranty"]
    assert "garantie légale de conformité" in invoice.mentions["guarantee"]  # a part was sold
    assert "40 €" not in invoice.mentions["payment"]  # a private customer
    entry = JournalEntry.objects.get()
    assert (entry.kind, entry.reference, entry.amount) == (JournalKind.FACTURE, invoice.number, D("157.68"))


def test_business_customer_gets_vat_numbers_due_date_and_the_40_euro_fee(ready_case, accueil):
    Customer.objects.filter(pk=ready_case.customer_id).update(
        kind="professionnel", company_name="Blanchisserie Martin", siren="552100554"
    )
    ready_case.refresh_from_db()
    invoice = services.invoice_issue(case=ready_case, actor=accueil)
    # no number given by the customer: none printed, never one derived from the SIREN (a business may be
    # exempt or not registered for VAT: CGI art. 242 nonies A prints the buyer's number only when it has one)
    assert invoice.is_business and invoice.buyer["siren"] == "552100554" and invoice.buyer["vat_number"] == ""
    # The due date counts from the issue date in Paris, whatever the hour (23:30 UTC is already tomorrow).
    assert invoice.due_on == timezone.localdate(invoice.issued_at) + datetime.timedelta(days=30)
    assert "indemnité forfaitaire pour frais de recouvrement de 40 €" in invoice.mentions["payment"]
    assert "trois fois le taux d'intérêt légal" in invoice.mentions["payment"]


def test_bonus_is_deducted_from_the_net_to_pay(
    case, solution, accueil, technicien, pump, consumed, billing_on, labelled
):
    from atelier.billing.tests.conftest import NO_USED, walk_to_ready
    from atelier.quotes import services as quote_services

    quote = quote_services.quote_create(case=case, actor=accueil, solution=solution, used_part_info=NO_USED)
    quote_services.quote_set_bonus(quote=quote, actor=accueil, apply=True)
    quote.refresh_from_db()
    assert quote.bonus_amount > 0
    consumed[pump.pk] = D("1")
    walk_to_ready(case, quote, accueil, technicien)
    invoice = services.invoice_issue(case=case, actor=accueil)
    assert invoice.bonus_amount == quote.bonus_amount
    assert invoice.net_to_pay == D("157.68") - quote.bonus_amount
    assert (
        invoice.bonus_label.startswith("Bonus réparation QualiRépar")
        and "QR-2024-0001" in invoice.bonus_label
    )


def test_parts_used_differing_from_the_signed_quote_refuse_the_invoice(ready_case, accueil, consumed, pump):
    consumed[pump.pk] = D("2")
    with pytest.raises(
        AtelierError, match="Facture impossible : les pièces utilisées diffèrent du devis signé"
    ) as info:
        services.invoice_issue(case=ready_case, actor=accueil)
    assert info.value.message == (
        "Facture impossible : les pièces utilisées diffèrent du devis signé (BSH-00145212 : 1 au devis, "
        "2 utilisée(s)) : faites accepter une nouvelle version du devis par le client avant de facturer."
    )
    assert not Invoice.objects.exists() and not JournalEntry.objects.exists()


def test_invoice_refused_before_the_repair_is_done_and_twice(make_case, accueil, ready_case, invoice):
    with pytest.raises(AtelierError, match="déjà facturé"):
        services.invoice_issue(case=ready_case, actor=accueil)
    with pytest.raises(TransitionRefused, match="la facture s'émet une fois la réparation terminée"):
        services.invoice_issue(case=make_case(), actor=accueil)
    assert Invoice.objects.count() == 1


def test_technician_and_accountant_cannot_issue(ready_case, technicien, comptable):
    for user in (technicien, comptable):
        with pytest.raises(AtelierError, match="Votre rôle ne permet pas cette opération."):
            services.invoice_issue(case=ready_case, actor=user)
    assert not Invoice.objects.exists()


def test_issued_invoice_resists_update_and_delete(invoice):
    invoice.total_ttc = D("1.00")
    with pytest.raises(AtelierError, match="Une facture émise ne peut être ni modifiée ni supprimée"):
        invoice.save()
    with pytest.raises(AtelierError, match="Une facture émise ne peut être ni modifiée ni supprimée"):
        invoice.delete()
    line = invoice.lines.first()
    with pytest.raises(AtelierError, match="Une facture émise ne peut être ni modifiée ni supprimée"):
        line.save()
    with pytest.raises(AtelierError, match="Une facture émise ne peut être ni modifiée ni supprimée"):
        line.delete()
    fresh = Invoice.objects.get(pk=invoice.pk)
    assert fresh.total_ttc == D("157.68") and InvoiceLine.objects.filter(invoice=invoice).count() == 2


def test_admin_is_read_only_for_invoices(invoice, comptable):
    model_admin = admin_site._registry[Invoice]
    request = RequestFactory().get("/")
    request.user = comptable
    comptable.is_superuser = True
    assert not model_admin.has_change_permission(request, invoice)
    assert not model_admin.has_delete_permission(request, invoice)
    assert not model_admin.has_add_permission(request)


def test_credit_note_never_exceeds_what_remains(invoice, comptable):
    note = services.credit_note_issue(
        invoice=invoice, actor=comptable, amount_ttc="57,68", reason="Geste commercial"
    )
    year = timezone.localtime(note.issued_at).year
    assert note.number == f"AV-PAR1-{year}-000001" and note.credited == invoice
    assert (note.total_ht, note.total_vat, note.total_ttc) == (D("48.07"), D("9.61"), D("57.68"))
    with pytest.raises(AtelierError, match="dépasse ce qui reste de la facture") as info:
        services.credit_note_issue(invoice=invoice, actor=comptable, amount_ttc="100.01", reason="Erreur")
    assert info.value.message == (
        f"L'avoir (100,01 €) dépasse ce qui reste de la facture {invoice.number} (100,00 €)."
    )
    assert Invoice.objects.filter(kind="avoir").count() == 1
    assert JournalEntry.objects.filter(kind=JournalKind.AVOIR).count() == 1


@pytest.mark.parametrize(
    ("amount", "reason", "message"),
    [
        ("abc", "x", "Montant illisible : abc"),
        ("0", "x", "Le montant doit être supérieur à zéro."),
        ("-5", "x", "Le montant doit être supérieur à zéro."),
        ("1.234", "x", "Un montant s'écrit en euros et centimes (ex. 12,50)."),
        ("10", "  ", "Indiquez le motif de l'avoir."),
    ],
)
def test_credit_note_bad_input(invoice, comptable, amount, reason, message):
    with pytest.raises(AtelierError, match=re.escape(message)) as info:
        services.credit_note_issue(invoice=invoice, actor=comptable, amount_ttc=amount, reason=reason)
    assert info.value.message == message
    assert Invoice.objects.count() == 1


def test_accepted_complementary_sale_is_invoiced(ready_case, accueil):
    from atelier.billing.handover import offer_record
    from atelier.billing.models import Suggestion

    descaler = Suggestion.objects.get(designation="Détartrant lave-linge (2 doses)")
    hose = Suggestion.objects.get(designation="Tuyau de vidange renforcé 2,5 m")
    offer_record(case=ready_case, actor=accueil, suggestion=descaler, accepted=True)
    offer_record(case=ready_case, actor=accueil, suggestion=hose, accepted=False)
    invoice = services.invoice_issue(case=ready_case, actor=accueil)
    assert list(invoice.lines.values_list("designation", "kind", "total_ht"))[-1] == (
        "Détartrant lave-linge (2 doses)",
        "complement",
        D("9.90"),
    )
    assert invoice.lines.count() == 3
    assert invoice.total_ttc == D("157.68") + D("11.88")


def test_facturx_xml_is_valid_en16931_and_embedded(ready_case, accueil):
    from facturx import get_facturx_xml_from_pdf

    from atelier.billing.documents import facturx_pdf, facturx_xml

    Customer.objects.filter(pk=ready_case.customer_id).update(
        kind="professionnel",
        company_name="Blanchisserie Martin",
        siren="552100554",
        vat_number="FR96552100554",  # given by the customer, stored on their file
        address="3 rue Haute",
    )
    ready_case.refresh_from_db()
    invoice = services.invoice_issue(case=ready_case, actor=ready_case.received_by)
    xml = facturx_xml(invoice)
    assert xml_check_xsd(xml, flavor="factur-x", level="en16931")
    assert b"<ram:GrandTotalAmount>157.68</ram:GrandTotalAmount>" in xml
    assert b'<ram:ID schemeID="VA">FR96552100554</ram:ID>' in xml
    # French e-invoicing rules: BT-23 « M1 » (a part and labour, to pay), the BG-3 notes of BR-FR-05 and BAR B2B
    ns = {"ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"}
    root = etree.fromstring(xml)
    assert (
        root.findtext(".//ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID", namespaces=ns) == "M1"
    )
    notes = [
        (n.findtext("ram:SubjectCode", namespaces=ns), n.findtext("ram:Content", namespaces=ns))
        for n in root.iterfind(".//ram:IncludedNote", namespaces=ns)
    ]
    assert notes == [
        ("AAB", "Pas d'escompte pour paiement anticipé."),
        (
            "PMD",
            "En cas de retard de paiement, pénalités au taux égal à trois fois le taux d'intérêt légal, exigibles "
            "dès le lendemain de l'échéance (art. L441-10 du Code de commerce).",
        ),
        ("PMT", "Indemnité forfaitaire pour frais de recouvrement : 40 € (art. D441-5 du Code de commerce)."),
        ("BAR", "B2B"),
    ]
    assert root.find(".//ram:DueDateTypeCode", namespaces=ns) is None  # VAT on receipts: no BT-8
    pdf = facturx_pdf(invoice)
    assert pdf.startswith(b"%PDF")
    filename, embedded = get_facturx_xml_from_pdf(pdf, check_xsd=True)
    assert filename == "factur-x.xml" and b"urn:cen.eu:en16931:2017" in embedded


def test_the_nature_of_the_operations_and_the_vat_on_debits_option(ready_case, accueil, comptable, site):
    """The e-invoicing reform's mentions (CGI ann. II art. 242 nonies A): what is sold, and the option for VAT
    on debits when the company made it (then also BT-8 = 5 in the Factur-X)."""
    from atelier.billing.documents import facturx_xml, invoice_html

    site.vat_on_debits = True
    site.save()
    Customer.objects.filter(pk=ready_case.customer_id).update(
        kind="professionnel", company_name="Blanchisserie Martin", siren="552100554", address="3 rue Haute"
    )
    ready_case.refresh_from_db()
    invoice = services.invoice_issue(case=ready_case, actor=accueil)
    assert invoice.mentions["operations"] == (
        "Nature des opérations : livraisons de biens et prestations de services."
    )
    assert invoice.mentions["vat_regime"] == "Option pour le paiement de la taxe d'après les débits."
    html = invoice_html(invoice)
    assert "Nature des opérations : livraisons de biens et prestations de services." in html
    assert "Option pour le paiement de la taxe d&#x27;après les débits." in html
    xml = facturx_xml(invoice)
    assert xml.count(b"<ram:DueDateTypeCode>5</ram:DueDateTypeCode>") == 1  # one VAT rate, one breakdown
    assert xml_check_xsd(xml, flavor="factur-x", level="en16931")
    note = services.credit_note_issue(invoice=invoice, actor=comptable, amount_ttc="10", reason="Geste")
    assert (note.mentions["operations"], note.mentions["vat_regime"]) == (
        invoice.mentions["operations"],
        invoice.mentions["vat_regime"],
    )


def test_without_the_option_there_is_no_vat_regime_mention(invoice):
    assert invoice.mentions["operations"] == (
        "Nature des opérations : livraisons de biens et prestations de services."
    )
    assert "vat_regime" not in invoice.mentions


def test_the_share_capital_is_written_the_french_way(ready_case, accueil, site):
    from atelier.billing.documents import invoice_html

    site.share_capital = D("20000.00")
    site.save()
    ready_case.refresh_from_db()
    html = invoice_html(services.invoice_issue(case=ready_case, actor=accueil))
    assert "au capital de 20\u00a0000,00\u00a0€" in html


def test_invoice_pdf_is_french(invoice):
    from atelier.billing.documents import invoice_html, invoice_pdf

    html = invoice_html(invoice)
    for text in (
        "Facture n° " + invoice.number,
        "SIREN 732829320",
        "Total TTC",
        "TVA 20 %",
        "garantie légale",
    ):
        assert text in html
    assert invoice_pdf(invoice).startswith(b"%PDF")
