"""Loan screens: the pool of a site, lend for a dossier (signed terms), take back."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from atelier.core.choices import Role
from atelier.core.forms import call_service
from atelier.core.pdf import pdf_response
from atelier.core.permissions import role_required
from atelier.loans import documents, forms, plugins, selectors, services
from atelier.repairs.selectors import case_get


@role_required(Role.ACCUEIL, Role.RESPONSABLE_SAV, Role.TECHNICIEN)
def pool(request):
    return render(
        request,
        "loans/pool.html",
        {
            "nav": "loans",
            "appliances": selectors.pool_for(request.user),
            "open_loans": selectors.open_loans(request.user).order_by("due_on"),
        },
    )


@require_POST
@login_required
def lend(request, pk):
    case = case_get(user=request.user, pk=pk)
    form = forms.LoanForm(request.POST, auto_id="id_loan_%s", appliances=selectors.available_for(case))
    if form.is_valid():
        loan = call_service(form, services.loan_create, case=case, actor=request.user, **form.cleaned_data)
        if loan:
            messages.success(request, _("Appareil %(c)s prêté.") % {"c": loan.appliance.code})
            return redirect("repairs:detail", pk=case.pk)
    section = plugins.dossier_section(request, case, failed_form=form)
    status = 403 if any("rôle" in str(e) for e in form.non_field_errors()) else 400
    return render(
        request, "loans/lend_failed.html", {"nav": "repairs", "case": case, "section": section}, status=status
    )


@require_POST
@login_required
def take_back(request, pk):
    loan = selectors.loan_get(user=request.user, pk=pk)
    form = forms.ReturnForm(request.POST)
    if form.is_valid() and call_service(
        form, services.loan_return, loan=loan, actor=request.user, **form.cleaned_data
    ):
        messages.success(request, _("Appareil de prêt rendu."))
    else:
        for error in [*form.non_field_errors(), *[e for errs in form.errors.values() for e in errs]][:1]:
            messages.error(request, error)
    return redirect("repairs:detail", pk=loan.case_id)


@role_required(*services.LOAN_ROLES)
def terms_pdf(request, pk):
    """« Conditions du prêt » as signed, to print or hand over; another site's loan is a 404."""
    loan = selectors.loan_get(user=request.user, pk=pk)
    return pdf_response(documents.loan_terms_pdf(loan), f"pret-{loan.case.number}-{loan.appliance.code}")
