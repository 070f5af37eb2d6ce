from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from atelier.billing.models import Incident
from atelier.core.errors import AtelierError, PermissionRefused, TransitionRefused
from atelier.customers.models import Appliance
from atelier.procedures import plugins, selectors, services
from atelier.procedures.choices import ProcedureKind, StepOutcome
from atelier.procedures.models import NonConformity, Procedure, StepResult
from atelier.procedures.tests.conftest import walk_to_repaired
from atelier.procedures.tests.factories import follow_procedure, mid_range
from atelier.repairs import services as case_services
from atelier.repairs.choices import CaseStatus, EventKind
from atelier.repairs.tests.pages import dossier_page

PUMP = "Pompe de vidange"


def _steps(n=2, **last):
    steps = [{"instruction": f"Consigne {i}"} for i in range(1, n + 1)]
    steps[-1].update(last)
    return steps


def test_the_most_specific_procedure_wins(appliance, responsable):
    whirlpool = Appliance(family="lave_linge", brand="Whirlpool", model_ref="FFB 8458 WV F")
    assert (
        selectors.applicable_procedure(appliance, ProcedureKind.REPARATION, PUMP).code == "REP-LL-POMPE-BOSCH"
    )
    assert selectors.applicable_procedure(whirlpool, ProcedureKind.REPARATION, PUMP).code == "REP-LL-POMPE"
    model = services.procedure_publish(
        actor=responsable,
        kind=ProcedureKind.REPARATION,
        title="Pompe WAN28208FF",
        topic="pompe de vidange",  # the same topic, whatever its case
        family="lave_linge",
        brand="BOSCH",
        model_ref="WAN28208FF",
        source="fabricant",
        steps=_steps(),
    )
    assert selectors.applicable_procedure(appliance, ProcedureKind.REPARATION, PUMP) == model
    other_bosch = Appliance(family="lave_linge", brand="Bosch", model_ref="WGG04409FR")
    assert (
        selectors.applicable_procedure(other_bosch, ProcedureKind.REPARATION, PUMP).code
        == "REP-LL-POMPE-BOSCH"
    )
    # one per (type, topic), in the order démontage, réparation…, mise en service, reconditionnement
    assert [p.code for p in selectors.applicable_procedures(whirlpool)] == [
        "DEM-LL",
        "REP-LL-POMPE",
        "REP-LL-SERRURE",
        "MES-LL",
        "REC-LL",
    ]


def test_a_published_version_is_frozen_and_editing_publishes_the_next(make_case, responsable, technicien):
    v1 = Procedure.objects.get(code="MES-LL")
    case = make_case()
    run = services.run_start(actor=technicien, case=case, procedure=v1)
    v2 = services.procedure_publish(
        actor=responsable,
        previous=v1,
        kind=v1.kind,
        title=v1.title,
        family=v1.family,
        source=v1.source,
        steps=_steps(3, measure_label="Hauteur", unit="cm", min_value=Decimal(60), max_value=Decimal(90)),
        change_note="Hauteur maximale 90 cm.",
    )
    v1.refresh_from_db()
    assert (v1.version, v1.is_current, v1.steps.count()) == (1, False, 6)
    assert (v2.code, v2.version, v2.is_current, v2.steps.count()) == ("MES-LL", 2, True, 3)
    assert v2.steps.get(position=3).range_label == "de 60 à 90 cm"
    assert run.procedure_id == v1.pk  # the dossier keeps the version it followed
    with pytest.raises(TransitionRefused, match="La version 1 n'est plus en vigueur"):
        services.procedure_publish(
            actor=responsable,
            previous=v1,
            kind=v1.kind,
            title="x",
            family=v1.family,
            source="interne",
            steps=_steps(),
        )
    with pytest.raises(AtelierError, match="Étape 2 : nommez la grandeur à mesurer."):
        services.procedure_publish(
            actor=responsable,
            kind="reparation",
            title="x",
            family="froid",
            source="interne",
            steps=_steps(unit="V"),
        )
    assert Procedure.objects.filter(code="MES-LL").count() == 2
    with pytest.raises(PermissionRefused):
        services.procedure_publish(
            actor=technicien, kind="reparation", title="x", family="froid", source="interne", steps=_steps()
        )


