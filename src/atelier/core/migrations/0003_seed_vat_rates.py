"""French VAT rates with their dates of effect (CGI art. 278 to 281 nonies; 2014 reform by the loi de finances
rectificative pour 2012). Older rows only where the rate changed recently enough to matter for open files."""

import datetime
from decimal import Decimal

from django.db import migrations

D = datetime.date
RATES = [
    # kind, rate, valid_from, valid_until
    ("normal", "19.60", D(2000, 4, 1), D(2013, 12, 31)),
    ("normal", "20.00", D(2014, 1, 1), None),
    ("intermediaire", "7.00", D(2012, 1, 1), D(2013, 12, 31)),
    ("intermediaire", "10.00", D(2014, 1, 1), None),
    ("reduit", "5.50", D(2014, 1, 1), None),
    ("particulier", "2.10", D(2014, 1, 1), None),
]


def seed(apps, schema_editor):
    VatRate = apps.get_model("core", "VatRate")
    for kind, rate, start, end in RATES:
        VatRate.objects.get_or_create(
            kind=kind, valid_from=start, defaults={"rate": Decimal(rate), "valid_until": end}
        )


def unseed(apps, schema_editor):
    apps.get_model("core", "VatRate").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0002_vatrate")]
    operations = [migrations.RunPython(seed, unseed)]
