"""Repair orders' skills and tools become codes from the registered lists (planning qualifications, tool
kinds): known free text is mapped (« Multimètre » → multimetre, « habilitation électrique » → hab:elec),
unknown text is dropped with a note in the dossier's history saying what was removed."""

from django.db import migrations

from atelier.quotes.skills import read_skills, read_tools


def clean(apps, schema_editor):
    RepairOrder = apps.get_model("quotes", "RepairOrder")
    ToolKind = apps.get_model("fieldwork", "ToolKind")
    RequiredToolKind = apps.get_model("fieldwork", "RequiredToolKind")
    CaseEvent = apps.get_model("repairs", "CaseEvent")
    kinds = dict(ToolKind.objects.values_list("code", "name"))
    ids = {code: pk for pk, code in ToolKind.objects.values_list("pk", "code")}
    for order in RepairOrder.objects.exclude(skills="", tools="").order_by("pk"):
        skills, lost_skills = read_skills(order.skills)
        tools, lost_tools = read_tools(order.tools, kinds)
        new = (",".join(skills), ",".join(tools))
        if new == (order.skills, order.tools):
            continue
        note = (
            f"Ordre {order.number} : compétences et outillage remplacés par les listes "
            f"(compétences « {new[0] or '—'} », outillage « {new[1] or '—'} »)."
        )
        lost = lost_skills + lost_tools
        if lost:
            note += " Non reconnus, retirés : " + ", ".join(f"« {p} »" for p in lost) + "."
        order.skills, order.tools = new
        order.save(update_fields=["skills", "tools"])
        for code in tools:
            RequiredToolKind.objects.get_or_create(order=order, kind_id=ids[code])
        CaseEvent.objects.create(case_id=order.case_id, kind="note", label="Note", note=note)


class Migration(migrations.Migration):
    dependencies = [
        ("quotes", "0002_seed_rules"),
        ("fieldwork", "0002_seed_reference"),
        ("repairs", "0002_caseevent_actor_customer"),
    ]
    operations = [migrations.RunPython(clean, migrations.RunPython.noop)]