def test_step_results_measures_and_out_of_range(make_case, technicien):
    case = make_case()
    procedure = Procedure.objects.get(code="MES-LL")
    run = services.run_start(actor=technicien, case=case, procedure=procedure)
    assert case.events.filter(kind=EventKind.NOTE).last().label == (
        "Procédure suivie : Contrôle de mise en service du lave-linge (v1)"
    )
    steps = list(procedure.steps.order_by("position"))
    drain = steps[2]
    assert (drain.measure_label, drain.unit, drain.min_value, drain.max_value) == (
        "Hauteur d'évacuation",
        "cm",
        Decimal(60),
        Decimal(100),
    )
    with pytest.raises(AtelierError, match=r"Saisissez la mesure \(Hauteur d'évacuation, de 60 à 100 cm\)."):
        services.step_record(actor=technicien, run=run, step=drain, outcome=StepOutcome.FAIT)
    with pytest.raises(AtelierError, match="Décrivez le problème constaté."):
        services.step_record(actor=technicien, run=run, step=steps[0], outcome=StepOutcome.PROBLEME)
    result = services.step_record(
        actor=technicien, run=run, step=drain, outcome=StepOutcome.FAIT, measured_value=Decimal("120")
    )
    assert (result.measured_value, result.out_of_range) == (Decimal("120"), True)
    services.step_record(actor=technicien, run=run, step=steps[1], outcome=StepOutcome.NON_APPLICABLE)
    # a value on a step that asks for none is not kept
    kept = services.step_record(
        actor=technicien, run=run, step=steps[0], outcome=StepOutcome.FAIT, measured_value=Decimal(3)
    )
    assert kept.measured_value is None
    state = selectors.run_state(run)
    assert (state.done_count, [s.position for s in state.left], state.complete, state.passed) == (
        3,
        [4, 5, 6],
        False,
        False,
    )
    assert [r.step.position for r in state.blocking] == [3]
    # corrected: one result per step
    services.step_record(
        actor=technicien, run=run, step=drain, outcome=StepOutcome.FAIT, measured_value=Decimal("80")
    )
    assert StepResult.objects.filter(run=run).count() == 3
    assert StepResult.objects.get(run=run, step=drain).out_of_range is False


def test_commissioning_refused_while_the_control_procedure_is_incomplete(
    rules_off, make_case, accueil, technicien
):
    case = walk_to_repaired(make_case(), accueil, technicien)
    prefix = f"« Mise en service / prêt à rendre » est impossible pour le dossier {case.number} : "

    def refusal():
        with pytest.raises(TransitionRefused) as exc:
            case_services.case_commission(case=case, actor=technicien, note="Essai OK.")
        return exc.value.message

    assert refusal() == prefix + (
        "le contrôle de mise en service « Contrôle de mise en service du lave-linge » n'est pas fait"
    )
    procedure = Procedure.objects.get(code="MES-LL")
    run = services.run_start(actor=technicien, case=case, procedure=procedure)
    steps = list(procedure.steps.order_by("position"))
    for step in steps[:5]:
        value = Decimal(110) if step.position == 3 else mid_range(step)
        services.step_record(
            actor=technicien, run=run, step=step, outcome=StepOutcome.FAIT, measured_value=value
        )
    assert refusal() == prefix + (
        "le contrôle de mise en service « Contrôle de mise en service du lave-linge » n'est pas terminé "
        "(étapes 6 à faire)"
    )
    services.step_record(actor=technicien, run=run, step=steps[5], outcome=StepOutcome.NON_APPLICABLE)
    assert refusal() == prefix + (
        "le contrôle de mise en service a une mesure hors tolérance à l'étape 3 (110, attendu de 60 à 100 cm)"
    )
    services.step_record(
        actor=technicien, run=run, step=steps[2], outcome=StepOutcome.FAIT, measured_value=Decimal(85)
    )
    assert selectors.commissioning_procedure_problem(case) is None
    case = case_services.case_commission(case=case, actor=technicien, note="Essai OK.")
    assert case.status == CaseStatus.PRET
    labels = list(case.events.values_list("label", flat=True))
    assert "Procédure terminée : Contrôle de mise en service du lave-linge (v1)" in labels


