"""Seeds the question sets (per product family) and the pre-diagnosis checklists (diagnostics/seed.py)."""

from django.db import migrations


def seed(apps, schema_editor):
    from atelier.diagnostics.seed import seed as load

    load(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("diagnostics", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
