"""PostgreSQL: a B-tree on (site, search_name) for the name prefix of one site's customers (issue 16).

The dossier search by name first reads the ids of the site's customers whose name key begins with the text
(repairs.search._by_name). The trigram index finds « meunier% » on every site and the site is then checked row
by row: 3,928 heap blocks, 11–17 ms for 3,100 Paris customers at 500,000 customers. `varchar_pattern_ops`
serves LIKE 'meunier%' as a range inside the site: 3–4 ms. Built in 0.9 s on the 500,000 customers of the
benchmark (writes to the customer table wait that long). Not on SQLite, whose name search goes through
customers.NameWord (an index there would change its plans, guarded by the query-plan tests).
"""

from django.db import migrations

INDEX = "customer_site_name_prefix"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON customers_customer (site_id, search_name varchar_pattern_ops)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0007_customer_vat_number"),
    ]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
