"""PDF documents of billing (invoice, deposit invoice, credit note, receipt, advice sheet) and the Factur-X
invoice.

The Factur-X invoice (business customers) is a PDF/A-3b written by WeasyPrint with the EN 16931 CII XML
built here, checked against the schema by the factur-x package, then embedded by it.
"""

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.billing import selectors
from atelier.billing.choices import DocumentKind, JournalKind, LineKind, RuleKind
from atelier.billing.deposits import deductions_of
from atelier.billing.models import AdviceSheet, Closure, Invoice, JournalEntry, LegalFigure, Payment
from atelier.core.money import VatBreakdownRow
from atelier.core.pdf import render_document, render_pdf

ZERO = Decimal("0.00")
# UNTDID 1001: 380 commercial invoice, 386 prepayment invoice (facture d'acompte), 381 credit note
TYPE_CODES = {DocumentKind.FACTURE: "380", DocumentKind.ACOMPTE: "386", DocumentKind.AVOIR: "381"}


def _rows(lines) -> list[VatBreakdownRow]:
    rows: dict[Decimal, list[Decimal]] = {}
    for line in lines:
        base, vat = rows.setdefault(line.vat_rate, [ZERO, ZERO])
        rows[line.vat_rate] = [base + line.total_ht, vat + line.vat]
    return [VatBreakdownRow(rate, base, vat) for rate, (base, vat) in sorted(rows.items())]


def breakdown(invoice: Invoice) -> list[VatBreakdownRow]:
    """VAT per rate of the invoice as issued: net of the deposits it deducts (what its totals say)."""
    return _rows(invoice.lines.all())


def document_context(invoice: Invoice) -> dict:
    """What the screen and the PDF show: the lines sold, their VAT per rate, then what third-party payers pay
    (« Pris en charge par des tiers ») and the customer's share, then the deposits already invoiced
    (« Acomptes déjà facturés ») and the VAT per rate net of them."""
    lines = list(invoice.lines.all())
    sold = [line for line in lines if line.kind not in (LineKind.DEDUCTION, LineKind.TIERS)]
    covered = [line for line in lines if line.kind == LineKind.TIERS]
    deductions = deductions_of(invoice) if invoice.deposits_ttc else []
    return {
        "third_party": [
            {
                "designation": line.designation,
                "rate": line.vat_rate,
                "ht": -line.total_ht,
                "vat": -line.vat,
                "ttc": -(line.total_ht + line.vat),
            }
            for line in covered
        ],
        "customer_share": _rows(sold + covered),
        "customer_share_ttc": invoice.gross_ttc - invoice.third_party_ttc,
        "invoice": invoice,
        "case": invoice.case,
        "lines": sold,
        "gross": _rows(sold),
        "gross_ht": sum((line.total_ht for line in sold), ZERO),
        "deductions": deductions,
        "deductions_ht": sum((d.ht for d in deductions), ZERO),
        "deductions_vat": sum((d.vat for d in deductions), ZERO),
        "breakdown": _rows(lines),
        "title": invoice.get_kind_display(),
    }


def invoice_html(invoice: Invoice) -> str:
    return render_document(
        "billing/pdf/invoice.html",
        {
            **document_context(invoice),
            "site": invoice.seller,
            "seller": invoice.seller,
            "buyer": invoice.buyer,
        },
    )


def invoice_pdf(invoice: Invoice) -> bytes:
    return render_pdf(invoice_html(invoice))


def billing_mode(invoice: Invoice) -> str:
    """BT-23, the « cadre de facturation » of the French e-invoicing rules (BR-FR-08): B goods, S services, M
    both; 1 an invoice to pay, 2 one already paid (a deposit invoice is issued for money received), 4 a final
    invoice after deposits."""
    goods, services = selectors.operations_of(invoice)
    letter = "M" if goods and services else "B" if goods else "S"
    if invoice.is_deposit:
        return f"{letter}2"
    return f"{letter}4" if invoice.deposits_ttc else f"{letter}1"


