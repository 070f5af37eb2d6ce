"""The demo's counters and today's queue, so the reception screens have something to show."""

import datetime

from django.utils import timezone

from atelier.core.models import Site, User
from atelier.reception.models import Counter, PriorityRule, Ticket
from atelier.reception.services import ticket_take

COUNTERS = ("Guichet 1", "Guichet 2")
# (minutes ago, reason, priority rule code or "")
WAITING_TODAY = ((18, "depot", ""), (12, "retrait", ""), (9, "reclamation", ""), (4, "depot", "handicap"))


def ensure_counters(sites: dict[str, Site]) -> None:
    for site in sites.values():
        for name in COUNTERS:
            Counter.objects.get_or_create(site=site, name=name)


def ensure_queue_today(site: Site, clerk: User) -> int:
    """A few people waiting at the Paris counter today (only when nobody has taken a ticket yet today)."""
    now = timezone.now()
    if Ticket.objects.filter(site=site, day=timezone.localdate(now)).exists():
        return 0
    rules = {rule.code: rule for rule in PriorityRule.objects.filter(is_active=True)}
    for minutes, reason, rule in WAITING_TODAY:
        at = max(now - datetime.timedelta(minutes=minutes), timezone.localtime(now).replace(hour=0, minute=1))
        ticket_take(actor=clerk, site=site, reason=reason, priority=rules.get(rule), at=at)
    return len(WAITING_TODAY)
