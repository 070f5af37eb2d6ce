import datetime

from django.db import migrations


def forward(apps, schema_editor):
    from atelier.procedures.seed import seed

    seed(
        apps.get_model("procedures", "Procedure"),
        apps.get_model("procedures", "ProcedureStep"),
        datetime.datetime(2026, 1, 5, 9, 0, tzinfo=datetime.UTC),
    )


def backward(apps, schema_editor):
    from atelier.procedures.seed import PROCEDURES

    apps.get_model("procedures", "Procedure").objects.filter(code__in=[p[0] for p in PROCEDURES], runs=None).delete()


class Migration(migrations.Migration):
    dependencies = [("procedures", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
