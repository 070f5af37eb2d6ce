"""Refreshes the starting knowledge base from base_fr.json (version 2): error codes for sèche-linge, froid,
cuisson, téléviseur, audio and vidéo. load_base is idempotent: entries added by managers are kept."""

from django.db import migrations


def load(apps, schema_editor):
    from atelier.knowledge.seed import load_base

    load_base(apps)


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0002_seed_base")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