def facturx_notes(invoice: Invoice) -> list[tuple[str, str]]:
    """BG-3 notes the French rules want in every business invoice (BR-FR-05: AAB discount, PMD late-payment
    penalties, PMT recovery fee, each once), from the legal figures in force on the issue date; BAR « B2B »
    for a buyer identified by its SIREN (BR-FR-11)."""
    fee = LegalFigure.in_force(RuleKind.RECOVERY_FEE, timezone.localdate(invoice.issued_at))
    notes = [
        ("AAB", _("Pas d'escompte pour paiement anticipé.")),
        (
            "PMD",
            _(
                "En cas de retard de paiement, pénalités au taux égal à trois fois le taux d'intérêt légal, "
                "exigibles dès le lendemain de l'échéance (art. L441-10 du Code de commerce)."
            ),
        ),
        (
            "PMT",
            _(
                "Indemnité forfaitaire pour frais de recouvrement : %(fee)s € (art. D441-5 du Code de commerce)."
            )
            % {"fee": f"{fee:.0f}"},
        ),
    ]
    if invoice.buyer.get("siren"):
        notes.append(("BAR", "B2B"))
    return notes


def prepaid_of(invoice: Invoice) -> Decimal:
    """BT-113, what the document says was paid when it was issued: the whole amount of a deposit invoice (issued
    for money received), the repair bonus of an invoice (paid by the eco-organisation), nothing on a credit note.
    Never the payments taken later: the issued document must not change; they show on receipts and statements."""
    if invoice.is_deposit:
        return invoice.total_ttc
    return min(invoice.bonus_amount, invoice.total_ttc)


def facturx_xml(invoice: Invoice) -> bytes:
    """The invoice as UN/CEFACT CII XML, profile EN 16931 (urn:cen.eu:en16931:2017); the template escapes.

    A final invoice after deposits takes each deposit invoice back as a negative line at its VAT rate
    (quantity −1) and names it in InvoiceReferencedDocument, so the VAT is net of what the deposits already
    declared. It depends only on the document as issued (see `prepaid_of`): stored once as the original."""
    prepaid = prepaid_of(invoice)
    xml = render_document(
        "billing/facturx_cii.xml",
        {
            "invoice": invoice,
            "type_code": TYPE_CODES[invoice.kind],
            "deposits": [d.deposit for d in deductions_of(invoice)] if invoice.deposits_ttc else [],
            "issued": timezone.localdate(invoice.issued_at).strftime("%Y%m%d"),
            "lines": list(invoice.lines.all()),
            "breakdown": breakdown(invoice),
            "seller": invoice.seller,
            "buyer": invoice.buyer,
            "prepaid": prepaid,
            "due": invoice.total_ttc - prepaid,
            "billing_mode": billing_mode(invoice),
            "notes": facturx_notes(invoice),
            # BT-8, UNTDID 2475: 5 = VAT due on the invoice date (option pour la TVA d'après les débits)
            "vat_point_code": "5" if "vat_regime" in invoice.mentions else "",
        },
    )
    return xml.strip().encode()


def facturx_pdf(invoice: Invoice, *, xml: bytes | None = None) -> bytes:
    """A PDF/A-3b invoice carrying its CII XML (schema-checked by factur-x before embedding); `xml` is that of
    `facturx_xml`, passed when the caller keeps it too (the stored original)."""
    from facturx import generate_from_binary, xml_check_xsd

    xml = xml if xml is not None else facturx_xml(invoice)
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
            "title": f"{invoice.get_kind_display()} {invoice.number}",
            "subject": f"{invoice.get_kind_display()} {invoice.number}",
        },
        lang="fr-FR",
    )


def receipt_pdf(payments: list[Payment]) -> bytes:
    first = payments[0]
    case = first.case
    return render_pdf(
        render_document(
            "billing/pdf/receipt.html",
            {
                "payments": payments,
                "total": (total := sum((p.amount for p in payments), Decimal("0.00"))),
                "refunded": -total,
                "case": case,
                "site": case.site,
                "customer": case.customer,
                "first": first,
            },
        )
    )


def closure_pdf(closure: Closure) -> bytes:
    """The printed closure (the « Z » of the day): totals, cash taken per method, the journal entry."""
    entry = (
        JournalEntry.objects.filter(
            kind=JournalKind.CLOTURE,
            reference=f"{closure.site.code}/{closure.period}/{closure.start.isoformat()}",
        )
        .order_by("seq")
        .first()
    )
    return render_pdf(
        render_document(
            "billing/pdf/closure.html", {"closure": closure, "site": closure.site, "entry": entry}
        )
    )


def advice_pdf(sheet: AdviceSheet, case=None) -> bytes:
    site = case.site if case else None
    return render_pdf(
        render_document("billing/pdf/advice.html", {"sheet": sheet, "case": case, "site": site})
    )
