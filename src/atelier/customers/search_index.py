"""The indexes of customer names on PostgreSQL, through search_name (accents and case aside): the trigram index
(« contient », the customer list) and the B-tree of the name key in code-point order (a name's beginning, read
in order: the dossier search and the customer list's first run, customers.selectors.PrefixFirst), with
the column's finer statistics (a common name is about one bucket of the default 100: its share was misjudged).

Created by migrations customers 0005, 0008 and 0009; installed again after every migrate (idempotent) so that a
database built from the models (the test database, `--nomigrations`) has it too. Nothing on SQLite, which
searches names through NameWord instead.
"""

from django.db import connections

TRIGRAM_INDEX = "customer_search_trgm"
NAME_SORT_INDEX = "customer_name_sort"
NAME_STATISTICS = 1000


def install(using: str = "default") -> None:
    connection = connections[using]
    if (
        connection.vendor != "postgresql"
        or "customers_customer" not in connection.introspection.table_names()
    ):
        return
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON customers_customer USING gin (search_name gin_trgm_ops)"
        )
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS {NAME_SORT_INDEX} ON customers_customer "
            '((search_name COLLATE "C"), site_id, id)'
        )
        cursor.execute(
            f"ALTER TABLE customers_customer ALTER COLUMN search_name SET STATISTICS {NAME_STATISTICS}"
        )


def on_post_migrate(sender, using="default", **kwargs) -> None:
    install(using)
