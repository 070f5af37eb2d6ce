"""Data sets built once per test run and shared by every module and worker that needs them.

A data set (the small demo of tests/world.py, the demo the loader tests read…) is built through the product's
services, which takes seconds; several modules need the same one and `pytest -n 2 --dist loadfile` spreads them
over two processes. `build_once(key, build)` builds it the first time in the run, writes down what the build
changed in the database (rows added, changed, deleted: every table, read through the ORM), and the next callers,
in this process or another, write those rows back instead of building again: a few thousand rows in a fraction
of a second. Call it inside a transaction the caller rolls back, as the builds were called before.

The rows go back with their primary keys, so they are written only onto a database holding the same rows as
the one they were built on (the reference data the seeds write, same keys): otherwise the set is built again.
Only the database is shared: a build must leave nothing else behind (no file, no cache a test reads).

The files live in a directory made by the run's main process (`pytest_configure` in conftest.py), which the
workers inherit through ATELIER_TEST_SNAPSHOTS and which is removed at the end of the run; a lock file makes
the second worker wait for the first one's build rather than do it again.
"""

import datetime
import fcntl
import hashlib
import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection

ENV = "ATELIER_TEST_SNAPSHOTS"
_in_process: dict[str, bytes] = {}  # when no directory is shared (a run without the conftest's setup)


def _models():
    """Every table once: concrete, managed models (the many-to-many tables too), parents before children."""
    seen, found = set(), []
    for model in apps.get_models(include_auto_created=True):
        opts = model._meta
        if opts.proxy or not opts.managed or opts.db_table in seen:
            continue
        seen.add(opts.db_table)
        found.append(model)
    return found


def _fields(model):
    return [f for f in model._meta.local_concrete_fields if not getattr(f, "generated", False)]


def _dump() -> dict[str, dict[Any, tuple]]:
    """Table → {primary key: row}, every row of every table, as Python values (the ORM's conversions)."""
    tables = {}
    for model in _models():
        names = [f.attname for f in _fields(model)]
        pk = names.index(model._meta.pk.attname)
        rows = model._base_manager.order_by("pk").values_list(*names)
        tables[model._meta.label] = {row[pk]: row for row in rows}
    return tables


def _fingerprint(tables) -> str:
    """What a set's rows lean on: every key, every value but the instants (a seed's `created_at` is the hour
    it ran at in this process; the rows that point at it do not care)."""
    digest = hashlib.sha256(connection.vendor.encode())
    for label in sorted(tables):
        digest.update(label.encode())
        for key, row in tables[label].items():
            digest.update(repr((key, [v for v in row if not isinstance(v, datetime.datetime)])).encode())
    return digest.hexdigest()[:16]


def _diff(before, after) -> list[tuple[str, list, list]]:
    """Per table: the keys to remove (gone or changed) and the rows to write (new or changed)."""
    changes = []
    for label, rows in after.items():
        old = before.get(label, {})
        removed = [key for key in old if key not in rows or rows[key] != old[key]]
        written = [row for key, row in rows.items() if old.get(key) != row]
        if removed or written:
            changes.append((label, removed, written))
    return changes


def _apply(changes) -> None:
    from atelier.billing.guards import rewrite_allowed

    # putting a data set back may delete or rewrite issued invoices and journal entries: the test tooling says so
    with rewrite_allowed():
        _apply_changes(changes)


def _apply_changes(changes) -> None:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for label, removed, _ in changes:
            model = apps.get_model(label)
            table, column = quote(model._meta.db_table), quote(model._meta.pk.column)
            for start in range(0, len(removed), 500):
                keys = removed[start : start + 500]
                cursor.execute(
                    f"DELETE FROM {table} WHERE {column} IN ({', '.join(['%s'] * len(keys))})", keys
                )
    grown = []
    for label, _, written in changes:
        if not written:
            continue
        model = apps.get_model(label)
        fields = _fields(model)
        names = [f.attname for f in fields]
        objs = [model.from_db(connection.alias, names, row) for row in written]
        size = connection.ops.bulk_batch_size(fields, objs) or len(objs)
        for start in range(0, len(objs), size):
            # raw: the values as they were, no auto_now or other pre_save rewriting, no signal
            model._base_manager._insert(objs[start : start + size], fields=fields, raw=True)
        grown.append(model)
    # PostgreSQL's sequences moved past the keys written (SQLite's AUTOINCREMENT follows by itself)
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), grown):
            cursor.execute(statement)


def state() -> dict:
    """Every row of the database, to be put back later by `restore`."""
    return _dump()


def restore(rows: dict) -> None:
    """The database back to `state()`'s rows, with their keys: only what differs is deleted or written."""
    _apply(_diff(_dump(), rows))


def build_once(key: str, build: Callable[[], Any]) -> Any:
    """`build()`'s result, and its rows in the database: built the first time in the run, written back after."""
    before = _dump()
    name = f"{key}-{_fingerprint(before)}"
    folder = os.environ.get(ENV)
    if not folder:
        return _build_or_restore(name, build, before, _in_process.get, _in_process.__setitem__)
    path = Path(folder) / f"{name}.pickle"
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # a second worker waits for the first one's build
        try:
            return _build_or_restore(
                name,
                build,
                before,
                lambda _: path.read_bytes() if path.exists() else None,
                lambda _, data: _write(path, data),
            )
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _write(path: Path, data: bytes) -> None:
    partial = path.with_suffix(".partial")
    partial.write_bytes(data)
    partial.rename(path)


def _build_or_restore(name, build, before, load, store):
    saved = load(name)
    if saved is not None:
        result, changes = pickle.loads(saved)
        _apply(changes)
        return result
    result = build()
    store(name, pickle.dumps((result, _diff(before, _dump())), protocol=pickle.HIGHEST_PROTOCOL))
    return result
