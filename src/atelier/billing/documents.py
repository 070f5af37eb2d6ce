"""PDF documents of billing (invoice, credit note, receipt, advice sheet) and the Factur-X invoice.

The Factur-X invoice (business customers) is a PDF/A-3b written by WeasyPrint with the EN 16931 CII XML
built here, checked against the schema by the factur-x package, then embedded by it.
"""

from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone

from atelier.billing.models import AdviceSheet, Invoice, Payment
from atelier.core.money import VatBreakdownRow
from atelier.core.pdf import render_pdf


def breakdown(invoice: Invoice) -> list[VatBreakdownRow]:
    rows: dict[Decimal, list[Decimal]] = {}
    for line in invoice.lines.all():
        base, vat = rows.setdefault(line.vat_rate, [Decimal("0.00"), Decimal("0.00")])
        rows[line.vat_rate] = [base + line.total_ht, vat + line.vat]
    return [VatBreakdownRow(rate, base, vat) for rate, (base, vat) in sorted(rows.items())]


def invoice_html(invoice: Invoice) -> str:
    return render_to_string(
        "billing/pdf/invoice.html",
        {
            "invoice": invoice,
            "case": invoice.case,
            "site": invoice.seller,
            "seller": invoice.seller,
            "buyer": invoice.buyer,
            "lines": list(invoice.lines.all()),
            "breakdown": breakdown(invoice),
            "payments": list(invoice.case.payments.all()),
        },
    )


def invoice_pdf(invoice: Invoice) -> bytes:
    return render_pdf(invoice_html(invoice))


def facturx_xml(invoice: Invoice) -> bytes:
    """The invoice as UN/CEFACT CII XML, profile EN 16931 (urn:cen.eu:en16931:2017); the template escapes."""
    paid = sum((p.amount for p in Payment.objects.filter(invoice=invoice)), Decimal("0.00"))
    prepaid = min(paid + invoice.bonus_amount, invoice.total_ttc)
    xml = render_to_string(
        "billing/facturx_cii.xml",
        {
            "invoice": invoice,
            "type_code": "381" if invoice.is_credit_note else "380",
            "issued": timezone.localdate(invoice.issued_at).strftime("%Y%m%d"),
            "lines": list(invoice.lines.all()),
            "breakdown": breakdown(invoice),
            "seller": invoice.seller,
            "buyer": invoice.buyer,
            "prepaid": prepaid,
            "due": invoice.total_ttc - prepaid,
        },
    )
    return xml.strip().encode()


def facturx_pdf(invoice: Invoice) -> bytes:
    """A PDF/A-3b invoice carrying its CII XML (schema-checked by factur-x before embedding)."""
    from facturx import generate_from_binary, xml_check_xsd

    xml = facturx_xml(invoice)
    xml_check_xsd(xml, flavor="factur-x", level="en16931")
    pdf = render_pdf(invoice_html(invoice), pdf_variant="pdf/a-3b")
    return generate_from_binary(
        pdf,
        xml,
        flavor="factur-x",
        level="en16931",
        check_xsd=True,
        pdf_metadata={
            "author": invoice.seller["legal_name"],
            "keywords": "Factur-X",
            "title": f"Facture {invoice.number}",
            "subject": f"Facture {invoice.number}",
        },
        lang="fr-FR",
    )


def receipt_pdf(payments: list[Payment]) -> bytes:
    first = payments[0]
    case = first.case
    return render_pdf(
        render_to_string(
            "billing/pdf/receipt.html",
            {
                "payments": payments,
                "total": sum((p.amount for p in payments), Decimal("0.00")),
                "case": case,
                "site": case.site,
                "customer": case.customer,
                "first": first,
            },
        )
    )


def advice_pdf(sheet: AdviceSheet, case=None) -> bytes:
    site = case.site if case else None
    return render_pdf(
        render_to_string("billing/pdf/advice.html", {"sheet": sheet, "case": case, "site": site})
    )
