"""Which query of which page reads a big table whole or sorts many rows: every page of bench_pages.py, on a
database it kept (--keep), each query EXPLAIN ANALYZEd.

    .venv/bin/python bench/explain_pages.py --database postgres://postgres@127.0.0.1:5432/atelier_bench_large
    options: --roles accueil,reseau  --pages "dossiers,home"  --min-ms 5 (also list queries slower than this)

For every (page, role) of bench_pages.pages() it loads the page once (warm-up), then once more capturing its
queries, and EXPLAINs each SELECT (PostgreSQL: ANALYZE, the real plan and times; SQLite: EXPLAIN QUERY PLAN).
Prints, per page, the queries that read a table of more than --big rows with a sequential scan (PostgreSQL
« Seq Scan », SQLite « SCAN t » without an index), sort or hash more than --big rows, or take longer than
--min-ms; each with its time, the faulty nodes and the start of its SQL. Nothing when a page is clean.
"""

import argparse
import json
import os
import sys

BENCH = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(os.path.dirname(BENCH), "src")
sys.path[:0] = [BENCH, SRC]


def faults(plan: dict, big: int) -> list[str]:
    """Nodes of a PostgreSQL JSON plan that grow with a big table: seq scans, big sorts, big hashes."""
    found = []
    node = plan.get("Node Type", "")
    rows = plan.get("Actual Rows", 0) * plan.get("Actual Loops", 1)
    if node == "Seq Scan":
        read = rows + plan.get("Rows Removed by Filter", 0) * plan.get("Actual Loops", 1)
        if read > big:
            found.append(f"Seq Scan {plan['Relation Name']} ({read:,} rows read)")
    elif node in ("Sort", "Incremental Sort") and rows > big:
        found.append(f"{node} of {rows:,} rows ({plan.get('Sort Key')})")
    elif node == "Hash" and rows > big:
        found.append(f"Hash of {rows:,} rows")
    elif node in ("Index Scan", "Index Only Scan", "Bitmap Heap Scan") and rows > big:
        found.append(f"{node} {plan.get('Relation Name', '')} {plan.get('Index Name', '')} ({rows:,} rows)")
    for child in plan.get("Plans", ()):
        found.extend(faults(child, big))
    return found


def explain(sql: str, big: int) -> tuple[float, list[str], str]:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
            raw = cursor.fetchone()[0]
            doc = (json.loads(raw) if isinstance(raw, str) else raw)[0]
            return doc["Execution Time"], faults(doc["Plan"], big), ""
        cursor.execute("EXPLAIN QUERY PLAN " + sql)
        lines = [str(r[-1]) for r in cursor.fetchall()]
        scans = [line for line in lines if line.startswith("SCAN ") and " USING " not in line]
        return 0.0, scans, "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, help="DATABASE_URL of a database bench_pages.py kept")
    parser.add_argument("--roles", default="", help="only these roles (comma-separated)")
    parser.add_argument("--pages", default="", help="only pages whose label starts with one of these")
    parser.add_argument("--big", type=int, default=20_000, help="rows that make a scan, sort or hash suspect")
    parser.add_argument("--min-ms", type=float, default=20.0, help="also list queries slower than this")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database
    os.environ["ATELIER_ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"
    os.environ["ATELIER_DEBUG"] = "1"  # the test client renders without the collected static files
    from benchsetup import django_for_bench

    django_for_bench()
    import bench_pages
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from atelier.core.models import User

    page_list = bench_pages.pages(bench_pages.pick_probe(bench_pages.stored_template()))
    wanted_roles = {r for r in args.roles.split(",") if r}
    wanted_pages = [p for p in args.pages.split(",") if p]
    users = {u.username: u for u in User.objects.filter(username__in=bench_pages.ROLES)}
    for label, url, roles in page_list:
        if wanted_pages and not any(label.startswith(p) for p in wanted_pages):
            continue
        for role in roles:
            if wanted_roles and role not in wanted_roles:
                continue
            client = Client()
            client.force_login(users[role])
            client.get(url)
            with CaptureQueriesContext(connection) as captured:
                status = client.get(url).status_code
            report = []
            for query in captured.captured_queries:
                sql = query["sql"]
                if not sql.lstrip().upper().startswith("SELECT"):
                    continue
                ms, found, text = explain(sql, args.big)
                if found or ms > args.min_ms:
                    report.append(f"    {ms:8.1f} ms  {'; '.join(found) or '-'}\n      {sql[:300]}")
            print(f"{label} as {role}: {status}, {len(captured)} queries", flush=True)
            for line in report:
                print(line, flush=True)


if __name__ == "__main__":
    main()
