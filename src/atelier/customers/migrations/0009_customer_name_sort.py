"""The name key's B-tree in code-point order, which also gives the customer list its order (issue 16).

`customer_name_sort` ((search_name COLLATE "C"), site, id), PostgreSQL only, replaces `customer_name_key`
(search_name varchar_pattern_ops, site, id; customers 0008). A pattern index serves LIKE 'meunier%' but no
ORDER BY, so the customer list searched by a name read and sorted every « contains » match (4,500 « meunier »
for 25 rows at a million dossiers). The C collation sorts byte by byte whatever the database's collation:
PostgreSQL turns LIKE 'meunier%' into a range of it by itself (the dossier search reads it alone, as before),
and the list walks that range in order and stops at its page (customers.selectors.PrefixFirst).
SQLite finds names through NameWord.
"""

from django.db import migrations

NAME_SORT_INDEX = "customer_name_sort"
NAME_KEY_INDEX = "customer_name_key"


def create_name_sort_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {NAME_SORT_INDEX} ON customers_customer "
            '((search_name COLLATE "C"), site_id, id)'
        )
        schema_editor.execute(f"DROP INDEX IF EXISTS {NAME_KEY_INDEX}")


def back_to_name_key_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {NAME_KEY_INDEX} ON customers_customer "
            "(search_name varchar_pattern_ops, site_id, id)"
        )
        schema_editor.execute(f"DROP INDEX IF EXISTS {NAME_SORT_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0008_customer_search_btrees"),
    ]

    operations = [
        migrations.RunPython(create_name_sort_index, back_to_name_key_index, elidable=False),
    ]
