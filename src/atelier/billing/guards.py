"""Database triggers that refuse UPDATE and DELETE of issued documents, their lines, payments, closures and the
journal, on PostgreSQL and SQLite alike: a bulk `QuerySet.update()`, a `.delete()` or raw SQL gets an error, not
only the model's `save()`.

The triggers are (re)installed after every `migrate` (and after the test database is built), so they exist
whatever the path that created the tables. Code that legitimately needs to touch those rows (a migration that
converts them, a test that plays an attacker, the test runner emptying its database) says so explicitly with
`rewrite_allowed()`: on PostgreSQL a setting local to the transaction, on SQLite a flag of the connection read by
a function Atelier registers on its own connections (so a foreign SQLite client is refused too).
"""

from contextlib import contextmanager

from django.apps import apps
from django.db import connections, transaction

# Models whose rows, once written, never change; more are added by the apps that own them.
GUARDED = [
    "billing.Invoice",
    "billing.InvoiceLine",
    "billing.Payment",
    "billing.Closure",
    "billing.JournalEntry",
    "billing.Original",
    "billing.UnpaidBalance",
    "billing.HandBack",
]
SETTING = "atelier.rewrite_allowed"
SQLITE_FUNCTION = "atelier_rewrite_allowed"
MESSAGE = "Document émis inaltérable : modification ou suppression refusée"

PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION atelier_refuse_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(current_setting('{SETTING}', true), '') = 'on' THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '{MESSAGE} (% sur %)', TG_OP, TG_TABLE_NAME;
END $$;
"""


def guarded_tables() -> list[str]:
    return [apps.get_model(label)._meta.db_table for label in GUARDED]


def _postgresql(table: str) -> list[str]:
    return [
        f'DROP TRIGGER IF EXISTS atelier_no_rewrite ON "{table}"',
        f'CREATE TRIGGER atelier_no_rewrite BEFORE UPDATE OR DELETE ON "{table}" '
        "FOR EACH ROW EXECUTE FUNCTION atelier_refuse_rewrite()",
        f'DROP TRIGGER IF EXISTS atelier_no_truncate ON "{table}"',
        f'CREATE TRIGGER atelier_no_truncate BEFORE TRUNCATE ON "{table}" '
        "FOR EACH STATEMENT EXECUTE FUNCTION atelier_refuse_rewrite()",
    ]


def _sqlite(table: str) -> list[str]:
    return [
        f'CREATE TRIGGER IF NOT EXISTS "atelier_no_{operation.lower()}_{table}" BEFORE {operation} ON "{table}" '
        f"WHEN {SQLITE_FUNCTION}() = 0 "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE} ({operation} sur {table})'); END"
        for operation in ("UPDATE", "DELETE")
    ]


def install(using: str = "default") -> None:
    """Create (or replace) the triggers of every guarded table that exists on this database."""
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    tables = [t for t in guarded_tables() if t in existing]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(PG_FUNCTION)
            statements = [sql for table in tables for sql in _postgresql(table)]
        elif connection.vendor == "sqlite":
            statements = [sql for table in tables for sql in _sqlite(table)]
        else:
            return
        for sql in statements:
            cursor.execute(sql)


def on_post_migrate(sender, using="default", **kwargs) -> None:
    install(using)


def register_sqlite_function(sender, connection, **kwargs) -> None:
    """On each new SQLite connection of Atelier: the function the triggers ask whether rewriting is allowed."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            SQLITE_FUNCTION, 0, lambda: int(getattr(connection, "atelier_rewrite_allowed", False))
        )


@contextmanager
def rewrite_allowed(using: str = "default"):
    """Lift the triggers for what runs inside, in one transaction; say why where you call it."""
    connection = connections[using]
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql":
            # local to the transaction: reset on the way out, undone with the savepoint on an error
            _pg_setting(connection, "on")
            yield
            _pg_setting(connection, "off")
            return
        connection.atelier_rewrite_allowed = True
        try:
            yield
        finally:
            connection.atelier_rewrite_allowed = False


def _pg_setting(connection, value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, %s, true)", [SETTING, value])
