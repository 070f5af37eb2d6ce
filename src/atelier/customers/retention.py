"""The retention job: customer files without contact for the site's period (Site.retention_years, 3 years by
default, CNIL) are anonymised, except while a dossier is open, money is owed or a loan is out.

« Dernier contact » is the latest date among the file's own dates (created, changed), its appliances, consent
changes and data exports, its dossiers (received, state changes, closing, timeline events), quotes, visits,
drop-off appointments, invoices, payments, messages, loans, tickets and complaints; each app contributes its
dates through customers.extensions.contact_sources. A file kept on purpose (Customer.kept_until) waits until the
day after that date.

The scheduler calls `run_retention()` every night; `atelier retention [--dry-run] [--site CODE]` runs it by hand.
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from atelier.core.access import require_step
from atelier.core.models import Site, User
from atelier.customers import extensions
from atelier.customers.choices import PrivacyActionKind
from atelier.customers.models import Customer
from atelier.customers.privacy import AlreadyAnonymised, ErasureRefused, add_years, anonymise, blockers_of

log = logging.getLogger(__name__)

PREVIEW_DAYS = 30  # the manager sees the files due within this many days


@dataclass
class Due:
    """A file due for anonymisation: since when, from which last contact, and what holds it back if anything."""

    customer: Customer
    last_contact: datetime.date
    due_on: datetime.date
    blockers: list[str] = field(default_factory=list)

    @property
    def blocked(self) -> bool:
        return bool(self.blockers)


def last_contacts(customer_ids) -> dict[int, datetime.date]:
    """The date of the last contact of each customer (extensions.contact_sources), one query per source table."""
    latest: dict[int, datetime.date] = {}
    for source in extensions.contact_sources:
        for customer_id, day in source(customer_ids):
            if day is not None and (customer_id not in latest or day > latest[customer_id]):
                latest[customer_id] = day
    return latest


def due_on(customer: Customer, last_contact: datetime.date, years: int) -> datetime.date:
    due = add_years(last_contact, years)
    if customer.kept_until and customer.kept_until >= due:
        due = customer.kept_until + datetime.timedelta(days=1)
    return due


def retention_due(site: Site, *, today: datetime.date | None = None, horizon_days: int = 0) -> list[Due]:
    """Files of the site not anonymised whose due date is on or before today + horizon_days, oldest first.

    Only files created and last changed before the cut-off can be due (both are contacts), which keeps the
    candidates few whatever the size of the site."""
    today = today or timezone.localdate()
    limit = today + datetime.timedelta(days=horizon_days)
    cutoff = add_years(limit, -site.retention_years)
    candidates = Customer.objects.filter(
        Q(updated_at__isnull=True) | Q(updated_at__date__lte=cutoff),
        site=site,
        anonymised_at__isnull=True,
        created_at__date__lte=cutoff,
    ).exclude(kept_until__gte=limit)
    customers = list(candidates.select_related("site"))
    if not customers:
        return []
    ids = candidates.values("pk")  # a subquery: a first run on years of files may have many candidates
    contacts = last_contacts(ids)
    due = [
        Due(customer=c, last_contact=contacts[c.pk], due_on=due_on(c, contacts[c.pk], site.retention_years))
        for c in customers
    ]
    due = [d for d in due if d.due_on <= limit]
    if due:
        blocked = blockers_of(ids)
        for d in due:
            d.blockers = blocked.get(d.customer.pk, [])
    return sorted(due, key=lambda d: (d.due_on, d.customer.pk))


def run_site(
    site: Site, *, today: datetime.date | None = None, dry_run: bool = False, actor: User | None = None
) -> int:
    """Anonymise the site's files due today (each in its own transaction); returns how many (would be) done.

    A person clicking « Anonymiser maintenant » is checked against the matrix; the scheduler runs with no actor."""
    if actor is not None:
        require_step(actor, "customers.retention", site=site)
    done = 0
    for due in retention_due(site, today=today):
        if due.blocked:
            continue
        if dry_run:
            done += 1
            continue
        try:
            with transaction.atomic():
                anonymise(
                    due.customer,
                    actor=actor,
                    kind=PrivacyActionKind.RETENTION,
                    details={
                        "dernier_contact": due.last_contact.isoformat(),
                        "duree_ans": site.retention_years,
                    },
                )
            done += 1
        except (AlreadyAnonymised, ErasureRefused):  # changed since it was listed: its next run decides
            continue
    return done


def run_retention(
    *,
    today: datetime.date | None = None,
    dry_run: bool = False,
    site: Site | None = None,
    actor: User | None = None,
) -> dict[int, int]:
    """The retention job (idempotent): site id → number of files anonymised (or that would be, dry_run)."""
    sites = [site] if site is not None else list(Site.objects.filter(is_active=True).order_by("code"))
    result = {}
    for each in sites:
        result[each.pk] = run_site(each, today=today, dry_run=dry_run, actor=actor)
        log.info(
            "retention %s: %d fiche(s) %s (conservation %d ans)",
            each.code,
            result[each.pk],
            "à anonymiser (essai)" if dry_run else "anonymisée(s)",
            each.retention_years,
        )
    return result


def retention_run(*, actor: User, site: Site) -> int:
    """« Anonymiser maintenant » on the preview screen: the site's job, run by a person allowed to."""
    require_step(actor, "customers.retention", site=site)  # another site's is refused too
    return run_site(site, actor=actor)
