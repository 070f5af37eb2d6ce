"""Closures (clôtures) of a finished day, month or year: the period's totals and the perpetual totals, journalled
like the documents they sum.

- The perpetual totals are CARRIED: the previous closure of the same site and kind (day, month, year) plus the
  period's net (invoices + deposit invoices − credit notes). Only a site's first closure of a kind reads the
  invoice table, for everything issued up to its end (a site that billed before its first closure stays whole).
- No gap: closing a day first closes, in order, every earlier day not yet closed since the site's first
  activity (journal entry, document or payment), each with its own closure (zero when empty). Once the last
  day of a finished month is closed, the month's closure follows in the same transaction; after December,
  the year's. So the closed days of a site are exactly those up to its latest closure (periods.py).
- One closing at a time per site, and no money entry appended while a closure sums (see `_lock_books`).
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Max, Min, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.billing.choices import DocumentKind, JournalKind, PeriodKind
from atelier.billing.integrity import closure_reference
from atelier.billing.journal import journal_append, site_head
from atelier.billing.models import Closure, Invoice, JournalEntry, Payment
from atelier.billing.periods import last_closed_day
from atelier.billing.services import ZERO
from atelier.core.access import require_step
from atelier.core.errors import AtelierError
from atelier.core.locking import lock
from atelier.core.money import CENT
from atelier.core.permissions import require_site

ONE_DAY = datetime.timedelta(days=1)
SOLD = (DocumentKind.FACTURE, DocumentKind.ACOMPTE)  # finals are net of their deposits: no double count


class PeriodAlreadyClosed(AtelierError):
    """Two accountants closing the same day: the second one is told, as a conflict (409)."""

    default_message = _("Cette période est déjà clôturée.")
    status_code = 409


def period_bounds(period: str, start: datetime.date) -> tuple[datetime.date, datetime.date]:
    if period == PeriodKind.JOUR:
        return start, start
    if period == PeriodKind.MOIS:
        first = start.replace(day=1)
        nxt = (first + datetime.timedelta(days=32)).replace(day=1)
        return first, nxt - ONE_DAY
    if period == PeriodKind.ANNEE:
        return start.replace(month=1, day=1), start.replace(month=12, day=31)
    raise AtelierError(_("Période inconnue."), field="period")


def _day_range(first: datetime.date, last: datetime.date):
    tz = timezone.get_current_timezone()
    begin = datetime.datetime.combine(first, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(last + ONE_DAY, datetime.time.min, tzinfo=tz)
    return begin, end


def _sum(qs, name) -> Decimal:
    return qs.aggregate(s=Sum(name))["s"] or ZERO


def _exists(site, period: str, first: datetime.date) -> bool:
    return Closure.objects.filter(site=site, period=period, start=first).exists()


def first_activity_day(site) -> datetime.date | None:
    """The first day of the site's books: its first journal entry, document or payment (local date)."""
    found = [
        JournalEntry.objects.filter(site=site).exclude(kind=JournalKind.CLOTURE).aggregate(m=Min("at"))["m"],
        Invoice.objects.filter(site=site).aggregate(m=Min("issued_at"))["m"],
        Payment.objects.filter(site=site).aggregate(m=Min("at"))["m"],
    ]
    days = [timezone.localdate(at) for at in found if at is not None]
    return min(days) if days else None


def _lock_books(site) -> None:
    """One closing at a time per site, and the site's journal head taken BEFORE the totals are read: an invoice
    or payment of that site being written waits for the closure, then finds its day sealed (journal_append
    checks under the same lock); other sites go on."""
    lock(site)
    site_head(site)


def _period_totals(site, first: datetime.date, last: datetime.date) -> dict:
    begin, end = _day_range(first, last)
    docs = Invoice.objects.filter(site=site, issued_at__gte=begin, issued_at__lt=end)
    invoices, notes = docs.filter(kind__in=SOLD), docs.filter(kind=DocumentKind.AVOIR)
    taken = Payment.objects.filter(site=site, at__gte=begin, at__lt=end)
    by_method = {
        row["method"]: str(row["s"].quantize(CENT))
        for row in taken.values("method").annotate(s=Sum("amount")).order_by("method")
        if row["s"]
    }
    return {
        "invoices_ttc": _sum(invoices, "total_ttc"),
        "credit_notes_ttc": _sum(notes, "total_ttc"),
        "total_ht": _sum(invoices, "total_ht") - _sum(notes, "total_ht"),
        "total_vat": _sum(invoices, "total_vat") - _sum(notes, "total_vat"),
        "payments": _sum(taken, "amount"),
        "by_method": by_method,
    }


def _from_origin(site, last: datetime.date) -> tuple[Decimal, Decimal, Decimal]:
    """(TTC, HT, VAT) of everything issued up to `last`: only for a site's first closure of a kind."""
    _begin, end = _day_range(last, last)
    everything = Invoice.objects.filter(site=site, issued_at__lt=end)
    sold, notes = everything.filter(kind__in=SOLD), everything.filter(kind=DocumentKind.AVOIR)
    return tuple(_sum(sold, name) - _sum(notes, name) for name in ("total_ttc", "total_ht", "total_vat"))


def _carried(previous: Closure | None, site, last: datetime.date, totals: dict):
    """The perpetual (TTC, HT, VAT): the previous closure's plus this period's net."""
    if previous is None:
        return _from_origin(site, last)
    ttc = previous.grand_total + totals["invoices_ttc"] - totals["credit_notes_ttc"]
    if previous.perpetual_ht is None or previous.perpetual_vat is None:  # made before HT/VAT were carried
        _ttc, ht, vat = _from_origin(site, last)
        return ttc, ht, vat
    return ttc, previous.perpetual_ht + totals["total_ht"], previous.perpetual_vat + totals["total_vat"]


