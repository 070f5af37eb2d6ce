"""Reads of the reception, always within the user's sites (another site's ticket answers 404)."""

import datetime
from collections import Counter as Tally
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Avg, Count, QuerySet
from django.utils import timezone

from atelier.core.days import day_start
from atelier.core.models import Site, User
from atelier.core.scoping import visible_or_404
from atelier.reception.choices import Channel, Destination, Reason, TicketStatus
from atelier.reception.models import Complaint, Counter, PriorityRule, ReceptionSettings, Ticket
from atelier.reception.queueing import expected_waits, percentile

MIN_SAMPLES = 5
SERVICE_TIME_CACHE_SECONDS = 300


def reception_settings(site: Site) -> ReceptionSettings:
    """The site's settings, or the defaults (unsaved) when the manager has not set any."""
    found = ReceptionSettings.objects.of_site(site).first()
    return found or ReceptionSettings(site=site)


def counters(site: Site) -> QuerySet[Counter]:
    return Counter.objects.of_site(site).filter(is_active=True)


def counter_get(*, user: User, pk: int) -> Counter:
    return visible_or_404(Counter.objects.select_related("site"), user, pk=pk)


def priority_rules() -> QuerySet[PriorityRule]:
    return PriorityRule.objects.filter(is_active=True)


def ticket_get(*, user: User, pk: int) -> Ticket:
    qs = Ticket.objects.select_related("site", "counter", "priority", "customer", "called_by", "created_by")
    return visible_or_404(qs, user, pk=pk)


def service_minutes(
    site: Site, *, now: datetime.datetime | None = None, settings: ReceptionSettings | None = None
) -> dict[str, float]:
    """Mean measured service time (minutes) of each reason over the site's last `measure_days` days; a reason
    with fewer than MIN_SAMPLES measures is left out (the default applies). Cached a few minutes per site."""
    key = f"reception:service-minutes:{site.pk}"
    if now is None and (cached := cache.get(key)) is not None:
        return cached
    settings = settings or reception_settings(site)
    since = (now or timezone.now()) - datetime.timedelta(days=settings.measure_days)
    rows = (
        Ticket.objects.of_site(site)
        .filter(
            finished_at__gte=since,
            status__in=[TicketStatus.SERVI, TicketStatus.REDIRIGE],
        )
        .values("reason")
        .annotate(n=Count("pk"), mean=Avg("service_seconds"))
        .order_by()
    )
    result = {r["reason"]: round(r["mean"] / 60, 2) for r in rows if r["n"] >= MIN_SAMPLES}
    if now is None:
        cache.set(key, result, SERVICE_TIME_CACHE_SECONDS)
    return result


@dataclass
class QueueState:
    waiting: list[Ticket]  # in call order, each with .expected_wait (minutes)
    waiting_count: int
    newcomer_wait: int
    in_progress: list[Ticket]
    service_minutes: dict[str, float]
    default_minutes: int
    open_counters: int


def queue_state(
    site: Site,
    *,
    limit: int | None = None,
    now: datetime.datetime | None = None,
    open_counters: int | None = None,
) -> QueueState:
    """The waiting tickets in call order with their expected wait, and the tickets being served (3–4 queries).

    With `limit` (the public display): only the first `limit` waiting tickets, read as bare values, and no
    tickets in progress."""
    settings = reception_settings(site)
    waiting_qs = Ticket.objects.of_site(site).filter(status=TicketStatus.EN_ATTENTE).order_by("rank_at", "pk")
    if limit is None:
        waiting_qs = waiting_qs.select_related("priority", "customer")
        waiting = list(waiting_qs)
        reasons = [t.reason for t in waiting]
    else:  # the display needs every reason for the newcomer's wait, but only the first tickets themselves
        rows = list(waiting_qs.values_list("pk", "number", "channel", "reason"))
        reasons = [r[3] for r in rows]
        waiting = [Ticket(pk=pk, number=n, channel=c, reason=r) for pk, n, c, r in rows[:limit]]
    measured = service_minutes(site, now=now, settings=settings)
    if open_counters is None:
        open_counters = counters(site).count()
    waits = expected_waits(
        reasons,
        service_minutes=measured,
        default_minutes=settings.default_service_minutes,
        counters=open_counters,
    )
    for ticket, wait in zip(waiting, waits, strict=False):
        ticket.expected_wait = wait
    in_progress = (
        []
        if limit is not None  # the display shows the last numbers called, not who is at which counter
        else list(
            Ticket.objects.of_site(site)
            .filter(status=TicketStatus.APPELE)
            .select_related("counter", "customer", "called_by")
            .order_by("called_at", "pk")
        )
    )
    return QueueState(
        waiting=waiting,
        waiting_count=len(reasons),
        newcomer_wait=waits[-1],
        in_progress=in_progress,
        service_minutes=measured,
        default_minutes=settings.default_service_minutes,
        open_counters=open_counters,
    )


