"""Customer search routed by what was typed (issue 16): indexes for each path.

- the list's order (site, last name, first name, id) and across sites (last name, first name, id);
- NameWord: each word of a customer's names, for SQLite's word-start search, filled for existing customers;
- on PostgreSQL only, pg_trgm and a trigram GIN index on search_name for « contains » name search (a no-op on
  SQLite, which has no such index type).
"""

import re
import unicodedata

import django.db.models.deletion
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

TRIGRAM_INDEX = "customer_search_trgm"


def _words(search_name):
    # A frozen copy of customers.cleaning.name_words: migrations must not follow later code changes.
    plain = unicodedata.normalize("NFKD", search_name or "").encode("ascii", "ignore").decode()
    return sorted(set(re.findall(r"[a-z0-9]+", plain.lower())))


def fill_words(apps, schema_editor):
    Customer = apps.get_model("customers", "Customer")
    NameWord = apps.get_model("customers", "NameWord")
    batch = []
    for pk, search_name in Customer.objects.values_list("pk", "search_name").iterator(chunk_size=2000):
        batch += [NameWord(customer_id=pk, word=word[:100]) for word in _words(search_name)]
        if len(batch) >= 2000:
            NameWord.objects.bulk_create(batch)
            batch = []
    NameWord.objects.bulk_create(batch)


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON customers_customer "
            "USING gin (search_name gin_trgm_ops)"
        )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0004_personal_data"),
    ]

    operations = [
        migrations.CreateModel(
            name="NameWord",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("word", models.CharField(max_length=100)),
                (
                    "customer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="customers.customer"
                    ),
                ),
            ],
            options={"verbose_name": "mot du nom", "verbose_name_plural": "mots des noms"},
        ),
        migrations.AddIndex(
            model_name="nameword",
            index=models.Index(fields=["word", "customer"], name="customer_nameword"),
        ),
        migrations.AddIndex(
            model_name="customer",
            index=models.Index(fields=["site", "last_name", "first_name", "id"], name="customer_site_name_order"),
        ),
        migrations.AddIndex(
            model_name="customer",
            index=models.Index(fields=["last_name", "first_name", "id"], name="customer_name_order"),
        ),
        migrations.RunPython(fill_words, migrations.RunPython.noop),
        TrigramExtension(),  # CREATE EXTENSION pg_trgm on PostgreSQL; nothing elsewhere
        migrations.RunPython(create_trigram_index, drop_trigram_index),
    ]
