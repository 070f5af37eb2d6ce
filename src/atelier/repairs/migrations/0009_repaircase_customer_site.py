"""The dossiers of a customer, with their site, from an index alone (issue 16, the dossier search by a name).

The search's capped count goes from the customers found to their dossiers of the user's sites: by the
foreign-key index each dossier was also read from the table for its site (1,000 random reads at 1,000,000
dossiers). With (customer, site) the probe answers from the index (Index Only Scan, after VACUUM).
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("repairs", "0007_dossier_scans_not_parallel"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="repaircase",
            index=models.Index(fields=["customer", "site"], name="repaircase_customer_site"),
        ),
    ]
