"""Add Customer.search_name (accent- and case-free names for search) and fill it for existing rows."""

import unicodedata

from django.db import migrations, models


def _key(value):
    # A frozen copy of customers.cleaning.search_key: migrations must not follow later code changes.
    plain = unicodedata.normalize("NFKD", value or "").encode("ascii", "ignore").decode()
    return " ".join(plain.lower().split())


def fill(apps, schema_editor):
    Customer = apps.get_model("customers", "Customer")
    for customer in Customer.objects.only("last_name", "first_name", "company_name").iterator():
        customer.search_name = _key(" ".join((customer.last_name, customer.first_name, customer.company_name)))
        customer.save(update_fields=["search_name"])


class Migration(migrations.Migration):

    dependencies = [
        ("customers", "0002_seed_warranty_rules"),
    ]

    operations = [
        migrations.AddField(
            model_name="customer",
            name="search_name",
            field=models.CharField(blank=True, editable=False, help_text="Nom, prénom et raison sociale sans accents ni majuscules, tenue à jour à l'enregistrement.", max_length=420, verbose_name="clé de recherche"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
