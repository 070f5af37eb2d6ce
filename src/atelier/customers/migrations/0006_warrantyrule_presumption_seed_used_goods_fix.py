"""The legal guarantee of used goods is 2 years since 2022-01-01 (C. consom. L217-3); the 12 months the 0002 seed
gave them is the presumption of non-conformity (L217-7), not the guarantee. Add the presumption as dated data,
correct the 2022 row for used goods, add the 2016 presumption change, and recompute the « fin de garantie »
stored on used appliances bought since 2022 whose date was computed with the wrong rule (purchase + 12 months;
a date typed by hand is kept)."""

import calendar
import datetime

from django.db import migrations, models

D = datetime.date
# (valid_from, bought_new, months, presumption_months, label)
RULES = [
    (D(2005, 2, 19), True, 24, 6,
     "Ordonnance n° 2005-136 du 17 février 2005 : garantie légale de conformité de 2 ans, présomption de 6 mois "
     "(bien neuf)"),
    (D(2005, 2, 19), False, 24, 6,
     "Ordonnance n° 2005-136 du 17 février 2005 : garantie légale de conformité de 2 ans, présomption de 6 mois "
     "(bien d'occasion)"),
    (D(2016, 3, 18), True, 24, 24,
     "Loi n° 2014-344 du 17 mars 2014, art. 15 : présomption portée à 24 mois (bien neuf, garantie de 2 ans)"),
    (D(2016, 3, 18), False, 24, 6,
     "Loi n° 2014-344 du 17 mars 2014 : présomption de 6 mois maintenue (bien d'occasion, garantie de 2 ans)"),
    (D(2022, 1, 1), True, 24, 24,
     "Ordonnance n° 2021-1247 du 29 septembre 2021 : garantie légale de conformité de 24 mois, présomption de "
     "24 mois (bien neuf, art. L217-3 et L217-7)"),
    (D(2022, 1, 1), False, 24, 12,
     "Ordonnance n° 2021-1247 du 29 septembre 2021 : garantie légale de conformité de 24 mois, présomption de "
     "12 mois (bien d'occasion, art. L217-3 et L217-7)"),
]


def _add_months(day, months):
    # A frozen copy of customers.warranty.add_months: migrations must not follow later code changes.
    year, month0 = divmod(day.month - 1 + months, 12)
    year += day.year
    return day.replace(year=year, month=month0 + 1, day=min(day.day, calendar.monthrange(year, month0 + 1)[1]))


def seed(apps, schema_editor):
    WarrantyRule = apps.get_model("customers", "WarrantyRule")
    Appliance = apps.get_model("customers", "Appliance")
    for valid_from, bought_new, months, presumption, label in RULES:
        WarrantyRule.objects.update_or_create(
            valid_from=valid_from,
            bought_new=bought_new,
            defaults={"months": months, "presumption_months": presumption, "label": label},
        )
    used = Appliance.objects.filter(bought_new=False, purchase_date__gte=D(2022, 1, 1), warranty_end__isnull=False)
    for appliance in used.only("purchase_date", "warranty_end").iterator():
        if appliance.warranty_end == _add_months(appliance.purchase_date, 12):
            appliance.warranty_end = _add_months(appliance.purchase_date, 24)
            appliance.save(update_fields=["warranty_end"])


def unseed(apps, schema_editor):
    """Back to the 0002 rows (the guarantee of used goods stays as corrected on appliances: it was the law)."""
    WarrantyRule = apps.get_model("customers", "WarrantyRule")
    WarrantyRule.objects.filter(valid_from=D(2016, 3, 18)).delete()
    WarrantyRule.objects.filter(valid_from=D(2022, 1, 1), bought_new=False).update(months=12)


class Migration(migrations.Migration):

    dependencies = [
        ("customers", "0005_customer_search_paths"),
    ]

    operations = [
        migrations.AddField(
            model_name="warrantyrule",
            name="presumption_months",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="Délai pendant lequel un défaut est présumé exister à la délivrance (art. L217-7) : "
                "distinct de la durée de la garantie.",
                null=True,
                verbose_name="présomption d'antériorité (mois)",
            ),
        ),
        migrations.RunPython(seed, unseed),
    ]
