"""The visits of maintenance contracts, on the planner's side (issue 18, point 1): which visits come due, and the
dossier opened for one of them. That dossier then follows the usual path (quote — often 0 € when the contract
includes the work —, repair order, visit planned in the day's rounds), so the planner needs nothing of its own.

When a visit is due: a contract of n visits a year has one per period of 12/n months (rounded to whole months),
due on the first day of each period from the contract's start, up to its end — or on, year after year, when it
renews tacitly. A due visit is listed from `AHEAD_DAYS` before its date until it has its dossier; one more than
`BEHIND_DAYS` late is no longer offered (the contract's year has moved on).
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.aftersales.models import MaintenanceContract, MaintenanceVisit
from atelier.core.access import require_step, sites_allowing
from atelier.core.errors import AtelierError
from atelier.core.locking import lock_rows
from atelier.core.models import User
from atelier.repairs.choices import WorkLocation
from atelier.repairs.models import RepairCase

AHEAD_DAYS = 30
BEHIND_DAYS = 90


@dataclass(frozen=True)
class DueVisit:
    contract: MaintenanceContract
    due_on: datetime.date
    overdue: bool


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day when it has no such day (31/01 + 1 → 28/02)."""
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    month += 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def period_months(contract: MaintenanceContract) -> int:
    return max(1, round(12 / contract.visits_per_year))


def due_dates(contract: MaintenanceContract, until: datetime.date) -> list[datetime.date]:
    """Every due date of the contract up to `until` (and up to its end unless it renews tacitly)."""
    if contract.visits_per_year < 1:
        return []
    last = until if contract.renews_automatically else min(until, contract.end)
    step, dates, k = period_months(contract), [], 0
    while (day := add_months(contract.start, k * step)) <= last:
        dates.append(day)
        k += 1
    return dates


def visits_due(user, *, today: datetime.date | None = None) -> list[DueVisit]:
    """The due visits of the contracts on the user's sites without their dossier yet, earliest first: from
    AHEAD_DAYS ahead back to BEHIND_DAYS late. Two queries, whatever the number of contracts."""
    today = today or timezone.localdate()
    first, last = today - datetime.timedelta(days=BEHIND_DAYS), today + datetime.timedelta(days=AHEAD_DAYS)
    contracts = list(
        MaintenanceContract.objects.visible_to(user)
        .filter(start__lte=last, appliance__customer__anonymised_at__isnull=True)
        .filter(Q(end__gte=first) | Q(renews_automatically=True))
        .select_related("appliance__customer__site")
    )
    served = set(
        MaintenanceVisit.objects.filter(contract__in=contracts, due_on__gte=first).values_list(
            "contract_id", "due_on"
        )
    )
    due = [
        DueVisit(contract, day, day < today)
        for contract in contracts
        for day in due_dates(contract, last)
        if day >= first and (contract.pk, day) not in served
    ]
    return sorted(due, key=lambda v: (v.due_on, v.contract.pk))


def visits_due_count(user, *, today: datetime.date | None = None) -> int:
    if not sites_allowing(user, "aftersales.contracts"):
        return 0
    return len(visits_due(user, today=today))


@transaction.atomic
def maintenance_visit_open(
    *, actor: User, contract: MaintenanceContract, due_on: datetime.date, at: datetime.datetime | None = None
) -> RepairCase:
    """Open the dossier of one due visit of a maintenance contract: a home visit for the contract's appliance,
    the customer's words saying which contract and what it includes. A visit has one dossier only."""
    from atelier.repairs.services import case_open

    site = contract.appliance.customer.site
    require_step(actor, "aftersales.contracts", site=site)
    (contract,) = lock_rows(
        MaintenanceContract.objects.filter(pk=contract.pk), related=["appliance__customer"]
    )
    if due_on not in due_dates(contract, due_on):
        raise AtelierError(
            _("Le contrat %(n)s n'a pas de visite d'entretien à l'échéance du %(d)s.")
            % {"n": contract.number, "d": f"{due_on:%d/%m/%Y}"},
            field="due_on",
        )
    served = MaintenanceVisit.objects.filter(contract=contract, due_on=due_on).select_related("case").first()
    if served is not None:
        raise AtelierError(
            _("La visite d'entretien du %(d)s a déjà son dossier : %(c)s.")
            % {"d": f"{due_on:%d/%m/%Y}", "c": served.case.number},
            field="due_on",
        )
    words = _("Visite d'entretien du contrat %(n)s (échéance du %(d)s). Le contrat comprend : %(i)s") % {
        "n": contract.number,
        "d": f"{due_on:%d/%m/%Y}",
        "i": contract.includes.strip(),
    }
    case = case_open(
        actor=actor,
        customer=contract.appliance.customer,
        appliance=contract.appliance,
        customer_words=words,
        location=WorkLocation.DOMICILE,
        at=at,
    )
    MaintenanceVisit.objects.create(contract=contract, due_on=due_on, case=case, opened_by=actor)
    return case
