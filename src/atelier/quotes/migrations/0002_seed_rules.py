"""Rules as data: families covered by the used-part obligation, repair bonus amounts, repairability thresholds.

Sources and doubts are written out in docs/quotes.md; every row is editable in the admin.
"""

import datetime
from decimal import Decimal

from django.db import migrations

D = datetime.date
LAW = "C. consom. L224-109, R224-30 à R224-32, D224-33 à D224-37"
COVERED = [
    "lave_linge", "lave_vaisselle", "seche_linge", "froid", "cuisson", "petit_electromenager",
    "televiseur", "audio", "video",
]
LAUNCH = "Fonds réparation, barème de lancement (décembre 2022)"
GRID_2024 = "Fonds réparation, barème au 1er janvier 2024"
BONUS = [
    # family, category, amount, valid_from, valid_until, source
    ("lave_linge", "Lave-linge", "25", D(2022, 12, 15), D(2023, 12, 31), LAUNCH),
    ("lave_vaisselle", "Lave-vaisselle", "25", D(2022, 12, 15), D(2023, 12, 31), LAUNCH),
    ("seche_linge", "Sèche-linge", "25", D(2022, 12, 15), D(2023, 12, 31), LAUNCH),
    ("froid", "Réfrigérateur / congélateur", "25", D(2022, 12, 15), D(2023, 12, 31), LAUNCH),
    ("televiseur", "Téléviseur", "30", D(2022, 12, 15), D(2023, 12, 31), LAUNCH),
    ("lave_linge", "Lave-linge", "50", D(2024, 1, 1), None, GRID_2024),
    ("lave_vaisselle", "Lave-vaisselle", "50", D(2024, 1, 1), None, GRID_2024),
    ("seche_linge", "Sèche-linge", "50", D(2024, 1, 1), None, GRID_2024),
    ("froid", "Réfrigérateur / congélateur", "25", D(2024, 1, 1), None, GRID_2024),
    ("televiseur", "Téléviseur", "60", D(2024, 1, 1), None, GRID_2024),
    ("cuisson", "Plaque de cuisson / four encastrable", "20", D(2024, 1, 1), None, GRID_2024),
]
REPAIRABILITY = [
    # family, price of a comparable new appliance TTC, max repair cost in % of it, max advised age (years)
    ("lave_linge", "450", 50, 10),
    ("lave_vaisselle", "450", 50, 10),
    ("seche_linge", "450", 50, 10),
    ("froid", "550", 50, 12),
    ("cuisson", "500", 50, 12),
    ("televiseur", "500", 50, 8),
    ("petit_electromenager", "80", 60, 5),
    ("audio", "200", 50, 8),
    ("video", "200", 50, 8),
]


def seed(apps, schema_editor):
    Coverage = apps.get_model("quotes", "UsedPartCoverage")
    Bonus = apps.get_model("quotes", "RepairBonusRate")
    Rule = apps.get_model("quotes", "RepairabilityRule")
    for family in COVERED:
        Coverage.objects.get_or_create(
            family=family, part_kind="", defaults={"valid_from": D(2022, 1, 1), "legal_basis": LAW}
        )
    for family, category, amount, start, end, source in BONUS:
        Bonus.objects.get_or_create(
            family=family,
            valid_from=start,
            defaults={"category": category, "amount": Decimal(amount), "valid_until": end, "source": source},
        )
    for family, price, ratio, age in REPAIRABILITY:
        Rule.objects.get_or_create(
            family=family,
            defaults={"replacement_price_ttc": Decimal(price), "max_ratio_percent": ratio, "max_age_years": age},
        )


def unseed(apps, schema_editor):
    for name in ("UsedPartCoverage", "RepairBonusRate", "RepairabilityRule"):
        apps.get_model("quotes", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("quotes", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
