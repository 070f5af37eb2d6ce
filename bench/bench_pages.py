"""Every main page at two data sizes, per role, and the production server under 8 concurrent clients.

    .venv/bin/python bench/bench_pages.py --dossiers 200000                       # SQLite in a temporary folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/atelier_bench \\
        .venv/bin/python bench/bench_pages.py --dossiers 1000000                  # PostgreSQL (flushed first)
    options: --database URL (instead of DATABASE_URL)  --small 10000  --concurrency 8  --seconds 20
             --samples 20  --roles accueil,comptable  --port 8801  --no-http

Generating and timing apart (a million dossiers on PostgreSQL take far longer to write than to time):

    .venv/bin/python bench/bench_pages.py --dossiers 1000000 --keep --generate-only \
        --database postgres://postgres@127.0.0.1:5432/atelier_bench      # writes atelier_bench_small and _large
    .venv/bin/python bench/bench_pages.py --reuse \
        --database postgres://postgres@127.0.0.1:5432/atelier_bench      # times both, generates nothing

    --keep          the two sizes live in two databases kept at the end: `<name>_small` (the demo and --small
                    dossiers) and `<name>_large` (a copy of the small one, grown to --dossiers); on SQLite the
                    files bench_small.sqlite3 and bench_large.sqlite3 in ATELIER_DATA_DIR (which must then be
                    given). Without --keep the one database is grown in place and left as it is.
    --generate-only with --keep: write both databases, time nothing.
    --reuse         generate nothing: migrate both kept databases (the checkout's new migrations, e.g. an index),
                    VACUUM ANALYZE them (PostgreSQL; ANALYZE on SQLite) and time them, page by page: each page
                    on the small one then at once on the large one, so that both sizes of a page share the
                    machine's load of that minute and the ratio is the data's. The pages' objects are
                    picked as at generation (the template's first ids are stored in each database, table
                    bench_template). The billing page's first load then only checks what nobody checked yet
                    (after --generate-only: the whole journal, once).

What it does:
1. migrates a throw-away database and loads the demo (`atelier demo`: its sites PAR1 and LYO1, its logins of
   every role, its catalogue, queue and plans), adds two sites of the chain (Marseille, Lille);
2. writes `--small` generated dossiers with everything hanging on them (bench/pagedata.py: customers,
   appliances, timelines, quotes, repair orders, visits, stock moves, invoices, payments and their journal
   entries), 6 in 10 in Paris (the demo's users' site), and times every page for every role that uses it
   (Django's test client in-process: a warm-up request, then `--samples` timed ones, the first of them counting
   its queries with CaptureQueriesContext; only 5 for a page slower than 0.5 s, and for one whose warm-up took
   more than 30 s the warm-up alone, so that a page taking minutes does not take the run hours). The dossier
   page is timed alone and each of its sections (/dossiers/<pk>/volet/<key>/, loaded when they come into view)
   on a line of its own, summed up in « dossier page + sections ». The billing page as comptable checks the
   journal from its stored checkpoint: its first load after an import verifies everything once, so it gets one
   request of its own before the warm-up, printed apart under the table. Before timing, the indicator pages'
   stored figures are written as the nightly jobs would have: every site's last 62 nights and the network's
   sums (store_indicator_nights, once per database and day);
3. grows the generated data to `--dossiers` with set-based copies and times the same pages again;
4. starts `gunicorn atelier.config.wsgi` (4 workers, production settings) on the large database, logs
   `--concurrency` clients in through the login form and has them open a mix of the main pages for
   `--seconds` seconds; prints requests per second and the p95.

Prints one line per (page, role): `page  role  queries  p95_small_ms  p95_large_ms  ratio`, then
`worst ratio X.XX (page)` and `http  clients=8  rps=…  p95=… ms`. Query counts that differ between the two
sizes are shown as « small→large ». Pages answering anything but 200 to a role are left out of the table and
listed at the end.
"""

import argparse
import http.client
import logging
import math
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

BENCH = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(os.path.dirname(BENCH), "src")
# the checkout's code, not whichever one the shared virtualenv installed (also for gunicorn: PYTHONPATH)
sys.path[:0] = [BENCH, SRC]
os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (SRC, os.environ.get("PYTHONPATH", "")) if p)
from benchsetup import django_for_bench  # noqa: E402

