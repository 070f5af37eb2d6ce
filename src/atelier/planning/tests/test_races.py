"""Two managers re-optimise the same day at once: the site-day row lock lets one through, the other gets a
clear French message, and the last validated plan is kept."""

import threading

import pytest
from django.db import connection, connections, transaction

from atelier.core.errors import AtelierError
from atelier.planning import services
from atelier.planning.models import DayPlan, PlanRoute

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks (SELECT … FOR UPDATE NOWAIT) are a PostgreSQL matter; SQLite serialises writers",
    ),
    pytest.mark.django_db(transaction=True),
]

BUSY = "Un autre responsable est en train d'optimiser ou de valider le"


def _run_in_thread(target) -> list:
    outcomes: list = []

    def run():
        try:
            outcomes.append(target())
        except AtelierError as exc:
            outcomes.append(exc.message)
        except BaseException as exc:  # reported by the test, a thread must not die silently
            outcomes.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return outcomes


def test_second_manager_is_told_while_the_day_is_locked(make_profile, make_visit, responsable, day):
    profile = make_profile()
    make_visit()
    plan = services.plan_optimise(actor=responsable, site=profile.site, day=day)
    services.plan_validate(actor=responsable, plan=plan, revision=plan.revision)
    with transaction.atomic():
        DayPlan.objects.select_for_update().get(pk=plan.pk)  # the first manager, mid-optimisation
        outcomes = _run_in_thread(
            lambda: services.plan_optimise(actor=responsable, site=profile.site, day=day)
        )
    assert len(outcomes) == 1 and str(outcomes[0]).startswith(BUSY)
    assert PlanRoute.objects.get(plan=plan, validated=True).stops.count() == 1
    plan.refresh_from_db()
    assert plan.revision == 1


def test_two_managers_optimising_at_once(make_profile, make_visit, responsable, day):
    profile = make_profile()
    for postcode in ("75011", "75012", "75020"):
        make_visit(postcode=postcode)
    barrier = threading.Barrier(2)
    outcomes: list = []

    def optimise():
        try:
            barrier.wait()
            outcomes.append(services.plan_optimise(actor=responsable, site=profile.site, day=day).revision)
        except AtelierError as exc:
            outcomes.append(exc.message)
        except BaseException as exc:
            outcomes.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=optimise) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert 1 in outcomes and len(outcomes) == 2
    other = next(o for o in outcomes if o != 1)
    assert str(other).startswith(BUSY)
    assert DayPlan.objects.get().revision == 1


def test_the_week_waits_for_no_one_and_validates_nothing_while_a_day_is_locked(
    make_profile, make_visit, responsable, day
):
    """A manager validates the week while another is busy on its second day: the week is refused with that
    day named, and its first day, validated a moment before inside the same transaction, is rolled back."""
    import datetime

    from atelier.planning.models import PlanState

    profile = make_profile()
    for _ in range(3):
        make_visit(postcode="75011", duration_minutes=240)
    plans = services.plan_optimise_week(
        actor=responsable, site=profile.site, first_day=day, days=2, seconds=0.5
    )
    revisions = {p.day: p.revision for p in plans}
    tuesday = day + datetime.timedelta(days=1)
    with transaction.atomic():
        DayPlan.objects.select_for_update().get(site=profile.site, day=tuesday)  # the other manager
        outcomes = _run_in_thread(
            lambda: services.plan_validate_week(actor=responsable, site=profile.site, revisions=revisions)
        )
    assert len(outcomes) == 1 and isinstance(outcomes[0], str), outcomes
    assert (
        outcomes[0].startswith("Mardi ")
        and BUSY in outcomes[0]
        and outcomes[0].endswith("Rien n'a été validé.")
    )
    assert set(DayPlan.objects.values_list("state", flat=True)) == {PlanState.BROUILLON}
    done = services.plan_validate_week(actor=responsable, site=profile.site, revisions=revisions)
    assert [p.state for p in done] == [PlanState.VALIDE, PlanState.VALIDE]
