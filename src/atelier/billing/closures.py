"""Closures (clôtures) of a finished day, month or year: the period's totals and the perpetual grand total,
journalled like the documents they sum."""

import datetime

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.billing.choices import (
    DocumentKind,
    JournalKind,
    PeriodKind,
)
from atelier.billing.integrity import closure_reference
from atelier.billing.journal import journal_append
from atelier.billing.models import Closure, Invoice, Payment
from atelier.billing.services import ZERO
from atelier.core.choices import Role
from atelier.core.errors import AtelierError
from atelier.core.money import CENT
from atelier.core.permissions import require_role, require_site


def period_bounds(period: str, start: datetime.date) -> tuple[datetime.date, datetime.date]:
    if period == PeriodKind.JOUR:
        return start, start
    if period == PeriodKind.MOIS:
        first = start.replace(day=1)
        nxt = (first + datetime.timedelta(days=32)).replace(day=1)
        return first, nxt - datetime.timedelta(days=1)
    if period == PeriodKind.ANNEE:
        return start.replace(month=1, day=1), start.replace(month=12, day=31)
    raise AtelierError(_("Période inconnue."), field="period")


def _day_range(first: datetime.date, last: datetime.date):
    tz = timezone.get_current_timezone()
    begin = datetime.datetime.combine(first, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return begin, end


@transaction.atomic
def closure_run(*, site, actor, period: str, start: datetime.date, at=None) -> Closure:
    """Close a finished day, month or year of a site: its totals and the perpetual grand total, journalled."""
    require_role(actor, Role.COMPTABLE)
    require_site(actor, site)
    first, last = period_bounds(period, start)
    at = at or timezone.now()
    today = timezone.localdate(at)
    if last > today or (last == today and period != PeriodKind.JOUR):
        raise AtelierError(
            _("Cette période n'est pas terminée : elle ne peut pas être clôturée."), field="start"
        )
    if Closure.objects.filter(site=site, period=period, start=first).exists():
        raise AtelierError(_("Cette période est déjà clôturée."), field="start")
    begin, end = _day_range(first, last)
    docs = Invoice.objects.filter(site=site, issued_at__gte=begin, issued_at__lt=end)

    def total(qs, name):
        return qs.aggregate(s=Sum(name))["s"] or ZERO

    sold = (DocumentKind.FACTURE, DocumentKind.ACOMPTE)  # finals are net of their deposits: no double count
    invoices, notes = docs.filter(kind__in=sold), docs.filter(kind=DocumentKind.AVOIR)
    everything = Invoice.objects.filter(site=site, issued_at__lt=end)
    taken = Payment.objects.filter(site=site, at__gte=begin, at__lt=end)
    by_method = {
        row["method"]: str(row["s"].quantize(CENT))
        for row in taken.values("method").annotate(s=Sum("amount")).order_by("method")
        if row["s"]
    }
    closure = Closure(
        site=site,
        period=period,
        start=first,
        end=last,
        invoices_ttc=total(invoices, "total_ttc"),
        credit_notes_ttc=total(notes, "total_ttc"),
        total_ht=total(invoices, "total_ht") - total(notes, "total_ht"),
        total_vat=total(invoices, "total_vat") - total(notes, "total_vat"),
        payments=total(taken, "amount"),
        by_method=by_method,
        grand_total=total(everything.filter(kind__in=sold), "total_ttc")
        - total(everything.filter(kind=DocumentKind.AVOIR), "total_ttc"),
        closed_at=at,
        closed_by=actor,
    )
    closure.save()
    journal_append(
        site=site,
        kind=JournalKind.CLOTURE,
        reference=closure_reference(closure),
        amount=closure.invoices_ttc - closure.credit_notes_ttc,
        at=at,
        document=closure,
    )
    return closure