ROLES = ["accueil", "technicien", "responsable", "magasinier", "comptable", "reseau"]
SECTION_PREFIX = "dossier volet "  # a section of the dossier page (/dossiers/<pk>/volet/<key>/)
# Pages whose first load after an import verifies everything once (the accountant's billing page walks the
# whole journal from checkpoint 0, then only what was written since): that first load is timed on its own.
FIRST_LOAD = {("facturation", "comptable")}
SLOW_MS = 500  # a page slower than this gets 5 samples, not 20: the figure is clear and the run stays short
VERY_SLOW_MS = 30_000  # …and one slower than this only its warm-up (queries counted there): minutes a request


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=200_000, help="generated dossiers at the large size")
    parser.add_argument("--small", type=int, default=10_000, help="generated dossiers at the small size")
    parser.add_argument(
        "--database", default="", help="DATABASE_URL (PostgreSQL); SQLite in a temp dir if empty"
    )
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--samples", type=int, default=20)
    parser.add_argument("--roles", default=",".join(ROLES), help="comma-separated demo usernames")
    parser.add_argument("--port", type=int, default=0, help="gunicorn's port (a free one when 0)")
    parser.add_argument(
        "--max-page-seconds",
        type=float,
        default=300.0,
        help="at the large size, skip a page whose small p95 × growth of the data exceeds this",
    )
    parser.add_argument("--demo-customers", type=int, default=200, help="size of the demo loaded first")
    parser.add_argument("--no-http", action="store_true", help="skip the concurrent HTTP measure")
    parser.add_argument("--keep", action="store_true", help="two databases <name>_small and _large, kept")
    parser.add_argument("--generate-only", action="store_true", help="with --keep: write them, time nothing")
    parser.add_argument("--reuse", action="store_true", help="time the kept databases, generate nothing")
    args = parser.parse_args()
    if args.generate_only and not args.keep:
        parser.error("--generate-only needs --keep (otherwise the data would be lost at once)")
    if args.keep and args.reuse:
        parser.error("--keep writes the databases, --reuse times them: one or the other")
    return args


# ---------------------------------------------------------------------------------------------------------------
# The pages


