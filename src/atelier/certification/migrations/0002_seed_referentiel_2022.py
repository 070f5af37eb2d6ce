"""Load the référentiel of 22 April 2022 from the file shipped in the package (certification/data/). A later
version is a new migration loading its own file beside this one."""

from django.db import migrations


def seed(apps, schema_editor):
    from atelier.certification.loader import load_referentiel

    load_referentiel(apps, "referentiel-2022.json")


class Migration(migrations.Migration):
    dependencies = [("certification", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
