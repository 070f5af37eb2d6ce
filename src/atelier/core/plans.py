"""Query plans, for the tests that guard the big lists: does a query read a table whole, or through an index?

`full_scans(queryset, tables)` returns the tables of `tables` that the database would read row by row. On
PostgreSQL sequential scans are priced out for the EXPLAIN (`enable_seqscan = off`), so a small test data set
still shows whether an index *can* serve the query: a plan that keeps a « Seq Scan » has no index to use. On
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


def _pg_seq_scans(plan: dict) -> Iterable[str]:
    if plan.get("Node Type") == "Seq Scan":
        yield plan["Relation Name"]
    for child in plan.get("Plans", ()):
        yield from _pg_seq_scans(child)


def full_scans(queryset: QuerySet, tables: Iterable[str]) -> list[str]:
    """The tables among `tables` read whole by `queryset`'s plan (empty when every one goes through an index)."""
    wanted = set(tables)
    sql, params = queryset.query.sql_with_params()
    connection = connections[queryset.db]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with transaction.atomic(using=queryset.db):
                cursor.execute("SET LOCAL enable_seqscan = off")
                cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
                raw = cursor.fetchone()[0]
            plan = (json.loads(raw) if isinstance(raw, str) else raw)[0]["Plan"]
            return sorted({table for table in _pg_seq_scans(plan) if table in wanted})
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        # « SCAN t USING INDEX i » walks the whole table in the index's order: fine under a LIMIT (it stops at
        # the page), a full read without one
        bounded = queryset.query.high_mark is not None
        scanned = set()
        for row in cursor.fetchall():
            words = str(row[-1]).split()
            if len(words) >= 2 and words[0] == "SCAN" and (not bounded or "USING" not in words):
                scanned.add(words[1])
        return sorted(scanned & wanted)
