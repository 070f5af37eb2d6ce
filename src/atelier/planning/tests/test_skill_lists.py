"""Repair-order skills and tools come from lists: a typed « multimètre » made the optimiser leave a visit aside
(no technician has the tool « multimètre », whose code is `multimetre`). The data migrations map the old free
text to codes and note what they drop; the same visit is then planned."""

import importlib

import pytest
from django.apps import apps

from atelier.core.errors import AtelierError
from atelier.fieldwork.models import Tool, ToolKind
from atelier.planning import services
from atelier.planning.models import PlanDrop, PlanStop
from atelier.quotes import orders
from atelier.quotes.forms import RepairOrderForm
from atelier.repairs.models import CaseEvent

quotes_0003 = importlib.import_module("atelier.quotes.migrations.0003_order_skills_tools_codes")
planning_0003 = importlib.import_module("atelier.planning.migrations.0003_visit_tool_codes")


@pytest.fixture
def equipped(make_profile, day):
    profile = make_profile()
    Tool.objects.create(
        site=profile.site,
        kind=ToolKind.objects.get(code="multimetre"),
        serial="FLK-1",
        holder=profile.user,
        last_checked_on=day,
        next_check_on=day.replace(year=day.year + 1),
    )
    return profile


def test_typed_multimetre_no_longer_leaves_the_visit_aside(equipped, make_visit, responsable, day):
    visit = make_visit(tools="multimètre", skills="habilitation électrique, soudure")
    plan = services.plan_optimise(actor=responsable, site=equipped.site, day=day)
    assert list(PlanDrop.objects.filter(plan=plan).values_list("reason", flat=True)) == [
        "Aucun technicien disponible n'a : outil « multimètre »."
    ]

    quotes_0003.clean(apps, None)
    planning_0003.clean(apps, None)

    order = visit.order
    order.refresh_from_db()
    visit.refresh_from_db()
    assert (order.skills, order.tools, visit.tool_kinds) == ("hab:elec", "multimetre", "multimetre")
    assert list(order.required_tool_kinds.values_list("kind__code", flat=True)) == ["multimetre"]
    assert CaseEvent.objects.filter(case=order.case).latest("pk").note == (
        f"Ordre {order.number} : compétences et outillage remplacés par les listes (compétences « hab:elec », "
        "outillage « multimetre »). Non reconnus, retirés : « soudure »."
    )
    plan = services.plan_optimise(actor=responsable, site=equipped.site, day=day)
    assert PlanDrop.objects.filter(plan=plan).count() == 0
    assert PlanStop.objects.get(route__plan=plan, route__validated=False).visit == visit


def test_the_order_form_offers_lists_and_the_service_refuses_free_codes(responsable):
    form = RepairOrderForm(user=responsable)
    assert form.fields["skills"].choices == [
        ("niveau:2", "Réparation de niveau 2 (composant)"),
        ("hab:elec", "Habilitation électrique"),
        ("gaz", "Qualification gaz"),
        ("fluides", "Attestation de capacité fluides frigorigènes"),
    ]
    assert ("multimetre", "Multimètre") in form.fields["tools"].choices
    typed = RepairOrderForm({"promised_on": "2030-01-02", "tools": ["multimètre"]}, user=responsable)
    assert typed.errors["tools"] == ["Sélectionnez un choix valide. multimètre n’en fait pas partie."]
    with pytest.raises(AtelierError, match="Choisissez dans la liste : « multimètre » n'y figure pas."):
        orders.checked_codes(["multimètre"], orders.tool_choices(), field="tools")
