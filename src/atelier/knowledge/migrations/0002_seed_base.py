"""Loads the starting knowledge base shipped in knowledge/data/base_fr.json (see its README)."""

from django.db import migrations


def load(apps, schema_editor):
    from atelier.knowledge.seed import load_base

    load_base(apps)


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
