"""Reads of the loans, filtered by the user's sites (core.scoping)."""

from django.utils import timezone

from atelier.core.scoping import visible_or_404
from atelier.loans.choices import LoanCondition
from atelier.loans.models import Loan, LoanAppliance


def pool_for(user):
    return LoanAppliance.objects.visible_to(user).filter(is_active=True).select_related("site")


def available_for(case):
    out = Loan.objects.filter(returned_at__isnull=True).values("appliance_id")
    return (
        LoanAppliance.objects.of_site(case.site_id)
        .filter(is_active=True)
        .exclude(pk__in=out)
        .exclude(condition=LoanCondition.HORS_SERVICE)
    )


def open_loans(user):
    return (
        Loan.objects.visible_to(user)
        .filter(returned_at__isnull=True)
        .select_related("appliance", "case", "case__customer")
    )


def overdue_loans(user):
    return open_loans(user).filter(due_on__lt=timezone.localdate()).order_by("due_on")


def loan_get(*, user, pk):
    return visible_or_404(
        Loan.objects.select_related(
            "appliance", "case", "case__site", "case__customer", "case__appliance", "lent_by"
        ),
        user,
        pk=pk,
    )