def test_a_family_without_control_procedure_is_not_held(rules_off, make_case, accueil, technicien, appliance):
    appliance.family = "audio"
    appliance.save()
    case = walk_to_repaired(make_case(), accueil, technicien)
    assert selectors.commissioning_procedure_problem(case) is None
    assert case_services.case_commission(case=case, actor=technicien, note="OK").status == CaseStatus.PRET


def test_a_problem_at_disassembly_reaches_the_manager_and_the_makers_report(
    make_case, technicien, responsable, accueil
):
    case = make_case()
    procedure = Procedure.objects.get(code="DEM-LL")
    run = services.run_start(actor=technicien, case=case, procedure=procedure)
    step = procedure.steps.get(position=6)
    services.step_record(
        actor=technicien,
        run=run,
        step=step,
        outcome=StepOutcome.PROBLEME,
        note="Cosse du bornier mal sertie d'origine.",
        manufacturer_fault=True,
    )
    item = NonConformity.objects.get()
    assert (item.case, item.run, item.step, item.manufacturer_fault) == (case, run, step, True)
    incident = Incident.objects.get()
    assert (incident.brand, incident.kind, incident.case) == ("BOSCH", "montage", case)
    assert incident.description == item.description
    assert item.description.endswith(": Cosse du bornier mal sertie d'origine.")
    # an explicit report, not the maker's: no manufacturer feedback
    services.non_conformity_report(actor=technicien, case=case, description="Vis de carte manquante.")
    assert Incident.objects.count() == 1
    panels = plugins.home_panels(responsable)
    assert [p["key"] for p in panels] == ["procedures_non_conformities"]
    assert panels[0]["count"] == 2
    assert [link["badge"] for link in panels[0]["links"][:2]] == ["", "fabricant"]
    assert panels[0]["links"][0]["text"] == f"{case.number} · Vis de carte manquante."
    assert plugins.home_panels(technicien) == [] and plugins.home_panels(accueil) == []
    services.non_conformity_seen(actor=responsable, item=item)
    assert plugins.home_panels(responsable)[0]["count"] == 1
    with pytest.raises(PermissionRefused):
        services.non_conformity_report(actor=accueil, case=case, description="x")


def test_pages_roles_and_sites(
    client, make_case, technicien, responsable, accueil, other_case, other_technicien
):
    case = make_case()
    client.force_login(technicien)
    page = dossier_page(client, case.pk)
    start = reverse("procedures:run_start", args=[case.pk, Procedure.objects.get(code="DEM-LL").pk])
    assert f'action="{start}"' in page
    response = client.post(start)
    run = case.procedure_runs.get()
    assert response.status_code == 302 and response["Location"] == reverse("procedures:run", args=[run.pk])
    step = run.procedure.steps.get(position=1)
    response = client.post(reverse("procedures:step", args=[run.pk, step.pk]), {"outcome": "probleme"})
    assert response.status_code == 400
    assert "Décrivez le problème constaté." in response.content.decode()
    response = client.post(reverse("procedures:step", args=[run.pk, step.pk]), {"outcome": "fait"})
    assert response.status_code == 302
    assert StepResult.objects.get(run=run).outcome == "fait"
    assert client.get(reverse("procedures:list")).status_code == 403
    # another site's dossier and run answer 404
    client.force_login(other_technicien)
    assert client.get(reverse("procedures:run", args=[run.pk])).status_code == 404
    assert (
        client.post(reverse("procedures:step", args=[run.pk, step.pk]), {"outcome": "fait"}).status_code
        == 404
    )
    assert client.post(start).status_code == 404
    client.force_login(accueil)
    assert client.get(reverse("procedures:run", args=[run.pk])).status_code == 403
    client.force_login(responsable)
    assert client.get(reverse("procedures:list")).status_code == 200
    data = {
        "title": "Remplacement du moteur",
        "kind": "reparation",
        "topic": "Moteur",
        "family": "lave_linge",
        "source": "interne",
        "steps-TOTAL_FORMS": "2",
        "steps-INITIAL_FORMS": "0",
        "steps-0-instruction": "Déposer la courroie.",
        "steps-1-instruction": "Mesurer les balais.",
        "steps-1-measure_label": "Longueur des balais",
        "steps-1-unit": "mm",
        "steps-1-min_value": "8",
    }
    response = client.post(reverse("procedures:create"), data)
    created = Procedure.objects.get(title="Remplacement du moteur")
    assert response.status_code == 302 and response["Location"] == reverse(
        "procedures:detail", args=[created.pk]
    )
    assert [(s.position, s.measure_label, s.min_value) for s in created.steps.all()] == [
        (1, "", None),
        (2, "Longueur des balais", Decimal(8)),
    ]
    response = client.post(
        reverse("procedures:edit", args=[created.pk]),
        {**data, "steps-0-instruction": "Déposer la courroie (repère au feutre)."},
    )
    new = Procedure.objects.get(code=created.code, is_current=True)
    assert (new.version, new.steps.get(position=1).instruction) == (
        2,
        "Déposer la courroie (repère au feutre).",
    )
    assert client.get(reverse("procedures:detail", args=[created.pk])).status_code == 200


