"""The indicators pages (issue 21 point 6): p95 of every indicators page at a given size.

    .venv/bin/python bench/bench_indicators.py --dossiers 20000                     # SQLite, throw-away folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/atelier_indicators_bench \\
        .venv/bin/python bench/bench_indicators.py --dossiers 40000 --replicate 24   # PostgreSQL, fresh db
    .venv/bin/python bench/bench_indicators.py --reuse --database postgres://…/atelier_indicators_bench
                                                    # time that database again, generate nothing
    options: --sites 10  --samples 20  --replicate K  --database URL  --reuse  --profile

What it does:
1. migrates a throw-away database (PostgreSQL: a fresh one, `createdb`) and writes `--dossiers` finished
   dossiers with their whole story (indicators.history.build, as the demo's year of history: events, quotes,
   parts, repair orders, diagnoses, returns) handed back over the last 12 months on `--sites` sites, plus
   today's (computed live);
2. runs the nightly job's catch-up for every site (aggregate.refresh_due: the first night of a site stores its
   last 400 days in one go) and prints its time;
3. `--replicate K` copies the stored rows of those sites onto K×sites more sites (INSERT … SELECT): the pages
   read only the stored rows of the period plus today's dossiers live, so this stands for (K+1)× the dossiers
   spread over (K+1)× the sites, without writing their events (the line « represents » says how many);
   then sums the network's rows (the job `indicators_network`) and runs `VACUUM ANALYZE`;
4. times each page (Django's test client in-process: a warm-up, then `--samples` requests, the first counting
   its queries) for the manager of the first site and for the network manager who sees every site.

Prints `page  user  queries  p50_ms  p95_ms`, then the worst p95.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from decimal import Decimal

BENCH = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(os.path.dirname(BENCH), "src")
sys.path[:0] = [BENCH, SRC]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dossiers", type=int, default=20000)
    parser.add_argument("--sites", type=int, default=10)
    parser.add_argument("--samples", type=int, default=20)
    parser.add_argument("--replicate", type=int, default=0)
    parser.add_argument("--database", default=None)
    parser.add_argument("--profile", action="store_true", help="profile one request of each page (cProfile)")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="time an already generated database (--database): migrate it, sum the network's rows, time",
    )
    args = parser.parse_args()
    if args.database:
        os.environ["DATABASE_URL"] = args.database
    os.environ.setdefault("ATELIER_DATA_DIR", __import__("tempfile").mkdtemp(prefix="atelier-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "atelier.config.settings")
    os.environ.setdefault("ATELIER_DEBUG", "0")
    os.environ.setdefault("ATELIER_SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
    os.environ.setdefault("ATELIER_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
    os.environ.setdefault("ATELIER_JOURNAL_KEY", "bench-only-journal-key-" + "x" * 40)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # production's manifest storage
    from atelier.repairs.models import RepairCase

    if args.reuse:
        from atelier.core.models import User
        from atelier.indicators import aggregate

        started = time.perf_counter()
        aggregate.rebuild_network()  # a migration may have left the network's rows to sum
        print(f"network rows summed in {time.perf_counter() - started:.1f} s")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        users = User.objects.filter(username__in=["bench-resp", "bench-reseau"]).order_by("username")
        manager, network = users.get(username="bench-resp"), users.get(username="bench-reseau")
        _time_pages(manager, network, args.samples, profile=args.profile)
        return
    if (
        RepairCase.objects.exists()
    ):  # issued documents refuse TRUNCATE (triggers): start from a fresh database
        sys.exit("La base n'est pas vide : créez-en une neuve (dropdb / createdb) pour ce banc d'essai.")
    started = time.perf_counter()
    sites, manager, network = _generate(args.dossiers, args.sites)
    print(
        f"generated {args.dossiers} dossiers on {len(sites)} sites in {time.perf_counter() - started:.0f} s "
        f"({connection.vendor})"
    )
    from django.utils import timezone

    from atelier.indicators import aggregate
    from atelier.indicators.models import DailyFigures

    started = time.perf_counter()
    for site in sites:
        aggregate.refresh_due(site.pk, timezone.localdate())
    rows = DailyFigures.objects.count()
    print(
        f"nightly catch-up (400 days per site): {time.perf_counter() - started:.1f} s, {rows} stored rows, "
        f"{_rollup_rows()} roll-up rows"
    )
    if args.replicate:
        clones = _replicate(sites, args.replicate, network)
        print(
            f"replicated the stored rows onto {clones} more sites: {DailyFigures.objects.count()} stored rows, "
            f"{_rollup_rows()} roll-up rows"
        )
    print(
        f"represents {args.dossiers * (args.replicate + 1)} dossiers on {len(sites) * (args.replicate + 1)} "
        f"sites"
    )
    started = time.perf_counter()
    written = aggregate.rebuild_network()  # the job `indicators_network`, after the nights (and the copies)
    print(f"network rows: {written} written in {time.perf_counter() - started:.1f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # the visibility map, as autovacuum would have made it
    _time_pages(manager, network, args.samples, profile=args.profile)


def _rollup_rows() -> str:
    from django.db.models import Count

    from atelier.indicators.models import RollupFigures

    counts = RollupFigures.objects.values_list("span").annotate(n=Count("pk")).order_by("span")
    return " + ".join(f"{n} {span}" for span, n in counts)


def _generate(n: int, site_count: int):
    from django.db import transaction

    from atelier.core.choices import Role
    from atelier.core.tests.factories import SiteFactory, UserFactory
    from atelier.customers.models import Appliance, Customer
    from atelier.indicators import demo
    from atelier.indicators.history import build
    from atelier.knowledge.models import Cause
    from atelier.stock.models import Part

    rng = random.Random(2026)
    sites = [SiteFactory(code=f"B{i:03d}", name=f"Atelier {i}") for i in range(site_count)]
    accueil = {s.pk: UserFactory(username=f"acc{s.code}", roles=[Role.ACCUEIL], sites=[s]) for s in sites}
    techs = {
        s.pk: [UserFactory(username=f"t{j}{s.code}", roles=[Role.TECHNICIEN], sites=[s]) for j in range(4)]
        for s in sites
    }
    manager = UserFactory(username="bench-resp", roles=[Role.RESPONSABLE_SAV], sites=[sites[0]])
    network = UserFactory(username="bench-reseau", roles=[Role.RESPONSABLE_SAV], sites=sites)
    network.is_chain_manager = True
    network.save()
    parts = [
        Part.objects.create(
            reference=f"BENCH-{i}",
            designation=f"Pièce {i}",
            price_ht=Decimal("30.00"),
            purchase_price_ht=Decimal("18.00"),
        )
        for i in range(20)
    ]
    causes = [Cause.objects.get_or_create(family="lave_linge", title=f"Cause {i}")[0] for i in range(8)]
    customers = {
        s.pk: Customer.objects.create(site=s, last_name="Banc", phone=f"+3361000{i:04d}")
        for i, s in enumerate(sites)
    }
    from django.utils import timezone

    today = timezone.localdate()
    per_batch = 5000
    for first in range(0, n, per_batch):
        count = min(per_batch, n - first)
        with transaction.atomic():
            appliances, plans = [], []
            for k in range(first, first + count):
                site = sites[k % len(sites)]
                family = demo._weighted(rng, demo.FAMILIES)
                brands = next(b for f, b, _w in demo.FAMILIES if f == family)
                appliances.append(
                    Appliance(
                        customer=customers[site.pk],
                        family=family,
                        brand=rng.choice(brands),
                        serial_number=f"B{k:07d}",
                    )
                )
                # most in the past year; one in 365 handed back today (the live part of the pages)
                days_ago = 0 if k % 365 == 0 else rng.randint(1, 364)
                plans.append((site, today - datetime.timedelta(days=days_ago), 11 - days_ago // 31))
            Appliance.objects.bulk_create(appliances)
            stories = [
                demo._story(
                    rng,
                    site,
                    appliance,
                    back_day,
                    max(0, month),
                    [t for t in techs[site.pk]],
                    accueil[site.pk],
                    parts,
                    causes,
                )
                for (site, back_day, month), appliance in zip(plans, appliances, strict=True)
            ]
            # a return under guarantee for about 1 in 16 repaired dossiers, received a few weeks after
            returns = []
            for story in stories[::16]:
                back = story.steps[-1][1]
                came = back + datetime.timedelta(days=rng.randint(5, 40))
                if came.date() < today:
                    returns.append(
                        demo._story(
                            rng,
                            story.site,
                            story.appliance,
                            min(today, came.date() + datetime.timedelta(days=5)),
                            6,
                            techs[story.site.pk],
                            accueil[story.site.pk],
                            parts,
                            causes,
                            received=came,
                        )
                    )
            build(stories + returns, number_prefix="B")
    return sites, manager, network


def _replicate(sites, times: int, network) -> int:
    """Copy the stored rows (and computed days) of the sites onto new sites, set-based."""
    from django.db import connection

    from atelier.core.tests.factories import SiteFactory
    from atelier.indicators.models import ComputedDay, DailyFigures, RollupFigures

    fields = [f.column for f in DailyFigures._meta.concrete_fields if f.column not in ("id", "site_id")]
    columns = ", ".join(fields)
    made = 0
    for k in range(times):
        for site in sites:
            clone = SiteFactory(code=f"R{k:02d}{site.code}", name=f"Copie {k} de {site.code}")
            network.sites.add(clone)
            with connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {DailyFigures._meta.db_table} ({columns}, site_id) "  # noqa: S608 (names from the model)
                    f"SELECT {columns}, %s FROM {DailyFigures._meta.db_table} WHERE site_id = %s",
                    [clone.pk, site.pk],
                )
                rollup = ", ".join(
                    f.column for f in RollupFigures._meta.concrete_fields if f.column not in ("id", "site_id")
                )
                cursor.execute(
                    f"INSERT INTO {RollupFigures._meta.db_table} ({rollup}, site_id) "  # noqa: S608
                    f"SELECT {rollup}, %s FROM {RollupFigures._meta.db_table} WHERE site_id = %s",  # noqa: S608
                    [clone.pk, site.pk],
                )
                cursor.execute(  # the clone's rows are site rows only: the network's are summed after
                    f"INSERT INTO {ComputedDay._meta.db_table} (day, computed_at, site_id) "  # noqa: S608
                    f"SELECT day, computed_at, %s FROM {ComputedDay._meta.db_table} WHERE site_id = %s",
                    [clone.pk, site.pk],
                )
            made += 1
    return made


def _time_pages(manager, network, samples: int, *, profile: bool = False) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    today = timezone.localdate()
    year = f"date_from={today - datetime.timedelta(days=364)}&date_to={today}"
    pages = [
        ("/indicateurs/", "30 days"),
        (f"/indicateurs/?{year}", "12 months"),
        (f"/indicateurs/reseau/?{year}", "network, 12 months"),
        (f"/indicateurs/export.csv?{year}&chart=par_family", "CSV by family"),
        (f"/api/indicators/?{year}", "API, 12 months"),
    ]
    print(f"{'page':<42} {'user':<13} {'queries':>7} {'p50_ms':>8} {'p95_ms':>8}")
    worst = (0.0, "")
    for user in (manager, network):
        client = Client()
        client.force_login(user)
        for url, label in pages:
            response = client.get(url)  # warm-up
            assert response.status_code == 200, (url, response.status_code)
            with CaptureQueriesContext(connection) as queries:  # it forces the debug cursor itself
                client.get(url)
            if profile:
                import cProfile
                import pstats

                profiler = cProfile.Profile()
                profiler.runcall(client.get, url)
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
            times = []
            for _i in range(samples):
                started = time.perf_counter()
                client.get(url)
                times.append((time.perf_counter() - started) * 1000)
            times.sort()
            p95 = times[max(0, int(len(times) * 0.95 + 0.5) - 1)]
            worst = max(worst, (p95, f"{label} ({user.username})"))
            print(
                f"{label:<42} {user.username:<13} {len(queries):>7} {statistics.median(times):>8.0f} "
                f"{p95:>8.0f}"
            )
    print(f"worst p95 {worst[0]:.0f} ms ({worst[1]})")


if __name__ == "__main__":
    main()
