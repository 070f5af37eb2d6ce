"""PostgreSQL: no parallel scan of the dossier table (issue 16, the dossier search by a common name).

The list walks the dossiers newest first and stops at its page (25 rows, a few thousand index entries at most
when it keeps the dossiers of a common name). Priced on a million rows, PostgreSQL split that walk between two
workers and merged them back (Gather Merge): on the benchmark's machine (2 cores, shared) starting the workers
cost 14 to 250 ms where the walk alone takes 2 to 8 ms (« meunier » in Paris at 1,000,000 dossiers). A counter's
page never reads enough dossiers for workers to pay. `parallel_workers = 0` is a storage parameter of the table:
no rewrite, no index built, instant at any size. A no-op on SQLite.
"""

from django.db import migrations


def serial_scans(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE repairs_repaircase SET (parallel_workers = 0)")


def default_scans(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE repairs_repaircase RESET (parallel_workers)")


class Migration(migrations.Migration):
    dependencies = [
        ("repairs", "0006_perf_location_indexes"),
    ]

    operations = [migrations.RunPython(serial_scans, default_scans, elidable=False)]
