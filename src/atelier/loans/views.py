"""Loan screens: the pool of a site, lend for a dossier (signed terms), take back; lending and taking back go
through core.actions, a refusal shows the dossier's loan section again with its French reason."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from atelier.core.access import step_required
from atelier.core.actions import Action, run_action
from atelier.core.listing import Column, SortableList
from atelier.core.pdf import pdf_response
from atelier.loans import documents, forms, plugins, selectors, services
from atelier.repairs.selectors import case_get

LOAN_COLUMNS = SortableList(
    Column("case", gettext_lazy("Dossier"), "case__number"),
    Column("appliance", gettext_lazy("Appareil prêté"), "appliance__code"),
    Column("customer", gettext_lazy("Client"), "case__customer__last_name"),
    Column("lent_at", gettext_lazy("Prêté le"), "lent_at"),
    Column("due_on", gettext_lazy("À rendre le"), "due_on"),
    Column("terms", ""),
    default="due_on",
)


@step_required("loans.manage")
def pool(request):
    """The pool and the loans out, sorted by their column headers; « en retard » only with ?late=1."""
    loans = selectors.overdue_loans(request.user) if request.GET.get("late") == "1" else None
    loans = loans if loans is not None else selectors.open_loans(request.user)
    sorting = LOAN_COLUMNS.sorting(request)
    return render(
        request,
        "loans/pool.html",
        {
            "nav": "loans",
            "appliances": selectors.pool_for(request.user),
            "open_loans": sorting.apply(loans)[:200],
            "headers": sorting.headers,
            "late": request.GET.get("late") == "1",
            "sort": "" if sorting.is_default else sorting.value,
        },
    )


def _section_again(request, obj, *, failed=None, failed_form=None, status=400):
    """The dossier's loan section with the refused form (its errors next to its fields)."""
    case = getattr(obj, "case", obj)
    section = plugins.dossier_section(request, case, failed=failed, failed_form=failed_form)
    return render(
        request, "loans/lend_failed.html", {"nav": "repairs", "case": case, "section": section}, status=status
    )


ACTIONS = {
    "loan": Action(
        form=forms.LoanForm,
        service=services.loan_create,
        form_kwargs=lambda request, case: {"appliances": selectors.available_for(case)},
        success=lambda loan: _("Appareil %(c)s prêté.") % {"c": loan.appliance.code},
    ),
    "return": Action(
        form=forms.ReturnForm,
        service=services.loan_return,
        target="loan",
        success=gettext_lazy("Appareil de prêt rendu."),
    ),
}


@require_POST
@login_required  # the service refuses the step, in French, on the loan section
def lend(request, pk):
    case = case_get(user=request.user, pk=pk)
    return run_action(
        request,
        case,
        "loan",
        ACTIONS,
        show_again=_section_again,
        done=lambda case: reverse("repairs:detail", args=[case.pk]),
    )


@require_POST
@login_required
def take_back(request, pk):
    loan = selectors.loan_get(user=request.user, pk=pk)
    return run_action(
        request,
        loan,
        "return",
        ACTIONS,
        show_again=_section_again,
        done=lambda loan: reverse("repairs:detail", args=[loan.case_id]),
    )


@step_required("loans.manage")
def terms_pdf(request, pk):
    """« Conditions du prêt » as signed, to print or hand over; another site's loan is a 404."""
    loan = selectors.loan_get(user=request.user, pk=pk)
    return pdf_response(documents.loan_terms_pdf(loan), f"pret-{loan.case.number}-{loan.appliance.code}")