def pages(probe: dict) -> list[tuple[str, str, list[str]]]:
    """(label, url, roles that use it); `probe` holds the ids and search terms picked from the template."""
    front = ["accueil", "responsable", "reseau"]
    probe = {**probe, "surname_q": urllib.parse.quote(probe["surname"])}
    return [
        ("home", "/", ROLES),
        # its detailed panels, asked for when « Détail par sujet » is unfolded (htmx)
        ("home volets", "/accueil/volets/", ROLES),
        ("dossiers", "/dossiers/", ["accueil", "technicien", "responsable", "reseau"]),
        ("dossiers ?page=50", "/dossiers/?page=50", front),
        (f"dossiers ?q={probe['surname']}", f"/dossiers/?q={probe['surname_q']}", front),
        ("dossiers ?q=<n° dossier>", f"/dossiers/?q={probe['case_number']}", ["accueil"]),
        ("dossiers ?status=en_reparation", "/dossiers/?status=en_reparation", ["accueil", "responsable"]),
        ("dossiers ?status=cloture", "/dossiers/?status=cloture", ["accueil", "responsable"]),
        ("dossiers ?family=lave_linge", "/dossiers/?family=lave_linge", ["responsable"]),
        ("dossiers ?location=domicile", "/dossiers/?location=domicile", ["responsable"]),
        ("dossiers ?date_from=<-30 j>", f"/dossiers/?date_from={probe['month_ago']}", ["responsable"]),
        ("dossiers ?unassigned=on", "/dossiers/?unassigned=on", ["responsable"]),
        ("dossiers ?unpaid=1", "/dossiers/?unpaid=1", ["accueil"]),
        ("dossiers ?late=1", "/dossiers/?late=1", ["responsable"]),
        ("dossier page", f"/dossiers/{probe['case']}/", ["accueil", "technicien", "responsable"]),
        # its sections, each asked by the page when it comes into view (htmx): one line each for accueil
        *[
            (f"{SECTION_PREFIX}{key}", f"/dossiers/{probe['case']}/volet/{key}/", ["accueil"])
            for key in probe["sections"]
        ],
        ("clients", "/clients/", ["accueil"]),
        (f"clients ?q={probe['surname']}", f"/clients/?q={probe['surname_q']}", ["accueil", "reseau"]),
        ("clients ?q=06 12", "/clients/?q=06+12", ["accueil"]),
        (f"clients ?q={probe['postcode']}", f"/clients/?q={probe['postcode']}", ["accueil"]),
        ("clients ?q=<n° de série>", f"/clients/?q={probe['serial']}", ["accueil"]),
        ("client page", f"/clients/{probe['customer']}/", ["accueil"]),
        ("stock", "/stock/", ["magasinier"]),
        ("stock mouvements", "/stock/mouvements/", ["magasinier"]),
        ("stock pièces", "/stock/pieces/", ["magasinier"]),
        ("stock à commander", "/stock/a-commander/", ["magasinier"]),
        ("stock commandes", "/stock/commandes/", ["magasinier"]),
        ("facturation", "/facturation/", ["comptable", "responsable"]),
        # the invoice list without the journal's check (a responsable does not close periods)
        ("factures ?sort=number", "/facturation/?sort=number", ["responsable"]),
        ("factures ?kind=facture", "/facturation/?kind=facture", ["responsable"]),
        ("facture page", f"/facturation/facture/{probe['invoice']}/", ["comptable"]),
        ("planning jour", "/planning/", ["responsable"]),
        ("planning visites", "/planning/visites/", ["responsable"]),
        ("planning atelier", "/planning/atelier/", ["responsable"]),
        ("planning dépôts", "/planning/depots/", ["accueil"]),
        ("ma journée", "/planning/ma-journee/", ["technicien"]),
        ("file d'attente", "/accueil-clients/", ["accueil"]),
        ("mécontentements", "/accueil-clients/mecontentements/", ["accueil", "responsable"]),
        ("indicateurs accueil", "/accueil-clients/mesures/", ["responsable"]),
        ("non-conformités", "/procedures/non-conformites/", ["responsable"]),
        # the last 30 days against the 30 before: stored nights (store_indicator_nights) plus today live
        ("indicateurs", "/indicateurs/", ["responsable", "reseau"]),
        ("indicateurs réseau", "/indicateurs/reseau/", ["reseau"]),
        ("amélioration", "/amelioration/", ["responsable", "reseau"]),
        ("enquête de satisfaction", "/amelioration/enquete/", ["responsable"]),
    ]


def pick_probe(tpl) -> dict:
    """Search terms and objects of the template in Paris (the demo users' site), the same at both sizes."""
    import datetime

    from django.db.models import Count
    from django.utils import timezone

    from atelier.billing.models import Invoice
    from atelier.customers.models import Appliance, Customer
    from atelier.repairs.choices import OPEN_STATUSES
    from atelier.repairs.extensions import detail_section_keys
    from atelier.repairs.models import RepairCase

    first_case = tpl.first[RepairCase._meta.db_table]
    generated = RepairCase.objects.filter(pk__gte=first_case, site__code="PAR1")
    case = generated.filter(status__in=OPEN_STATUSES).order_by("-pk").first()
    customers = Customer.objects.filter(pk__gte=tpl.first[Customer._meta.db_table], site__code="PAR1")
    common = customers.values("last_name").annotate(n=Count("pk")).order_by("-n", "last_name")[0]
    postcode = customers.values("postcode").annotate(n=Count("pk")).order_by("-n", "postcode")[0]
    appliance = Appliance.objects.filter(customer_id=case.customer_id).first()
    invoice = Invoice.objects.filter(pk__gte=tpl.first[Invoice._meta.db_table], site__code="PAR1").last()
    return {
        "case": case.pk,
        "case_number": case.number,
        "customer": case.customer_id,
        "surname": common["last_name"].lower(),
        "postcode": postcode["postcode"],
        "serial": appliance.serial_number,
        "invoice": invoice.pk,
        "month_ago": (timezone.localdate() - datetime.timedelta(days=30)).isoformat(),
        "sections": detail_section_keys(),
    }


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(len(ordered) * 0.95) - 1)]


