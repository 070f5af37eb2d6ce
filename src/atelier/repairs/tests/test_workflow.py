"""Every step of the workflow table, from every state and by every role: allowed exactly where listed."""

import datetime

import pytest

from atelier.core.choices import Role
from atelier.core.errors import PermissionRefused, TransitionRefused
from atelier.core.tests.factories import UserFactory
from atelier.repairs import services, workflow
from atelier.repairs.choices import CaseStatus, WorkLocation
from atelier.repairs.models import RepairCase


def _kwargs(step, site):
    kwargs = {"note": "Note de test"}
    if step.needs_schedule:
        kwargs["technician"] = UserFactory(username="tech-plan", roles=[Role.TECHNICIEN], sites=[site])
        kwargs["planned_for"] = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)
    return kwargs


def test_every_step_has_its_service():
    assert set(services.SERVICES) == set(workflow.BY_NAME)


def test_the_table_is_the_design_docs_state_machine():
    reachable = {t.target for t in workflow.TRANSITIONS} | {CaseStatus.RECU}
    assert reachable == set(CaseStatus.values)
    assert [
        t.name
        for t in workflow.TRANSITIONS
        if not t.sources.isdisjoint({CaseStatus.CLOTURE, CaseStatus.ANNULE})
    ] == []


@pytest.mark.parametrize("step", workflow.TRANSITIONS, ids=lambda t: t.name)
def test_step_is_refused_from_every_state_not_listed(step, make_case, responsable):
    case = make_case(location=step.location or WorkLocation.ATELIER)
    kwargs = _kwargs(step, case.site)
    for status in CaseStatus.values:
        if status in step.sources:
            continue
        RepairCase.objects.filter(pk=case.pk).update(status=status)
        with pytest.raises(
            TransitionRefused, match="» est impossible : le dossier PAR1-2026-000001 est à l'état"
        ):
            services.SERVICES[step.name](case=case, actor=responsable, **kwargs)
        assert RepairCase.objects.get(pk=case.pk).status == status
    assert case.events.count() == 1


@pytest.mark.parametrize("step", workflow.TRANSITIONS, ids=lambda t: t.name)
def test_step_is_allowed_from_each_listed_state_for_each_listed_role(step, make_case, site):
    for status in sorted(step.sources):
        for role in sorted(step.roles):
            case = make_case(location=step.location or WorkLocation.ATELIER)
            RepairCase.objects.filter(pk=case.pk).update(status=status)
            actor = UserFactory(username=f"u-{role}", roles=[role], sites=[site])
            done = services.SERVICES[step.name](case=case, actor=actor, **_kwargs(step, site))
            assert done.status == step.target
            last = done.events.order_by("-pk").first()
            assert (last.from_status, last.to_status, last.actor) == (status, step.target, actor)


@pytest.mark.parametrize("step", workflow.TRANSITIONS, ids=lambda t: t.name)
def test_step_is_refused_for_every_role_not_listed(step, make_case, site):
    case = make_case(location=step.location or WorkLocation.ATELIER)
    status = sorted(step.sources)[0]
    RepairCase.objects.filter(pk=case.pk).update(status=status)
    for role in sorted(set(Role.values) - step.roles):
        actor = UserFactory(username=f"u-{role}", roles=[role], sites=[site])
        with pytest.raises(PermissionRefused, match="» est réservé aux rôles"):
            services.SERVICES[step.name](case=case, actor=actor, **_kwargs(step, site))
    assert RepairCase.objects.get(pk=case.pk).status == status


def test_location_decides_between_workshop_and_home_visit(make_case, accueil, technicien):
    home = make_case(location=WorkLocation.DOMICILE)
    bench = make_case(location=WorkLocation.ATELIER)
    RepairCase.objects.filter(pk__in=[home.pk, bench.pk]).update(status=CaseStatus.ACCEPTE)
    home.refresh_from_db()
    bench.refresh_from_db()
    names = lambda case, user: [t.name for t in workflow.allowed_for(case, user)]  # noqa: E731
    assert names(home, accueil) == ["plan_visit", "cancel"]
    assert names(bench, accueil) == ["cancel"]
    assert names(bench, technicien) == ["receive_in_workshop", "wait_for_parts", "declare_unrepairable"]
