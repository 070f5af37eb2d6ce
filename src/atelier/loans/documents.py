"""The loan's paper: « Conditions du prêt », the terms the customer signed, rendered by WeasyPrint (A4, French)."""

from django.utils import timezone

from atelier.core.pdf import render_document, render_pdf
from atelier.loans.models import Loan


def loan_terms_html(loan: Loan) -> str:
    case = loan.case
    lent_on = timezone.localtime(loan.lent_at).date()
    return render_document(
        "loans/pdf/terms.html",
        {
            "loan": loan,
            "case": case,
            "site": case.site,
            "customer": case.customer,
            "appliance": loan.appliance,
            "lent_on": lent_on,
            "days": (loan.due_on - lent_on).days,
        },
    )


def loan_terms_pdf(loan: Loan) -> bytes:
    return render_pdf(loan_terms_html(loan))
