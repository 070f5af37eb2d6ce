"""Customer searches that read what they show at any size (issue 16, the searches at a million dossiers).

- `customer_postcode_name` (postcode, last name, first name, id; the site carried along on PostgreSQL): the
  list searched by a postcode walks the postcode's customers already in the list's order and stops at its page,
  for one site or several; its capped count reads the index alone. Before, PostgreSQL walked the site's whole
  name order testing each postcode (17,900 customers read for 25 at 1,000,000 dossiers, 54 ms → 1.5 ms).
- `customer_name_key` (search_name varchar_pattern_ops, site, id), PostgreSQL only: the dossier search by a
  name's beginning (repairs.search) reads the customers whose key begins with the text from this B-tree, in
  key order, so a LIMIT stops it (the trigram index builds a bitmap of every match first: 4,500 « meunier »
  for 25 rows shown). The name leads so that the customer list's « contains » search, which no B-tree can
  narrow, is never tempted to walk it (a (site, search_name) B-tree was: its count 3 → 12 ms). SQLite finds
  names through NameWord and keeps its plans.
- PostgreSQL: 1,000 statistics buckets on search_name instead of 100. With 100, each bucket holds 1 % of the
  customers, about the share of a common name, so the planner guessed a name's beginning from inside one
  bucket: 417 « meunier » of Paris for 3,100 (the trigram estimate was 7 to 20 times short the same way). So
  short, it read every dossier of the 3,100 and sorted them (44 ms) instead of walking the newest dossiers
  (4–8 ms). With 1,000 it judges 2,830. ANALYZE then samples 300,000 rows instead of 30,000 (6 s at 500,000
  customers, as autovacuum does it, not in a request).
"""

from django.db import migrations, models

NAME_KEY_INDEX = "customer_name_key"


def create_name_key_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {NAME_KEY_INDEX} ON customers_customer "
            "(search_name varchar_pattern_ops, site_id, id)"
        )


def drop_name_key_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {NAME_KEY_INDEX}")


def fine_name_statistics(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE customers_customer ALTER COLUMN search_name SET STATISTICS 1000")


def default_name_statistics(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE customers_customer ALTER COLUMN search_name SET STATISTICS -1")


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0007_customer_vat_number"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="customer",
            index=models.Index(
                fields=["postcode", "last_name", "first_name", "id"],
                include=["site"],
                name="customer_postcode_name",
            ),
        ),
        migrations.RunPython(create_name_key_index, drop_name_key_index, elidable=False),
        migrations.RunPython(fine_name_statistics, default_name_statistics, elidable=False),
    ]
