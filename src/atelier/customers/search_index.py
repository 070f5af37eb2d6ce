"""The trigram index of customer names on PostgreSQL (« contient », accents and case aside, through search_name).

Created by migration customers 0005; installed again after every migrate (idempotent) so that a database built
from the models (the test database, `--nomigrations`) has it too. Nothing on SQLite, which searches names
through NameWord instead.
"""

from django.db import connections

TRIGRAM_INDEX = "customer_search_trgm"


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


def on_post_migrate(sender, using="default", **kwargs) -> None:
    install(using)
