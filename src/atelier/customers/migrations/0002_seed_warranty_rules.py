"""Seed the legal conformity warranty (garantie légale de conformité) rules as dated data."""

import datetime

from django.db import migrations

RULES = [
    (datetime.date(2005, 2, 19), True, 24,
     "Ordonnance n° 2005-136 du 17 février 2005 : garantie légale de conformité de 2 ans (bien neuf)"),
    (datetime.date(2005, 2, 19), False, 24,
     "Ordonnance n° 2005-136 du 17 février 2005 : garantie légale de conformité de 2 ans (bien d'occasion)"),
    (datetime.date(2022, 1, 1), True, 24,
     "Ordonnance n° 2021-1247 du 29 septembre 2021 : garantie légale de conformité de 24 mois (bien neuf)"),
    (datetime.date(2022, 1, 1), False, 12,
     "Ordonnance n° 2021-1247 du 29 septembre 2021 : 24 mois pour un bien d'occasion, réductibles à 12 mois "
     "par accord des parties ; 12 mois retenus par prudence"),
]


def seed(apps, schema_editor):
    WarrantyRule = apps.get_model("customers", "WarrantyRule")
    for valid_from, bought_new, months, label in RULES:
        WarrantyRule.objects.update_or_create(
            valid_from=valid_from, bought_new=bought_new, defaults={"months": months, "label": label},
        )


def unseed(apps, schema_editor):
    WarrantyRule = apps.get_model("customers", "WarrantyRule")
    for valid_from, bought_new, _months, _label in RULES:
        WarrantyRule.objects.filter(valid_from=valid_from, bought_new=bought_new).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("customers", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(seed, unseed),
    ]
