"""The site on each stock move, copied from its location, and the moves list's indexes in its order (issue 16).

Added nullable, filled from the locations in one statement, then made required: a location never changes site.
"""

import django.db.models.deletion
from django.db import migrations, models

FILL_SITES = (
    "UPDATE stock_stockmove SET site_id = "
    "(SELECT site_id FROM stock_stocklocation WHERE stock_stocklocation.id = stock_stockmove.location_id)"
)


def fill_sites(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        postgresql = schema_editor.connection.vendor == "postgresql"
        if postgresql:  # the new foreign key is deferred: checked now, or NOT NULL below finds pending events
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(FILL_SITES)
        if postgresql:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_site_vat_on_debits"),
        ("stock", "0006_supplier_returns"),
    ]

    operations = [
        migrations.AddField(
            model_name="stockmove",
            name="site",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.site",
                verbose_name="site",
            ),
        ),
        migrations.RunPython(fill_sites, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="stockmove",
            name="site",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.site",
                verbose_name="site",
            ),
        ),
        migrations.AddIndex(
            model_name="stockmove",
            index=models.Index(fields=["site", "-at", "-id"], name="stock_move_site_at"),
        ),
        migrations.AddIndex(
            model_name="stockmove",
            index=models.Index(fields=["-at", "-id"], name="stock_move_at"),
        ),
    ]
