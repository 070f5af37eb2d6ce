"""Seed the priority rules every site starts with; the manager edits them in admin (Paramètres)."""

from django.db import migrations

RULES = [
    ("handicap", "Personne handicapée ou à mobilité réduite", 30, 1),
    ("grossesse", "Femme enceinte", 30, 2),
    ("rendez-vous", "Rendez-vous à l'heure", 20, 3),
]


def seed(apps, schema_editor):
    PriorityRule = apps.get_model("reception", "PriorityRule")
    for code, label, boost, position in RULES:
        PriorityRule.objects.update_or_create(
            code=code, defaults={"label": label, "boost_minutes": boost, "position": position}
        )


def unseed(apps, schema_editor):
    apps.get_model("reception", "PriorityRule").objects.filter(code__in=[r[0] for r in RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("reception", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
