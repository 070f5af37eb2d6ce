"""Sealed periods: once a day, month or year of a site is closed, nothing more can be dated inside it.

Closures leave no gap (closing a day first closes every earlier open day, see closures.py), so the closed
days of a site are exactly those up to the end of its latest closure: one indexed query answers.
"""

import datetime

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.billing.choices import JournalKind
from atelier.billing.models import Closure
from atelier.core.errors import AtelierError

# what journal_append checks: every invoice, deposit invoice, credit note, payment and refund passes there
MONEY_KINDS = frozenset({JournalKind.FACTURE, JournalKind.AVOIR, JournalKind.PAIEMENT})


def last_closed_day(site) -> datetime.date | None:
    """The last day of the site's books that is closed (None when nothing is closed yet)."""
    return Closure.objects.filter(site=site).aggregate(last=Max("end"))["last"]


def assert_open(*, site, at: datetime.datetime) -> None:
    """Refuse, in French, anything dated (local date of `at`) inside a closed day, month or year of the site."""
    day = timezone.localdate(at)
    last = last_closed_day(site)
    if last is not None and day <= last:
        raise AtelierError(
            _(
                "La journée du %(d)s est clôturée : aucune facture, aucun paiement ni remboursement ne peut y "
                "être daté."
            )
            % {"d": day.strftime("%d/%m/%Y")}
        )
