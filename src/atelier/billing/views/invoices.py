"""Invoices, deposit invoices and credit notes of the user's sites: the page, its PDF and Factur-X, the credit
note action, and the receipt of a payment."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from atelier.billing import deposits, documents, forms, selectors, services
from atelier.billing.models import Payment
from atelier.billing.originals import original_pdf
from atelier.core.access import may, step_required
from atelier.core.actions import Action, run_action
from atelier.core.pdf import pdf_response
from atelier.core.scoping import visible_or_404


@step_required("billing.read")
def invoice_detail(request, pk):
    invoice = selectors.invoice_get(user=request.user, pk=pk)
    return _render_invoice(request, invoice)


def _render_invoice(request, invoice, *, failed=None, failed_form=None, status=200):
    return render(
        request,
        "billing/invoice_detail.html",
        {
            **documents.document_context(invoice),
            "nav": "billing",
            "deducted_on": deposits.deducted_on(invoice) if invoice.is_deposit else None,
            "payments": list(invoice.payments.all()) if invoice.is_deposit else [],
            "credit_notes": list(invoice.credit_notes.all()),
            "remaining": selectors.invoice_remaining(invoice),
            "credit_form": failed_form or forms.CreditNoteForm(auto_id="id_credit_%s"),
            "can_credit": not invoice.is_credit_note
            and may(request.user, "billing.credit_note", invoice.site_id),
        },
        status=status,
    )


CREDIT = {
    "credit": Action(
        forms.CreditNoteForm,
        services.credit_note_issue,
        lambda note: _("Avoir %(n)s émis.") % {"n": note.number},
        target="invoice",
        next=lambda request, invoice, note: reverse("billing:invoice", args=[note.pk]),
    )
}


@require_POST
@step_required("billing.credit_note")
def credit_note(request, pk):
    invoice = selectors.invoice_get(user=request.user, pk=pk)
    return run_action(request, invoice, "credit", CREDIT, show_again=_render_invoice, done=None)


# Both serve the stored original (billing/originals.py): the same bytes at every download, produced at the
# first one for a document issued before originals were kept. A business customer's original is the Factur-X
# PDF/A-3 (a PDF any viewer shows), so both routes give it the same file.


@step_required("billing.read")
def invoice_pdf(request, pk):
    invoice = selectors.invoice_get(user=request.user, pk=pk)
    return pdf_response(original_pdf(invoice), invoice.number)


@step_required("billing.read")
def invoice_facturx(request, pk):
    invoice = selectors.invoice_get(user=request.user, pk=pk)
    if not invoice.is_business:
        raise Http404
    return pdf_response(original_pdf(invoice), f"{invoice.number}-facturx")


@step_required("billing.read")
def receipt(request, pk):
    first = visible_or_404(
        Payment.objects.select_related("case", "case__site", "case__customer"), request.user, pk=pk
    )
    batch = list(
        Payment.objects.filter(case=first.case, at=first.at).select_related("invoice", "received_by")
    )
    return pdf_response(documents.receipt_pdf(batch), f"recu-{first.case.number}-{first.pk}")
