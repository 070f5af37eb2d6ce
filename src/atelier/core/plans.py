"""Query plans, for the tests that guard the big lists: does a query read a table whole, or through an index?

`full_scans(queryset, tables)` returns the tables of `tables` that the database would read row by row. On
PostgreSQL sequential scans are priced out for the EXPLAIN (`enable_seqscan = off`), so a small test data set
still shows whether an index *can* serve the query: a plan that keeps a « Seq Scan », or walks a whole index
with no condition on it and no LIMIT, has no index to narrow the read. On
SQLite `EXPLAIN QUERY PLAN` names « SCAN table » (whole table) or « SEARCH table USING INDEX » / « SCAN table
USING [COVERING] INDEX » (the whole table in index order: what an ORDER BY … LIMIT wants, a full read without
a LIMIT).
"""

import json
from collections.abc import Iterable

from django.db import connections, transaction
from django.db.models import QuerySet


def explain(queryset: QuerySet) -> str:
    """The plan as text (for a failing test's message)."""
    sql, params = queryset.query.sql_with_params()
    connection = connections[queryset.db]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with transaction.atomic(using=queryset.db):
                cursor.execute("SET LOCAL enable_seqscan = off")
                cursor.execute("EXPLAIN " + sql, params)
                return "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


def _pg_full_reads(plan: dict, bounded: bool) -> Iterable[str]:
    """A « Seq Scan », or an index walked end to end (no « Index Cond ») where no LIMIT stops the walk."""
    node = plan.get("Node Type")
    if node == "Seq Scan":
        yield plan["Relation Name"]
    elif node in ("Index Scan", "Index Only Scan") and not bounded and "Index Cond" not in plan:
        yield plan["Relation Name"]
    for child in plan.get("Plans", ()):
        yield from _pg_full_reads(child, bounded)


def full_scans(queryset: QuerySet, tables: Iterable[str]) -> list[str]:
    """The tables among `tables` read whole by `queryset`'s plan (empty when every one goes through an index)."""
    wanted = set(tables)
    sql, params = queryset.query.sql_with_params()
    connection = connections[queryset.db]
    # a walk of a whole index in its order is fine under a LIMIT (it stops at the page), a full read without one
    bounded = queryset.query.high_mark is not None
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with transaction.atomic(using=queryset.db):
                cursor.execute("SET LOCAL enable_seqscan = off")
                cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
                raw = cursor.fetchone()[0]
            plan = (json.loads(raw) if isinstance(raw, str) else raw)[0]["Plan"]
            return sorted({table for table in _pg_full_reads(plan, bounded) if table in wanted})
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        scanned = set()
        for row in cursor.fetchall():
            words = str(row[-1]).split()
            if len(words) >= 2 and words[0] == "SCAN" and (not bounded or "USING" not in words):
                scanned.add(words[1])
        return sorted(scanned & wanted)


def sqlite_statistics(stats: dict[str, dict[str, str]], using: str = "default") -> None:
    """Make SQLite plan as it does on a large database: ANALYZE, then the given `sqlite_stat1` rows
    ({table: {index: « rows rows-per-key… »}}, copied from the benchmark's database) in place of the small
    test data's, and the statistics reloaded. A plan that goes wrong only with real statistics (a rare state
    judged as common as the average one) then fails on a few rows. Nothing on PostgreSQL."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        for table, indexes in stats.items():
            cursor.execute("DELETE FROM sqlite_stat1 WHERE tbl = %s", [table])
            for index, stat in indexes.items():
                cursor.execute(
                    "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (%s, %s, %s)", [table, index, stat]
                )
        cursor.execute("ANALYZE sqlite_schema")  # reloads the statistics
