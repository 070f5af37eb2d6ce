"""The journal checkpoint (incremental check of the accountant's page) and indexes in the order of the lists of
that page: invoices, closures, open bonus claims (issue 16)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0011_sealed_periods"),
        ("core", "0006_site_permissions"),
        ("quotes", "0003_order_skills_tools_codes"),
        ("repairs", "0002_caseevent_actor_customer"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="JournalCheckpoint",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "seq",
                    models.PositiveBigIntegerField(default=0, verbose_name="vérifié jusqu'à l'écriture n°"),
                ),
                (
                    "hash",
                    models.CharField(blank=True, max_length=64, verbose_name="empreinte de cette écriture"),
                ),
                (
                    "documents",
                    models.JSONField(blank=True, default=dict, verbose_name="derniers documents vérifiés"),
                ),
                ("checked_at", models.DateTimeField(blank=True, null=True, verbose_name="vérifié le")),
                (
                    "full_checked_at",
                    models.DateTimeField(
                        blank=True, null=True, verbose_name="dernière vérification complète"
                    ),
                ),
                (
                    "full_ok",
                    models.BooleanField(null=True, verbose_name="vérification complète sans anomalie"),
                ),
                (
                    "full_message",
                    models.CharField(
                        blank=True, max_length=500, verbose_name="verdict de la vérification complète"
                    ),
                ),
            ],
            options={
                "verbose_name": "point de contrôle du journal",
                "verbose_name_plural": "points de contrôle du journal",
            },
        ),
        migrations.AddIndex(
            model_name="bonusclaim",
            index=models.Index(fields=["state", "created_at", "id"], name="billing_bonusclaim_state"),
        ),
        migrations.AddIndex(
            model_name="closure",
            index=models.Index(fields=["site", "-start", "period"], name="billing_closure_latest"),
        ),
        migrations.AddIndex(
            model_name="invoice",
            index=models.Index(fields=["site", "issued_at", "id"], name="billing_invoice_site_issued"),
        ),
        migrations.AddIndex(
            model_name="invoice",
            index=models.Index(fields=["site", "kind", "issued_at", "id"], name="billing_invoice_site_kind"),
        ),
        migrations.AddIndex(
            model_name="invoice",
            index=models.Index(fields=["issued_at", "id"], name="billing_invoice_issued"),
        ),
        migrations.AddField(
            model_name="journalcheckpoint",
            name="checked_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="par",
            ),
        ),
        migrations.AddField(
            model_name="journalcheckpoint",
            name="site",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="journal_checkpoint",
                to="core.site",
                verbose_name="site",
            ),
        ),
    ]
