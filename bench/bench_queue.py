"""The queue at scale: latency of "call next" and of the waiting-room display with a long history.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/atelier_bench \\
        .venv/bin/python bench/bench_queue.py [--counters 50] [--per-day 5000] [--days 90] [--runs 500]

Builds a throw-away database (PostgreSQL when DATABASE_URL is set — use a database of its own, it is flushed;
SQLite in a temporary folder otherwise), fills one site with `days` days of closed tickets (`per-day` a day,
bulk-inserted) and a queue for today, then times, for `counters` counters taking turns:
- ticket_call_next() (one transaction: the row lock, the update, the log line);
- the display: the whole public page and the fragment htmx polls every 5 s (view + template).
Prints median and 95th percentile in ms.
"""

import argparse
import datetime
import importlib
import os
import random
import statistics
import sys
import time

from benchsetup import django_for_bench  # bench/ is sys.path[0] when run as a script


def stats(label: str, timings: list[float]) -> None:
    timings = sorted(timings)
    p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
    print(f"{label:44} {statistics.median(timings):8.2f} ms {p95:8.2f} ms {len(timings):>8}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counters", type=int, default=50)
    parser.add_argument("--per-day", type=int, default=5000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--runs", type=int, default=500)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the history a previous run loaded; only refill today's queue",
    )
    args = parser.parse_args()

    django_for_bench()
    from django.core.management import call_command
    from django.utils import timezone

    from atelier.core.choices import Role
    from atelier.core.models import Site, User, UserRole
    from atelier.reception.choices import Destination, Reason, TicketStatus
    from atelier.reception.models import Counter, PriorityRule, Ticket
    from atelier.reception.queueing import rank_at

    if args.reuse and Site.objects.filter(code="BNCH").exists():
        site = Site.objects.get(code="BNCH")
        user = User.objects.get(username="bench")
        counters = list(Counter.objects.filter(site=site).select_related("site"))
        rules = list(PriorityRule.objects.all())
        Ticket.objects.filter(site=site, day=timezone.localdate()).delete()
        started = time.perf_counter()
        fill_today_and_time(args, site, user, counters, rules, started)
        return
    if os.environ.get("DATABASE_URL"):
        call_command("flush", interactive=False, verbosity=0)
        call_command("migrate", verbosity=0)  # flush empties the seeded rule tables too
    rng = random.Random(7)
    site = Site.objects.create(
        code="BNCH",
        name="Bench",
        legal_name="Bench SAS",
        siren="732829320",
        siret="73282932000074",
        address="1 rue",
        postcode="75011",
        city="Paris",
    )
    user = User.objects.create(username="bench")
    user.sites.add(site)
    UserRole.objects.create(user=user, role=Role.ACCUEIL)
    counters = Counter.objects.bulk_create(
        [Counter(site=site, name=f"Guichet {i}") for i in range(1, args.counters + 1)]
    )
    if not PriorityRule.objects.exists():  # flush emptied the rules the data migration seeded
        seeded = importlib.import_module("atelier.reception.migrations.0002_seed_priority_rules")
        for code, label, boost, position in seeded.RULES:
            PriorityRule.objects.create(code=code, label=label, boost_minutes=boost, position=position)
    rules = list(PriorityRule.objects.all())
    reasons = Reason.values
    destinations = Destination.values
    today = timezone.localdate()

    started = time.perf_counter()
    opening = datetime.time(9, 0)
    seconds_open = 9 * 3600  # 9:00 → 18:00
    for back in range(args.days, 0, -1):
        day = today - datetime.timedelta(days=back)
        start = timezone.make_aware(datetime.datetime.combine(day, opening))
        rows = []
        for n in range(1, args.per_day + 1):
            arrived = start + datetime.timedelta(seconds=seconds_open * n / args.per_day)
            priority = rng.choice(rules) if rng.random() < 0.05 else None
            wait = rng.randint(0, 1800)
            service = rng.randint(60, 900)
            roll = rng.random()
            status = (
                TicketStatus.SERVI
                if roll < 0.85
                else TicketStatus.ABSENT
                if roll < 0.93
                else TicketStatus.REDIRIGE
            )
            called = arrived + datetime.timedelta(seconds=wait)
            rows.append(
                Ticket(
                    site=site,
                    day=day,
                    number=n,
                    reason=rng.choice(reasons),
                    priority=priority,
                    arrived_at=arrived,
                    rank_at=rank_at(arrived, priority.boost_minutes if priority else 0),
                    status=status,
                    counter=rng.choice(counters),
                    called_at=called,
                    called_by=user,
                    wait_seconds=wait,
                    finished_at=called + datetime.timedelta(seconds=service),
                    service_seconds=service,
                    destination=rng.choice(destinations) if status == TicketStatus.REDIRIGE else "",
                    created_by=user,
                )
            )
        Ticket.objects.bulk_create(rows, batch_size=5000)
    fill_today_and_time(args, site, user, counters, rules, started)


def fill_today_and_time(args, site, user, counters, rules, started) -> None:
    from django.db import connection
    from django.test import RequestFactory

    from atelier.reception import views
    from atelier.reception.choices import Reason
    from atelier.reception.models import Ticket
    from atelier.reception.services import ticket_call_next, ticket_take

    rng = random.Random(11)
    reasons = Reason.values
    history = Ticket.objects.filter(site=site).count()
    # Today: the morning's queue, enough waiting tickets for every timed call.
    for _ in range(args.runs + 200):
        ticket_take(
            actor=user,
            site=site,
            reason=rng.choice(reasons),
            priority=rng.choice(rules) if rng.random() < 0.05 else None,
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"{connection.vendor}: {history} tickets over {args.days} days and {args.runs + 200} waiting today, "
        f"{args.counters} counters, loaded in {time.perf_counter() - started:.1f} s"
    )
    print(f"{'mesure':44} {'médiane':>11} {'p95':>11} {'essais':>8}")

    timings = []
    for i in range(args.runs):
        counter = counters[i % len(counters)]
        t0 = time.perf_counter()
        ticket_call_next(actor=user, counter=counter)
        timings.append((time.perf_counter() - t0) * 1000)
    stats("appeler le suivant (ticket_call_next)", timings)

    factory = RequestFactory()
    for label, view, path in (
        ("écran de la salle d'attente (page entière)", views.display, "/accueil-clients/affichage/BNCH/"),
        (
            "écran : fragment rafraîchi toutes les 5 s",
            views.display_board,
            "/accueil-clients/affichage/BNCH/tableau/",
        ),
    ):
        timings = []
        for _ in range(max(50, args.runs // 5)):
            request = factory.get(path)
            t0 = time.perf_counter()
            response = view(request, code="BNCH")
            timings.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200
        stats(label, timings)


if __name__ == "__main__":
    sys.exit(main())
