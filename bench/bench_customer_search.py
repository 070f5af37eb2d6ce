"""Customer search at the counter: how long one search takes over a large customer base.

    .venv/bin/python bench/bench_customer_search.py [--customers 50000] [--runs 30]

Builds a throw-away database (SQLite in a temporary folder, or PostgreSQL when DATABASE_URL is set: use a
database of its own, e.g. postgres://postgres@127.0.0.1:5432/atelier_bench — it is flushed), fills it with
customers of one site (French names from the demo, real postcodes, phones, one appliance each), then times
customer_list() for each kind of search the counter uses and prints median and 95th percentile in ms.
"""

import argparse
import os
import random
import statistics
import sys
import time

from benchsetup import django_for_bench  # bench/ is sys.path[0] when run as a script


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    django_for_bench()
    from django.db import connection

    from atelier.core import geo
    from atelier.core.choices import Role
    from atelier.core.models import Site, User, UserRole
    from atelier.customers.cleaning import search_key
    from atelier.customers.models import Appliance, Customer, index_name_words
    from atelier.customers.selectors import SEARCH_CAP, customer_list
    from atelier.demo.names import FEMALE_FIRST_NAMES, LAST_NAMES, MALE_FIRST_NAMES

    if os.environ.get("DATABASE_URL"):  # use a new database: issued documents refuse TRUNCATE (flush)
        pass
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
    postcodes = [p for p in geo.all_postcodes() if p[:2] in {"75", "92", "93", "94"}]

    started = time.perf_counter()
    customers, phones = [], []
    for i in range(args.customers):
        first = rng.choice(FEMALE_FIRST_NAMES + MALE_FIRST_NAMES)
        last = rng.choice(LAST_NAMES)
        phone = f"+336{i:08d}"
        phones.append(phone)
        customers.append(
            Customer(
                site=site,
                first_name=first,
                last_name=last,
                phone=phone,
                email=f"client{i}@example.fr",
                postcode=rng.choice(postcodes),
                search_name=search_key(f"{last} {first}"),
            )
        )
    Customer.objects.bulk_create(customers, batch_size=2000)
    ids = list(Customer.objects.values_list("pk", flat=True))
    index_name_words(Customer.objects.only("pk", "search_name"))  # what save() does, for bulk-created rows
    Appliance.objects.bulk_create(
        [
            Appliance(customer_id=pk, family="lave_linge", brand="Bosch", serial_number=f"FD{pk:010d}")
            for pk in ids
        ],
        batch_size=2000,
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
        else:
            cursor.execute("ANALYZE")
    print(
        f"{connection.vendor}: {args.customers} customers and appliances loaded in "
        f"{time.perf_counter() - started:.1f} s"
    )

    probes = {
        "nom (lefevre)": lambda: "lefevre",
        "nom + prénom (martin camille)": lambda: "martin camille",
        "téléphone complet (06 …)": lambda: "0" + rng.choice(phones)[3:],
        "début de téléphone (06 00 01)": lambda: "06 00 01",
        "e-mail": lambda: f"client{rng.randrange(args.customers)}@example.fr",
        "code postal": lambda: rng.choice(postcodes),
        "n° de série (début)": lambda: f"FD{rng.choice(ids):010d}"[:9],
        "nom + code postal (martin 750..)": lambda: "martin " + rng.choice(postcodes),
    }
    print(
        f"{'recherche':34} {'médiane':>10} {'p95':>10} {'résultats':>10}"
        f"   (25 premiers et leur nombre plafonné à {SEARCH_CAP}, comme l'écran)"
    )
    for label, make_query in probes.items():
        timings, found = [], 0
        for _ in range(args.runs):
            query = make_query()
            t0 = time.perf_counter()
            found = customer_list(user=user, query=query)[: SEARCH_CAP + 1].count()
            list(customer_list(user=user, query=query)[:25])
            timings.append((time.perf_counter() - t0) * 1000)
        timings.sort()
        p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
        print(f"{label:34} {statistics.median(timings):8.1f}ms {p95:8.1f}ms {found:>10}")


if __name__ == "__main__":
    sys.exit(main())