def display_board(site: Site, *, called: int = 6, waiting: int = 12) -> dict:
    """What the public screen shows: numbers and counters only, never a name or a phone number."""
    start = day_start(timezone.localdate())
    last_called = list(
        Ticket.objects.of_site(site)
        .filter(called_at__gte=start, channel=Channel.COMPTOIR)
        .exclude(counter=None)
        .order_by("-called_at", "-pk")
        .values_list("number", "counter__name", "status")[:called]
    )
    state = queue_state(site, limit=waiting)
    return {
        "called": [
            {"code": f"{n:03d}", "counter": name, "current": status == TicketStatus.APPELE}
            for n, name, status in last_called
        ],
        "waiting": [t.code for t in state.waiting],
        "waiting_count": state.waiting_count,
        "newcomer_wait": state.newcomer_wait,
    }


_COMPLAINT_RELATED = ("customer", "case", "ticket", "created_by", "handled_by")


def complaint_visible(user: User) -> QuerySet[Complaint]:
    return Complaint.objects.visible_to(user).select_related(*_COMPLAINT_RELATED)


def complaint_get(*, user: User, pk: int) -> Complaint:
    return visible_or_404(Complaint.objects.select_related(*_COMPLAINT_RELATED), user, pk=pk)


def complaints_open(user: User) -> QuerySet[Complaint]:
    return complaint_visible(user).filter(handled_at=None).order_by("created_at", "pk")


def site_measures(site: Site, *, date_from: datetime.date, date_to: datetime.date) -> dict:
    """The manager's figures over a period (one query): tickets per hour and per reason, waits against the
    site's target, no-show rate, redirections by destination."""
    settings = reception_settings(site)
    rows = list(
        Ticket.objects.of_site(site)
        .filter(day__gte=date_from, day__lte=date_to)
        .values_list("arrived_at", "reason", "status", "wait_seconds", "destination", "channel")
    )
    per_hour = Tally(timezone.localtime(r[0]).hour for r in rows)
    per_reason = Tally(r[1] for r in rows)
    waits = [r[3] / 60 for r in rows if r[3] is not None and r[5] == Channel.COMPTOIR]
    called = [r for r in rows if r[2] != TicketStatus.EN_ATTENTE and r[5] == Channel.COMPTOIR]
    no_shows = sum(1 for r in called if r[2] == TicketStatus.ABSENT)
    redirected = Tally(r[4] for r in rows if r[2] == TicketStatus.REDIRIGE)
    median = percentile(waits, 50)
    p90 = percentile(waits, 90)
    hours = range(min(per_hour, default=8), max(per_hour, default=18) + 1) if per_hour else range(8, 19)
    return {
        "total": len(rows),
        "calls": sum(1 for r in rows if r[5] == Channel.TELEPHONE),
        "per_hour": [{"hour": h, "count": per_hour.get(h, 0)} for h in hours],
        "per_reason": [
            {"label": label, "count": per_reason.get(value, 0)} for value, label in Reason.choices
        ],
        "wait_median": median,
        "wait_p90": p90,
        "target": settings.wait_target_minutes,
        "p90_over_target": p90 is not None and p90 > settings.wait_target_minutes,
        "no_show_rate": (no_shows / len(called) * 100) if called else None,
        "no_shows": no_shows,
        "called": len(called),
        "redirected": [
            {"label": label, "count": redirected.get(value, 0)} for value, label in Destination.choices
        ],
    }


def hour_chart(per_hour: list[dict], *, width: int = 640, height: int = 220) -> dict:
    """Geometry of the server-rendered SVG bar chart of tickets per hour."""
    top = max((p["count"] for p in per_hour), default=0) or 1
    left, bottom, right, top_pad = 36, 28, 8, 12
    plot_w, plot_h = width - left - right, height - bottom - top_pad
    slot = plot_w / max(1, len(per_hour))
    bars = []
    for i, p in enumerate(per_hour):
        h = plot_h * p["count"] / top
        bars.append(
            {
                "x": round(left + i * slot + slot * 0.15, 1),
                "y": round(top_pad + plot_h - h, 1),
                "w": round(slot * 0.7, 1),
                "h": round(h, 1),
                "label_x": round(left + i * slot + slot / 2, 1),
                "hour": p["hour"],
                "count": p["count"],
            }
        )
    return {
        "width": width,
        "height": height,
        "bars": bars,
        "axis_y": top_pad + plot_h,
        "left": left,
        "max": top,
        "max_y": top_pad,
        "label_y": height - 8,
    }
