"""How rows are locked: one helper for dossiers, documents and every counted row (pretix, Saleor).

Rows are locked in primary-key order (two services locking the same rows never wait on each other in a
cycle) and with a timeout: a row held too long by another counter gives a French « réessayez » (409) instead
of a request hanging. Call inside the service's transaction; the locks hold until it commits.
On SQLite the whole write is serialised by `BEGIN IMMEDIATE` (settings), so the select is a plain read there.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import OperationalError, connections, router, transaction
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _

from atelier.core.errors import AtelierError

LOCK_TIMEOUT_MS = 5000


class LockBusy(AtelierError):
    default_message = _("Quelqu'un d'autre modifie la même fiche en ce moment : réessayez dans un instant.")
    status_code = 409


class RowGone(AtelierError):
    """The row was deleted by another request while this one waited for it (a double click on « Confirmer »)."""

    default_message = _("Cette fiche a été modifiée ou supprimée entre-temps : rechargez la page.")
    status_code = 409


def _with_timeout(using: str) -> None:
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # lasts until the end of the transaction (is_local = true)
            cursor.execute("SELECT set_config('lock_timeout', %s, true)", [f"{LOCK_TIMEOUT_MS}ms"])


def lock_rows(queryset: QuerySet, *, related: Iterable[str] = (), nowait: bool = False, busy=None) -> list:
    """Lock the rows of a queryset in primary-key order and return them, fresh from the database.

    nowait: refuse at once when another transaction holds a row (a day being optimised for seconds must not
    be re-optimised behind it) instead of waiting LOCK_TIMEOUT_MS; `busy` is then the French refusal.
    """
    connection = transaction.get_connection(queryset.db)
    if not connection.in_atomic_block:
        raise RuntimeError("lock_rows() must run inside the service's transaction.")
    nowait = nowait and connection.features.has_select_for_update_nowait  # SQLite: BEGIN IMMEDIATE serialises
    if not nowait:
        _with_timeout(queryset.db)
    query = queryset.select_for_update(of=("self",), nowait=nowait).order_by("pk")
    if related:  # never a bare select_related(): that would join every foreign key, recursively
        query = query.select_related(*related)
    try:
        return list(query)
    except OperationalError as exc:  # lock_timeout or NOWAIT on PostgreSQL, « database is locked » on SQLite
        raise (busy if busy is not None else LockBusy()) from exc


def lock_many(model: type[Model], pks: Iterable[int], *, related: Iterable[str] = ()) -> list:
    """Lock these rows of a model (sorted by key); a row gone meanwhile is a French refusal (RowGone, 409)."""
    wanted = set(pks)
    using = router.db_for_write(model)
    rows = lock_rows(model._base_manager.using(using).filter(pk__in=wanted), related=related)
    if len(rows) != len(wanted):
        raise RowGone()
    return rows


def lock(obj: Model, *, related: Iterable[str] = ()):
    """The same object re-read under a row lock (dossier, quote, invoice, ticket, tool…)."""
    return lock_many(type(obj), [obj.pk], related=related)[0]