def _make(*, site, actor, period: str, first: datetime.date, last: datetime.date, at) -> Closure:
    """One closure, its totals carried from the previous closure of the same kind, journalled."""
    previous = Closure.objects.filter(site=site, period=period).order_by("-start").first()
    totals = _period_totals(site, first, last)
    grand_total, perpetual_ht, perpetual_vat = _carried(previous, site, last, totals)
    closure = Closure(
        site=site,
        period=period,
        start=first,
        end=last,
        previous=previous,
        grand_total=grand_total,
        perpetual_ht=perpetual_ht,
        perpetual_vat=perpetual_vat,
        closed_at=at,
        closed_by=actor,
        **totals,
    )
    closure.save()
    journal_append(
        site=site,
        kind=JournalKind.CLOTURE,
        reference=closure_reference(closure),
        amount=closure.net_ttc,
        at=at,
        document=closure,
    )
    return closure


def _close_finished_months(*, site, actor, at, today: datetime.date) -> list[Closure]:
    """The monthly closure of every finished month whose last day is closed, and the year's after December."""
    last_day = Closure.objects.filter(site=site, period=PeriodKind.JOUR).aggregate(m=Max("start"))["m"]
    if last_day is None:
        return []
    latest_month = Closure.objects.filter(site=site, period=PeriodKind.MOIS).aggregate(m=Max("end"))["m"]
    if latest_month is not None:
        month = latest_month + ONE_DAY
    else:
        month = Closure.objects.filter(site=site, period=PeriodKind.JOUR).aggregate(m=Min("start"))["m"]
    made = []
    while True:
        first, last = period_bounds(PeriodKind.MOIS, month)
        if last > last_day or last >= today:
            return made
        made.append(_make(site=site, actor=actor, period=PeriodKind.MOIS, first=first, last=last, at=at))
        year_start = first.replace(month=1)
        if last.month == 12 and not _exists(site, PeriodKind.ANNEE, year_start):
            made.append(
                _make(site=site, actor=actor, period=PeriodKind.ANNEE, first=year_start, last=last, at=at)
            )
        month = last + ONE_DAY


def _close_through(*, site, actor, until: datetime.date, at, today: datetime.date) -> list[Closure]:
    """Close, in order, every open day of the site up to `until`, then the months and years now finished."""
    last_closed = Closure.objects.filter(site=site, period=PeriodKind.JOUR).aggregate(m=Max("start"))["m"]
    day = last_closed + ONE_DAY if last_closed is not None else first_activity_day(site)
    made = []
    while day is not None and day <= until:
        made.append(_make(site=site, actor=actor, period=PeriodKind.JOUR, first=day, last=day, at=at))
        day += ONE_DAY
        if day.day == 1:  # a month's last day: its closure comes next, before the following days
            made += _close_finished_months(site=site, actor=actor, at=at, today=today)
    return made + _close_finished_months(site=site, actor=actor, at=at, today=today)


def _refuse_unfinished(period: str, last: datetime.date, today: datetime.date) -> None:
    if last > today or (last == today and period != PeriodKind.JOUR):  # a day closes at its end, that evening
        raise AtelierError(
            _("Cette période n'est pas terminée : elle ne peut pas être clôturée."), field="start"
        )


@transaction.atomic
def closure_run(*, site, actor, period: str, start: datetime.date, at=None) -> Closure:
    """Close a finished day, month or year of a site, after every earlier open day (and the months they end).

    The closure returned carries `made`: every closure this call wrote, in order."""
    require_step(actor, "billing.closure", site=site)
    require_site(actor, site)
    first, last = period_bounds(period, start)
    at = at or timezone.now()
    today = timezone.localdate(at)
    _refuse_unfinished(period, last, today)
    _lock_books(site)
    sealed = last_closed_day(site)
    if _exists(site, period, first) or (period == PeriodKind.JOUR and sealed is not None and first <= sealed):
        raise PeriodAlreadyClosed(field="start")
    later = Closure.objects.filter(site=site, period=period, start__gt=first).order_by("start").first()
    if later is not None:  # a hole left by closures made before periods were sealed: never filled afterwards
        raise AtelierError(
            _("Une période suivante est déjà clôturée (%(c)s) : celle-ci ne peut plus l'être.")
            % {"c": later},
            field="start",
        )
    made = _close_through(site=site, actor=actor, until=last, at=at, today=today)
    closure = Closure.objects.filter(site=site, period=period, start=first).first()
    if closure is None:  # a month or year with no activity at all: closed on its own
        closure = _make(site=site, actor=actor, period=period, first=first, last=last, at=at)
        made.append(closure)
    closure.made = made
    return closure


@transaction.atomic
def closures_close_due(*, site, until: datetime.date, at=None, actor=None) -> list[Closure]:
    """Everything due on a site up to `until` (the daily task: yesterday): its open days, finished months and
    years. No actor: the scheduled task (closed_by stays empty); with one, the accountant's rights apply."""
    at = at or timezone.now()
    today = timezone.localdate(at)
    if actor is not None:
        require_step(actor, "billing.closure", site=site)
        require_site(actor, site)
    _refuse_unfinished(PeriodKind.JOUR, until, today)
    _lock_books(site)
    return _close_through(site=site, actor=actor, until=until, at=at, today=today)
