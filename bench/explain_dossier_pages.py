"""The dossier pages on a large history: time, queries and query plans of the home page, the dossier list
(filters, search, deep page), the dossier page and the reception queue.

    .venv/bin/python bench/explain_dossier_pages.py [--dossiers 200000] [--keep DIR] [--runs 5]

Loads the small demo, then adds `--dossiers` dossiers (90 % closed, spread over ten years) with one customer
and one appliance for every two dossiers, over the demo's sites. SQLite in a temporary folder (or `--keep DIR`
to build once and reuse the file), PostgreSQL when DATABASE_URL is set (a new empty database of its own: filled
on the first run, reused by the next ones).
For each page prints the median time, the number of queries, and every big table a query reads whole
(SQLite « SCAN table » without an index; PostgreSQL « Seq Scan » in the real plan).
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time

BIG_TABLES = {
    "repairs_repaircase",
    "repairs_caseevent",
    "customers_customer",
    "customers_appliance",
}


def _generate(n: int) -> None:
    from django.db import connection
    from django.utils import timezone

    from atelier.core.models import Site, User
    from atelier.customers.cleaning import search_key
    from atelier.customers.models import Appliance, Customer
    from atelier.demo.names import FEMALE_FIRST_NAMES, LAST_NAMES, MALE_FIRST_NAMES
    from atelier.repairs.choices import OPEN_STATUSES, CaseStatus
    from atelier.repairs.models import RepairCase

    rng = random.Random(16)
    sites = list(Site.objects.order_by("pk"))
    clerk = User.objects.filter(is_active=True).order_by("pk").first()
    now = timezone.now()
    started = time.perf_counter()
    batch = 5000
    made = 0
    while made < n:
        size = min(batch, n - made)
        customers = []
        for i in range(size // 2 or 1):
            k = made + i
            first, last = rng.choice(FEMALE_FIRST_NAMES + MALE_FIRST_NAMES), rng.choice(LAST_NAMES)
            customers.append(
                Customer(
                    site=rng.choice(sites),
                    first_name=first,
                    last_name=last,
                    phone=f"+337{k:08d}",
                    postcode=f"{rng.choice([75, 92, 93, 94, 69, 13])}{rng.randrange(1000):03d}",
                    city="Ville",
                    search_name=search_key(f"{last} {first}"),
                )
            )
        customers = Customer.objects.bulk_create(customers)
        appliances = Appliance.objects.bulk_create(
            [
                Appliance(customer=c, family="lave_linge", brand="Bosch", serial_number=f"WX{c.pk:09d}")
                for c in customers
            ]
        )
        cases = []
        for i in range(size):
            appliance = appliances[i % len(appliances)]
            customer = appliance.customer
            k = made + i
            # older dossiers are closed; the last few thousand are open in every state
            age = datetime.timedelta(minutes=int((n - k) * 10 * 365 * 24 * 60 / n) + rng.randrange(60))
            received = now - age
            is_open = (n - k) < n // 10 and rng.random() < 0.3
            status = (
                rng.choice(OPEN_STATUSES) if is_open else rng.choice([CaseStatus.CLOTURE] * 9 + ["annule"])
            )
            cases.append(
                RepairCase(
                    site_id=customer.site_id,
                    number=f"{customer.site_id:02d}G-{received.year}-{k:07d}",
                    customer=customer,
                    appliance=appliance,
                    status=status,
                    customer_words="Ne chauffe plus.",
                    received_at=received,
                    received_by=clerk,
                    status_changed_at=received + datetime.timedelta(days=3),
                    closed_at=None if is_open else received + datetime.timedelta(days=10),
                )
            )
        RepairCase.objects.bulk_create(cases)
        made += size
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"{n} dossiers added in {time.perf_counter() - started:.0f} s", flush=True)


def _scans(sql: str, params) -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("EXPLAIN " + sql, params)
            lines = [r[0] for r in cursor.fetchall()]
            return sorted({t for line in lines for t in BIG_TABLES if f"Seq Scan on {t} " in line + " "})
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        found = set()
        for row in cursor.fetchall():
            words = str(row[-1]).split()
            if len(words) >= 2 and words[0] == "SCAN" and "USING" not in words and words[1] in BIG_TABLES:
                found.add(words[1])
            if "TEMP B-TREE FOR ORDER BY" in str(row[-1]) or "TEMP B-TREE FOR RIGHT PART" in str(row[-1]):
                found.add("sort")
        return sorted(found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", default="", help="data folder kept between runs (SQLite)")
    parser.add_argument("--verbose", action="store_true", help="print the slowest queries and the full scans")
    parser.add_argument("--only", default="", help="only the pages whose URL contains this")
    args = parser.parse_args()
    if args.keep:
        os.environ["ATELIER_DATA_DIR"] = args.keep
    sys.path.insert(0, os.path.dirname(__file__))
    from benchsetup import django_for_bench

    django_for_bench()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    override_settings(ALLOWED_HOSTS=["*"]).enable()

    from atelier.core.choices import Role
    from atelier.core.models import Site, User
    from atelier.core.tests.factories import UserFactory
    from atelier.demo import load_demo
    from atelier.demo.loader import MIN_CUSTOMERS
    from atelier.repairs.models import RepairCase

    if not RepairCase.objects.exists():
        import io

        with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
            load_demo(stdout=io.StringIO(), customers=MIN_CUSTOMERS)
        _generate(args.dossiers)
    else:
        call_command("migrate", verbosity=0)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    site = Site.objects.get(code="PAR1")
    users = {}
    for name, roles, chain in [
        ("bench-accueil", [Role.ACCUEIL], False),
        ("bench-tech", [Role.TECHNICIEN], False),
        ("bench-resp", [Role.RESPONSABLE_SAV], False),
        ("bench-compta", [Role.COMPTABLE], False),
        ("bench-tout", list(Role), False),
        ("bench-reseau", list(Role), True),
    ]:
        user = User.objects.filter(username=name).first() or UserFactory(
            username=name, roles=roles, sites=[site]
        )
        if chain and not user.is_chain_manager:
            user.is_chain_manager = True
            user.save(update_fields=["is_chain_manager"])
        users[name] = user
    some = RepairCase.objects.filter(site=site).order_by("-received_at").values_list("pk", "number")[500]
    customer = RepairCase.objects.get(pk=some[0]).customer
    from django.utils import timezone

    today = timezone.localdate()
    pages = [
        ("bench-accueil", "/"),
        ("bench-tech", "/"),
        ("bench-resp", "/"),
        ("bench-compta", "/"),
        ("bench-reseau", "/"),
        ("bench-accueil", "/dossiers/"),
        ("bench-accueil", "/dossiers/?page=50"),
        ("bench-reseau", "/dossiers/"),
        ("bench-reseau", "/dossiers/?page=50"),
        ("bench-accueil", "/dossiers/?status=ouverts"),
        ("bench-accueil", "/dossiers/?status=pret"),
        ("bench-accueil", "/dossiers/?status=cloture"),
        ("bench-reseau", "/dossiers/?status=ouverts"),
        ("bench-accueil", "/dossiers/?status=accepte&unassigned=1"),
        ("bench-accueil", "/dossiers/?family=lave_linge"),
        ("bench-accueil", f"/dossiers/?date_from={today}&date_to={today}"),
        ("bench-accueil", "/dossiers/?q=martin"),
        ("bench-reseau", "/dossiers/?q=martin"),
        ("bench-accueil", f"/dossiers/?q={some[1]}"),
        ("bench-accueil", f"/dossiers/?q={customer.phone.replace('+33', '0')}"),
        ("bench-accueil", f"/dossiers/?q={customer.postcode}"),
        ("bench-accueil", "/dossiers/?q=WX000001234"),
        ("bench-accueil", f"/dossiers/{some[0]}/"),
        ("bench-tout", f"/dossiers/{some[0]}/"),
        ("bench-accueil", "/accueil-clients/"),
    ]
    print(f"{connection.vendor}, {RepairCase.objects.count()} dossiers")
    print(f"{'user':14} {'page':52} {'median':>8} {'queries':>7}  full scans")
    for username, url in pages:
        if args.only and args.only not in f"{username} {url}":
            continue
        client = Client()
        client.force_login(users[username])
        client.get(url)
        timings = []
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as queries:
                t0 = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - t0) * 1000)
        scans = {}
        for q in queries.captured_queries:
            sql = q["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            try:
                found = _scans(sql, ())
            except Exception:  # noqa: BLE001 (params inlined by the capture: some do not re-run)
                continue
            for table in found:
                scans.setdefault(table, []).append(sql)
        status = "" if response.status_code == 200 else f" [{response.status_code}]"
        print(
            f"{username:14} {url[:52]:52} {statistics.median(timings):7.0f}ms {len(queries):7}  "
            f"{', '.join(f'{t}×{len(s)}' for t, s in scans.items())}{status}",
            flush=True,
        )
        if args.verbose:
            for table, sqls in scans.items():
                if table != "sort":
                    for sql in sqls:
                        print(f"      SCAN {table}: {sql[:60]} … {sql[sql.find(' FROM ') :][:1200]}")
            for q in sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:4]:
                if float(q["time"]) >= 0.005 and not any(q["sql"] in sqls for sqls in scans.values()):
                    sql = q["sql"]
                    print(
                        f"      {float(q['time']) * 1000:.0f}ms {sql[:60]} … {sql[sql.find(' FROM ') :][:900]}"
                    )


if __name__ == "__main__":
    sys.exit(main())
