"""Money fixes (issue 14, point 7): the repair bonus claims (one per invoice that deducted a bonus, created for
the invoices already issued), unpaid balances and signed hand-backs append-only (an unpaid balance recorded
again is a new row; the advice sheet's sending becomes a notification instead of a column rewritten on the
signed hand-back)."""

import django.db.models.deletion
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models



def advice_sendings_to_notifications(apps, schema_editor):
    """Keep the date each advice sheet was e-mailed, as the notification that now records it."""
    HandBack = apps.get_model("billing", "HandBack")
    Notification = apps.get_model("billing", "Notification")
    for record in HandBack.objects.exclude(advice_emailed_at=None).select_related("case__customer"):
        Notification.objects.create(
            case=record.case,
            channel="email",
            purpose="conseils",
            recipient=record.case.customer.email or "",
            body="Fiche conseils envoyée par e-mail.",
            at=record.advice_emailed_at,
            by=record.by,
        )


def claims_for_issued_bonuses(apps, schema_editor):
    """Each invoice already issued with a bonus gets its claim, to file (the shop says later what it did)."""
    Invoice = apps.get_model("billing", "Invoice")
    BonusClaim = apps.get_model("billing", "BonusClaim")
    for invoice in Invoice.objects.filter(kind="facture", bonus_amount__gt=0):
        BonusClaim.objects.create(
            invoice=invoice,
            amount=invoice.bonus_amount,
            label=invoice.bonus_label,
            created_at=invoice.issued_at,
            updated_by_id=invoice.issued_by_id,
        )


class Migration(migrations.Migration):

    dependencies = [
        ('billing', '0009_originals'),
        ('repairs', '0002_caseevent_actor_customer'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='handback',
            options={'ordering': ['-at', '-pk'], 'verbose_name': "remise de l'appareil", 'verbose_name_plural': "remises d'appareils"},
        ),
        migrations.AlterModelOptions(
            name='unpaidbalance',
            options={'ordering': ['-at', '-pk'], 'verbose_name': 'reste dû', 'verbose_name_plural': 'restes dus'},
        ),
        migrations.RunPython(advice_sendings_to_notifications, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='handback',
            name='advice_emailed_at',
        ),
        migrations.AlterField(
            model_name='handback',
            name='advice_sheet',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='billing.advicesheet', verbose_name='fiche'),
        ),
        migrations.AlterField(
            model_name='notification',
            name='purpose',
            field=models.CharField(blank=True, choices=[('pret', 'Appareil prêt'), ('suivi', 'Lien de suivi'), ('relance', 'Relance de paiement'), ('conseils', 'Fiche conseils')], max_length=8, verbose_name='objet'),
        ),
        migrations.AlterField(
            model_name='unpaidbalance',
            name='case',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='unpaid_balances', to='repairs.repaircase', verbose_name='dossier'),
        ),
        migrations.CreateModel(
            name='BonusClaim',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('amount', models.DecimalField(decimal_places=2, max_digits=12, verbose_name='bonus demandé (€)')),
                ('reversed_amount', models.DecimalField(decimal_places=2, default=Decimal('0.00'), max_digits=12, verbose_name='bonus repris par avoir (€)')),
                ('state', models.CharField(choices=[('a_deposer', 'À déposer'), ('deposee', 'Déposée'), ('payee', 'Payée'), ('a_retirer', 'À retirer'), ('retiree', 'Retirée')], default='a_deposer', max_length=10, verbose_name='état')),
                ('label', models.CharField(max_length=200, verbose_name='éco-organisme et label')),
                ('created_at', models.DateTimeField(verbose_name='créée le')),
                ('filed_at', models.DateTimeField(blank=True, null=True, verbose_name='déposée le')),
                ('paid_at', models.DateTimeField(blank=True, null=True, verbose_name='payée le')),
                ('reversed_at', models.DateTimeField(blank=True, null=True, verbose_name='reprise le')),
                ('withdrawn_at', models.DateTimeField(blank=True, null=True, verbose_name='retirée le')),
                ('invoice', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='bonus_claim', to='billing.invoice', verbose_name='facture')),
                ('updated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='par')),
            ],
            options={
                'verbose_name': 'demande de bonus réparation',
                'verbose_name_plural': 'demandes de bonus réparation',
                'ordering': ['created_at', 'pk'],
                'constraints': [models.CheckConstraint(condition=models.Q(('amount__gt', 0)), name='billing_bonusclaim_amount_positive'), models.CheckConstraint(condition=models.Q(('reversed_amount__gte', 0), ('reversed_amount__lte', models.F('amount'))), name='billing_bonusclaim_reversed_within_amount')],
            },
        ),
        migrations.RunPython(claims_for_issued_bonuses, migrations.RunPython.noop),
    ]