def time_pages(
    page_list, users: dict, samples: int, skip: dict | None = None, first_loads: dict | None = None
) -> dict:
    """{(label, role): (queries, p95 ms) or (None, status)} for every page and role, in-process; the pairs in
    `skip` are not requested and keep their reason. The first load of the FIRST_LOAD pages goes in
    `first_loads` (ms), before their ordinary warm-up."""
    first_loads = {} if first_loads is None else first_loads
    results = {}
    for label, url, roles in page_list:
        for role in roles:
            if role in users:
                results[(label, role)] = time_one(label, url, role, users, samples, skip, first_loads)
    return results


def time_one(label: str, url: str, role: str, users: dict, samples: int, skip, first_loads: dict):
    """(queries, p95 ms) or (None, status or reason) of one page for one role on the current database."""
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    if skip and (label, role) in skip:
        print(f"  {label:34} {role:12} {skip[(label, role)]}", flush=True)
        return (None, skip[(label, role)])
    client = Client()
    client.force_login(users[role])  # a session in the current database (each size has its own)
    reset_queries()  # the log is a bounded deque: a full one would count nothing
    if (label, role) in FIRST_LOAD:  # the warm-up below is then an ordinary load
        started = time.perf_counter()
        response = client.get(url)
        first_loads[(label, role)] = (time.perf_counter() - started) * 1000
        print(f"  {label:34} {role:12} first load {first_loads[(label, role)]:8.1f} ms", flush=True)
        reset_queries()
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as first:
        response = client.get(url)  # the warm-up
    first_ms = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        return (None, response.status_code)
    if first_ms > VERY_SLOW_MS:  # minutes a request (before issue 16: the journal's full check)
        print(f"  {label:34} {role:12} {len(first):>4} q  once    {first_ms:8.1f} ms", flush=True)
        return (len(first), first_ms)
    reset_queries()
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    timings = [(time.perf_counter() - started) * 1000]
    count = len(queries)  # now: the next request empties the log the context reads
    while len(timings) < (5 if timings[0] > SLOW_MS else samples):
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    print(f"  {label:34} {role:12} {count:>4} q  p95 {p95(timings):8.1f} ms", flush=True)
    return (count, p95(timings))


def print_table(page_list, small: dict, large: dict, first_loads: tuple[dict, dict] = ({}, {})) -> None:
    print(f"\n{'page':34} {'role':12} {'queries':>9} {'p95_small_ms':>13} {'p95_large_ms':>13} {'ratio':>6}")
    worst, refused = (0.0, ""), []
    for label, _url, roles in page_list:
        for role in roles:
            if (label, role) not in small:
                continue
            (q_small, t_small), (q_large, t_large) = small[(label, role)], large.get((label, role), (None, 0))
            if q_small is None:
                refused.append(f"{label} ({role}: {t_small})")
                continue
            if q_large is None:
                print(f"{label:34} {role:12} {q_small:>9} {t_small:13.1f} {'—':>13} {'—':>6}  {t_large}")
                continue
            queries = str(q_small) if q_small == q_large else f"{q_small}→{q_large}"
            ratio = t_large / t_small
            worst = max(worst, (ratio, f"{label} as {role}"))
            print(f"{label:34} {role:12} {queries:>9} {t_small:13.1f} {t_large:13.1f} {ratio:6.2f}")
    # what opening a dossier really costs: the page, then each of its sections as it comes into view
    parts = [("dossier page", "accueil")] + [
        (label, r) for label, _u, rs in page_list for r in rs if label.startswith(SECTION_PREFIX)
    ]
    if all(small.get(k, (None,))[0] is not None and large.get(k, (None,))[0] is not None for k in parts):
        q_small, q_large = (sum(sizes[k][0] for k in parts) for sizes in (small, large))
        t_small, t_large = (sum(sizes[k][1] for k in parts) for sizes in (small, large))
        queries = str(q_small) if q_small == q_large else f"{q_small}→{q_large}"
        ratio = t_large / t_small
        worst = max(worst, (ratio, "dossier page + sections as accueil"))
        label = "dossier page + sections (sum)"
        print(f"{label:34} {'accueil':12} {queries:>9} {t_small:13.1f} {t_large:13.1f} {ratio:6.2f}")
    print(f"worst ratio {worst[0]:.2f} ({worst[1]})")
    if refused:
        print("not 200 (left out): " + "; ".join(refused))
    for key in first_loads[0]:
        small_ms, large_ms = first_loads[0][key], first_loads[1].get(key, float("nan"))
        print(
            f"{key[0]} as {key[1]}: first load after an import verifies everything once "
            f"(the journal from checkpoint 0 at the small size, then what the growth added): "
            f"{small_ms:.0f} ms small, {large_ms:.0f} ms large; the loads after it are the line above"
        )


