"""The dossier's customer foreign key loses its own index: `repaircase_customer_site` (customer, site), migration
0009, serves every lookup by customer. With both, PostgreSQL picked either on a few rows, and through the
foreign key's index the search's capped count by name read each dossier from the table for its site (issue 16).

Only the index is dropped (by its name, the same on both databases): an AlterField would make SQLite copy the
whole dossier table and PostgreSQL drop and validate the foreign key again over every dossier."""

import django.db.models.deletion
from django.db import migrations, models

INDEX = "repairs_repaircase_customer_id_983137ac"


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0008_customer_search_btrees"),
        ("repairs", "0009_repaircase_customer_site"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="repaircase",
                    name="customer",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="cases",
                        to="customers.customer",
                        verbose_name="client",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{INDEX}"',
                    f'CREATE INDEX IF NOT EXISTS "{INDEX}" ON "repairs_repaircase" ("customer_id")',
                ),
            ],
        ),
    ]
