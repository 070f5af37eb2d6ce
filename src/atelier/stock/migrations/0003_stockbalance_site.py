import django.db.models.deletion
from django.db import migrations, models


def copy_site(apps, schema_editor):
    """Existing balance rows take their location's site."""
    StockBalance = apps.get_model("stock", "StockBalance")
    for balance in StockBalance.objects.select_related("location").filter(site__isnull=True):
        balance.site_id = balance.location.site_id
        balance.save(update_fields=["site"])


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_seed_vat_rates"),
        ("stock", "0002_ledger_reservations_orders_inventory"),
    ]

    operations = [
        migrations.AddField(
            model_name="stockbalance",
            name="site",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.site",
                verbose_name="site",
            ),
        ),
        migrations.RunPython(copy_site, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="stockbalance",
            name="site",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="+", to="core.site", verbose_name="site"
            ),
        ),
        migrations.AddIndex(
            model_name="stockbalance",
            index=models.Index(fields=["site", "part"], name="stock_balance_site_part"),
        ),
    ]