# ---------------------------------------------------------------------------------------------------------------
# Kept databases (--keep, --reuse): the small size in `<name>_small`, the large one in `<name>_large`


def kept_urls(database: str) -> tuple[str, str]:
    """(small, large) DATABASE_URLs of the kept databases: PostgreSQL `<name>_small` / `<name>_large` on the
    server of `database`, or two SQLite files in ATELIER_DATA_DIR."""
    if database:
        parts = urllib.parse.urlsplit(database)
        name = parts.path.lstrip("/") or "atelier_bench"
        return tuple(parts._replace(path=f"/{name}_{size}").geturl() for size in ("small", "large"))
    if "ATELIER_DATA_DIR" not in os.environ:
        raise SystemExit("--keep / --reuse on SQLite: give ATELIER_DATA_DIR, where the two files stay")
    folder = os.path.abspath(os.environ["ATELIER_DATA_DIR"])
    return tuple(f"sqlite:///{folder}/bench_{size}.sqlite3" for size in ("small", "large"))


def _pg_admin(url: str, *statements: str) -> None:
    """Run statements outside a transaction on the server's `postgres` database (CREATE / DROP DATABASE)."""
    import psycopg

    admin = urllib.parse.urlsplit(url)._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        for sql in statements:
            conn.execute(sql)


def _db_name(url: str) -> str:
    return urllib.parse.urlsplit(url).path.lstrip("/")


def ensure_database(url: str) -> None:
    """A PostgreSQL database that exists (Django's setup migrates it at once); nothing to do for SQLite."""
    if url.startswith("postgres"):
        import psycopg

        try:
            psycopg.connect(url).close()
        except psycopg.OperationalError:
            _pg_admin(url, f'CREATE DATABASE "{_db_name(url)}"')


def switch_database(url: str) -> None:
    """Point Django's connection (and gunicorn's environment) at another database of the same vendor."""
    import dj_database_url
    from django.db import connection

    connection.close()
    connection.settings_dict["NAME"] = dj_database_url.parse(url)["NAME"]
    os.environ["DATABASE_URL"] = url


def clone_database(small: str, large: str) -> None:
    """`large` := a copy of `small` (PostgreSQL: CREATE DATABASE … TEMPLATE, a file copy; SQLite: the file)."""
    from django.db import connection

    connection.close()
    if small.startswith("postgres"):
        _pg_admin(
            small,
            f'DROP DATABASE IF EXISTS "{_db_name(large)}"',
            f'CREATE DATABASE "{_db_name(large)}" TEMPLATE "{_db_name(small)}"',
        )
    else:
        shutil.copyfile(urllib.parse.urlsplit(small).path, urllib.parse.urlsplit(large).path)
    switch_database(large)


def store_template(tpl) -> None:
    """Keep the template's first ids in the database, so that --reuse picks the same pages' objects."""
    import json

    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_template")
        cursor.execute("CREATE TABLE bench_template (dossiers integer, first_ids text)")
        cursor.execute("INSERT INTO bench_template VALUES (%s, %s)", [tpl.dossiers, json.dumps(tpl.first)])


def stored_template():
    """The template as store_template() left it (only what pick_probe reads: its first ids)."""
    import json

    import pagedata
    from django.db import connection

    with connection.cursor() as cursor:
        try:
            cursor.execute("SELECT dossiers, first_ids FROM bench_template")
        except Exception as error:  # noqa: BLE001 - any vendor's « no such table »
            raise SystemExit(
                f"{connection.settings_dict['NAME']}: no kept bench data (run --keep first)"
            ) from error
        dossiers, first_ids = cursor.fetchone()
    return pagedata.Template(dossiers=dossiers, first=json.loads(first_ids))


