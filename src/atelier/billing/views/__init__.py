"""Billing screens, one module per job: the dossier's billing actions (`dossier`), invoices, credit notes and
receipts (`invoices`), the accounting page, closures and the manufacturers' report (`accounting`), and the
customer's public tracking page (`tracking`). The URLconfs read every view from this package."""

from atelier.billing.views.accounting import (
    accounting,
    billing_start,
    bonus_claim_mark,
    closure_create,
    closure_pdf,
    incidents_report,
)
from atelier.billing.views.dossier import (
    advice_pdf,
    advice_send,
    case_action,
    case_billing,
    notify,
    offer_answer,
    payment_reminder,
    tracking_send,
)
from atelier.billing.views.invoices import credit_note, invoice_detail, invoice_facturx, invoice_pdf, receipt
from atelier.billing.views.tracking import (
    tracking,
    tracking_accept,
    tracking_invoice,
    tracking_quote,
    tracking_refuse,
)

__all__ = [
    "accounting",
    "advice_pdf",
    "advice_send",
    "billing_start",
    "bonus_claim_mark",
    "case_action",
    "case_billing",
    "closure_create",
    "closure_pdf",
    "credit_note",
    "incidents_report",
    "invoice_detail",
    "invoice_facturx",
    "invoice_pdf",
    "notify",
    "offer_answer",
    "payment_reminder",
    "receipt",
    "tracking",
    "tracking_accept",
    "tracking_invoice",
    "tracking_quote",
    "tracking_refuse",
    "tracking_send",
]
