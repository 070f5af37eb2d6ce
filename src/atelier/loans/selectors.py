"""Reads of the loans, filtered by the user's sites."""

from django.shortcuts import get_object_or_404
from django.utils import timezone

from atelier.loans.models import Loan, LoanAppliance


def pool_for(user):
    return LoanAppliance.objects.filter(site__in=user.visible_sites(), is_active=True).select_related("site")


def available_for(case):
    out = Loan.objects.filter(returned_at__isnull=True).values("appliance_id")
    return (
        LoanAppliance.objects.filter(site=case.site_id, is_active=True)
        .exclude(pk__in=out)
        .exclude(condition="hors_service")
    )


def open_loans(user):
    return Loan.objects.filter(
        appliance__site__in=user.visible_sites(), returned_at__isnull=True
    ).select_related("appliance", "case", "case__customer")


def overdue_loans(user):
    return open_loans(user).filter(due_on__lt=timezone.localdate()).order_by("due_on")


def loan_get(*, user, pk):
    return get_object_or_404(
        Loan.objects.select_related(
            "appliance", "case", "case__site", "case__customer", "case__appliance", "lent_by"
        ).filter(case__site__in=user.visible_sites()),
        pk=pk,
    )