# ---------------------------------------------------------------------------------------------------------------
# The production server under concurrent clients


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(port: int) -> subprocess.Popen:
    env = {**os.environ, "ATELIER_DEBUG": "0"}
    gunicorn = shutil.which("gunicorn") or os.path.join(os.path.dirname(sys.executable), "gunicorn")
    server = subprocess.Popen(
        [
            gunicorn,
            "atelier.config.wsgi",
            "--workers",
            "4",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        env=env,
        start_new_session=True,
    )
    for _ in range(300):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start")


class Browser:
    """One logged-in user over one keep-alive HTTP connection: cookies by hand, as a browser keeps them."""

    def __init__(self, port: int):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None, headers: dict | None = None):
        headers = {"Host": "127.0.0.1", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        data = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        return response.status, data

    def login(self, username: str, password: str) -> None:
        _status, page = self.request("GET", "/connexion/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        body = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "username": username, "password": password}
        )
        status, _ = self.request(
            "POST",
            "/connexion/",
            body,
            {"Content-Type": "application/x-www-form-urlencoded", "Referer": "http://127.0.0.1/connexion/"},
        )
        if status != 302:
            raise SystemExit(f"login of {username} over HTTP failed ({status})")


def http_load(port: int, mix: list[tuple[str, str]], clients: int, seconds: float, password: str) -> None:
    """`clients` threads, each logged in as a role of the mix, opening its pages in turn for `seconds`."""
    timings: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    ready = threading.Barrier(clients + 1)
    stop = threading.Event()

    roles = [r for r in CLIENT_ROLES if any(r == role for role, _url in mix)]

    def worker(n: int) -> None:
        role = roles[n % len(roles)]
        urls = [url for r, url in mix if r == role]
        browser = Browser(port)
        browser.login(role, password)
        ready.wait()
        i = n
        while not stop.is_set():
            url = urls[i % len(urls)]
            started = time.perf_counter()
            try:
                status, _ = browser.request("GET", url)
            except (OSError, http.client.HTTPException):  # e.g. gunicorn's 30 s timeout killed the worker
                status = "no answer"
                browser.connection.close()
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                timings.append(elapsed)
                if status != 200:
                    errors.append(f"{url} {status}")
            i += 1

    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(clients)]
    for t in threads:
        t.start()
    ready.wait()
    started = time.perf_counter()
    time.sleep(seconds)
    stop.set()
    for t in threads:
        t.join(timeout=120)
    elapsed = time.perf_counter() - started
    print(f"http  clients={clients}  rps={len(timings) / elapsed:.1f}  p95={p95(timings):.0f} ms", end="")
    print(f"  (requests={len(timings)}, median={statistics.median(timings):.0f} ms, not 200: {len(errors)})")


# ---------------------------------------------------------------------------------------------------------------


