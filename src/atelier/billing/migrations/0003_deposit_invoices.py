# Deposit invoices (factures d'acompte) and their deduction on the final invoice.

import django.db.models.deletion
from decimal import Decimal
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0002_seed_legal_figures_advice"),
    ]

    operations = [
        migrations.AddField(
            model_name="invoice",
            name="deposits_ttc",
            field=models.DecimalField(
                decimal_places=2,
                default=Decimal("0.00"),
                max_digits=12,
                verbose_name="acomptes déduits TTC (€)",
            ),
        ),
        migrations.AddField(
            model_name="invoiceline",
            name="deposit",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="deductions",
                to="billing.invoice",
                verbose_name="facture d'acompte déduite",
            ),
        ),
        migrations.AlterField(
            model_name="invoice",
            name="kind",
            field=models.CharField(
                choices=[("facture", "Facture"), ("acompte", "Facture d'acompte"), ("avoir", "Avoir")],
                default="facture",
                max_length=8,
                verbose_name="type",
            ),
        ),
        migrations.AlterField(
            model_name="invoiceline",
            name="kind",
            field=models.CharField(
                choices=[
                    ("devis", "Ligne du devis accepté"),
                    ("complement", "Vente complémentaire"),
                    ("acompte", "Acompte reçu"),
                    ("deduction", "Acompte déduit"),
                    ("avoir", "Avoir"),
                ],
                max_length=12,
                verbose_name="origine",
            ),
        ),
        migrations.AddConstraint(
            model_name="invoice",
            constraint=models.CheckConstraint(
                condition=models.Q(("deposits_ttc__gte", 0)), name="billing_invoice_deposits_not_negative"
            ),
        ),
        migrations.AddConstraint(
            model_name="invoiceline",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("kind", "deduction"), ("deposit__isnull", False)),
                    models.Q(models.Q(("kind", "deduction"), _negated=True), ("deposit__isnull", True)),
                    _connector="OR",
                ),
                name="billing_line_deduction_names_its_deposit",
            ),
        ),
    ]