def test_api_lists_filters_and_runs(make_case, technicien, accueil, other_technicien):
    case = make_case()
    api = APIClient()
    api.force_authenticate(technicien)
    listed = api.get(
        "/api/procedures/", {"family": "lave_linge", "kind": "reparation", "brand": "bosch"}
    ).json()
    assert [p["code"] for p in listed["results"]] == ["REP-LL-POMPE-BOSCH"]
    detail = api.get(f"/api/procedures/{listed['results'][0]['id']}/").json()
    assert [s["measure_label"] for s in detail["steps"]][2] == "Résistance du bobinage"
    procedure = Procedure.objects.get(code="MES-LL")
    response = api.post(f"/api/cases/{case.pk}/procedure-runs/", {"procedure": procedure.pk}, format="json")
    assert response.status_code == 201
    run = response.json()
    assert (run["procedure_version"], run["complete"], run["results"]) == (1, False, [])
    drain = procedure.steps.get(position=3)
    response = api.post(
        f"/api/procedure-runs/{run['id']}/results/",
        {"step": drain.pk, "outcome": "fait", "measured_value": "105"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["results"][0] | {"recorded_at": None} == {
        "step": drain.pk,
        "outcome": "fait",
        "note": "",
        "measured_value": "105.000",
        "out_of_range": True,
        "recorded_by": str(technicien),
        "recorded_at": None,
    }
    assert [r["id"] for r in api.get(f"/api/cases/{case.pk}/procedure-runs/").json()] == [run["id"]]
    # another site: 404; a role that does not follow procedures: 403
    api.force_authenticate(other_technicien)
    assert (
        api.post(
            f"/api/cases/{case.pk}/procedure-runs/", {"procedure": procedure.pk}, format="json"
        ).status_code
        == 404
    )
    assert api.get(f"/api/procedure-runs/{run['id']}/").status_code == 404
    assert (
        api.post(
            f"/api/procedure-runs/{run['id']}/results/", {"step": drain.pk, "outcome": "fait"}, format="json"
        ).status_code
        == 404
    )
    api.force_authenticate(accueil)
    assert api.get("/api/procedures/").status_code == 403
    assert (
        api.post(
            f"/api/cases/{case.pk}/procedure-runs/", {"procedure": procedure.pk}, format="json"
        ).status_code
        == 403
    )


def test_follow_procedure_helper_leaves_a_passed_run(make_case, technicien):
    case = make_case()
    run = follow_procedure(case, technicien)
    state = selectors.run_state(run)
    assert (run.procedure.code, state.complete, state.passed, run.finished_at is not None) == (
        "MES-LL",
        True,
        True,
        True,
    )