def main() -> None:
    args = parse_args()
    if args.database:
        os.environ["DATABASE_URL"] = args.database
    # the test client's host, next to what gunicorn's clients send
    os.environ["ATELIER_ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"
    kept = None
    if args.keep or args.reuse:
        kept = kept_urls(os.environ.get("DATABASE_URL", ""))
        if args.keep and kept[0].startswith("sqlite"):  # start empty, as PostgreSQL's schema is dropped below
            for url in kept:
                if os.path.exists(urllib.parse.urlsplit(url).path):
                    os.remove(urllib.parse.urlsplit(url).path)
        ensure_database(kept[0])
        os.environ["DATABASE_URL"] = kept[0]
    os.environ.setdefault("ATELIER_DATA_DIR", tempfile.mkdtemp(prefix="atelier-bench-"))
    django_for_bench()
    logging.getLogger("atelier.request").setLevel(logging.WARNING)  # production logs a line per request
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    if settings.COLLECTED_STATIC:  # production settings (ATELIER_DEBUG off) serve the collected, hashed files
        call_command("collectstatic", interactive=False, verbosity=0)
    if args.reuse:
        small, large, first_loads = time_kept(args, *kept)
    else:
        small, large, first_loads = generate_and_time(args, kept)
        if args.generate_only:
            print(f"kept: {kept[0]} and {kept[1]}; time them with --reuse", flush=True)
            return
    print_table(PAGE_LIST, small, large, first_loads)
    if args.no_http:
        return
    connection.close()
    port = args.port or free_port()
    server = start_gunicorn(port)
    try:
        http_load(port, http_mix(PAGE_LIST, USERS), args.concurrency, args.seconds, demo_password())
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


PAGE_LIST: list = []  # the pages of the run (their ids picked from the template), set by the runs below
USERS: dict = {}


def demo_password() -> str:
    from atelier.demo.organisation import DEMO_PASSWORD

    return DEMO_PASSWORD


def prepare_pages(args, tpl) -> None:
    from atelier.core.models import User

    roles = [r for r in args.roles.split(",") if r]
    USERS.update({u.username: u for u in User.objects.filter(username__in=roles)})
    PAGE_LIST[:] = pages(pick_probe(tpl))


INDICATOR_NIGHTS = 62  # the indicator pages' default 30 days and the 30 before them, stored


def store_indicator_nights() -> None:
    """What the nightly jobs keep on a live server: every site's figures of the last INDICATOR_NIGHTS nights
    (`indicators_refresh`) and the network's sums (`indicators_network`), written once per database and day
    (table bench_nights): the data is generated after the demo stored its nights, which then miss it."""
    import datetime

    from django.db import connection
    from django.utils import timezone

    from atelier.core.models import Site
    from atelier.indicators import aggregate

    today = timezone.localdate()
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_nights (day date)")
        cursor.execute("SELECT COUNT(*) FROM bench_nights WHERE day = %s", [today])
        if cursor.fetchone()[0]:
            return
    started = time.perf_counter()
    for site in Site.objects.all():
        aggregate.refresh_range(
            site.pk, today - datetime.timedelta(days=INDICATOR_NIGHTS), today - datetime.timedelta(days=1)
        )
    aggregate.rebuild_network()
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_nights (day) VALUES (%s)", [today])
    print(
        f"indicators: the last {INDICATOR_NIGHTS} nights of every site stored in "
        f"{time.perf_counter() - started:.0f} s",
        flush=True,
    )


def skipped(small: dict, growth: float, max_seconds: float) -> dict:
    """A page whose time grows with the data would take many minutes a request at the large size (before issue
    16, the journal's full check on every load of /facturation/; none is expected to be skipped now)."""
    return {
        key: f"skipped: about {t * growth / 1000:.0f} s a request if it grows with the data"
        for key, (q, t) in small.items()
        if q is not None and t * growth > max_seconds * 1000
    }


def generate_and_time(args, kept: tuple[str, str] | None):
    """Write the demo and the template, time them, grow (in a copy of the database with --keep), time again."""
    import pagedata
    from django.core.management import call_command
    from django.db import connection

    from atelier.core.models import Site
    from atelier.demo import load_demo

    if connection.vendor == "postgresql":  # start empty (flush cannot: the guards refuse TRUNCATE)
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        call_command("migrate", verbosity=0)
    print(
        f"{connection.vendor} ({connection.settings_dict['NAME']}), data dir {os.environ['ATELIER_DATA_DIR']}"
    )
    started = time.perf_counter()
    load_demo(stdout=open(os.devnull, "w"), customers=args.demo_customers)  # noqa: SIM115
    sites = [Site.objects.get(code="PAR1"), Site.objects.get(code="LYO1"), *pagedata.bench_sites(2)]
    print(f"demo loaded in {time.perf_counter() - started:.0f} s", flush=True)

    started = time.perf_counter()
    tpl = pagedata.build_template(dossiers=args.small, sites=sites, weights=[6, 2, 1, 1])
    with connection.cursor() as cursor:
        cursor.execute(pagedata.MAINTAIN[connection.vendor])
    if kept:
        store_template(tpl)
    print(f"template of {args.small} dossiers written in {time.perf_counter() - started:.0f} s", flush=True)

    store_indicator_nights()
    prepare_pages(args, tpl)
    print("small size:", pagedata.generated_counts(tpl), flush=True)
    first_small, first_large = {}, {}
    small = {} if args.generate_only else time_pages(PAGE_LIST, USERS, args.samples, first_loads=first_small)
    if kept:
        clone_database(*kept)
        print(f"small size kept in {kept[0]}; growing a copy of it: {kept[1]}", flush=True)

    started = time.perf_counter()

    def progress(done: int, total: int) -> None:
        print(f"  {done}/{total} dossiers, {time.perf_counter() - started:.0f} s", flush=True)

    pagedata.grow(tpl, dossiers=args.dossiers, progress=progress)
    grow_seconds = time.perf_counter() - started
    print(
        f"grown to {args.dossiers} dossiers in {grow_seconds:.0f} s:",
        pagedata.generated_counts(tpl),
        flush=True,
    )
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_nights")  # the copy's nights miss the growth
    store_indicator_nights()
    if args.generate_only:
        return {}, {}, ({}, {})
    skip = skipped(small, args.dossiers / args.small, args.max_page_seconds)
    large = time_pages(PAGE_LIST, USERS, args.samples, skip, first_loads=first_large)
    return small, large, (first_small, first_large)


def time_kept(args, small_url: str, large_url: str):
    """--reuse: migrate and VACUUM ANALYZE each kept database, then time each page on the small one and at once
    on the large one, page after page: both sizes of a page are timed in the same minute, so that a load
    that comes and goes on the machine weighs on both alike and the ratio stays the data's."""
    import pagedata
    from django.core.management import call_command
    from django.db import connection

    counts = []
    for url in (small_url, large_url):
        switch_database(url)
        started = time.perf_counter()
        call_command("migrate", verbosity=0)  # the checkout's migrations the data was written without
        store_indicator_nights()
        with connection.cursor() as cursor:
            cursor.execute(pagedata.MAINTAIN[connection.vendor])
        tpl = stored_template()
        counts.append(pagedata.generated_counts(tpl))
        print(
            f"{connection.vendor} ({connection.settings_dict['NAME']}) migrated and analysed in "
            f"{time.perf_counter() - started:.0f} s: {counts[-1]}",
            flush=True,
        )
        if url == small_url:
            prepare_pages(args, tpl)  # the same objects at both sizes (the large one is the small one grown)
    growth = counts[1]["RepairCase"] / counts[0]["RepairCase"]
    results: tuple[dict, dict] = ({}, {})
    first_loads: tuple[dict, dict] = ({}, {})
    for label, url, roles in PAGE_LIST:
        for role in roles:
            if role not in USERS:
                continue
            for n, database in enumerate((small_url, large_url)):
                switch_database(database)
                skip = (
                    skipped({(label, role): results[0][(label, role)]}, growth, args.max_page_seconds)
                    if n
                    else {}
                )
                results[n][(label, role)] = time_one(
                    label, url, role, USERS, args.samples, skip, first_loads[n]
                )
    return results[0], results[1], first_loads


# Who the concurrent clients are (client n takes CLIENT_ROLES[n % 8]) and what each role opens in turn.
CLIENT_ROLES = [
    "accueil",
    "accueil",
    "technicien",
    "accueil",
    "responsable",
    "magasinier",
    "comptable",
    "accueil",
]
HTTP_PAGES = {
    "accueil": [
        "home",
        "dossiers",
        "dossiers ?q=",
        "clients ?q=06 12",
        "dossier page",
        "client page",
        "file d'",
    ],
    "technicien": ["home", "ma journée", "dossier page", "dossiers"],
    "responsable": ["home", "dossiers ?status=en_reparation", "planning jour", "planning visites"],
    "magasinier": ["home", "stock", "stock mouvements"],
    "comptable": ["home", "facturation"],
}


def http_mix(page_list, users) -> list[tuple[str, str]]:
    """(role, url) pairs of the HTTP mix, in the order each client walks them."""
    mix = []
    for role in dict.fromkeys(CLIENT_ROLES):
        if role not in users:
            continue
        for wanted in HTTP_PAGES[role]:
            url = next(u for label, u, _r in page_list if label == wanted or label.startswith(wanted))
            mix.append((role, url))
    return mix


if __name__ == "__main__":
    sys.exit(main())
