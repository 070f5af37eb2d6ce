"""Visits take their tools from the cleaned repair orders (quotes 0003): a free « multimètre » becomes the code
`multimetre`; a piece that is no registered tool kind is dropped (the order's dossier has the note)."""

from django.db import migrations

from atelier.quotes.skills import read_tools


def clean(apps, schema_editor):
    Visit = apps.get_model("planning", "Visit")
    ToolKind = apps.get_model("fieldwork", "ToolKind")
    kinds = dict(ToolKind.objects.values_list("code", "name"))
    for visit in Visit.objects.exclude(tool_kinds="").order_by("pk"):
        codes, _unknown = read_tools(visit.tool_kinds, kinds)
        if ",".join(codes) != visit.tool_kinds:
            visit.tool_kinds = ",".join(codes)
            visit.save(update_fields=["tool_kinds"])


class Migration(migrations.Migration):
    dependencies = [
        ("planning", "0002_dropoffs"),
        ("quotes", "0003_order_skills_tools_codes"),
        ("fieldwork", "0002_seed_reference"),
    ]
    operations = [migrations.RunPython(clean, migrations.RunPython.noop)]
