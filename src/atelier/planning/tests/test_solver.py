"""The solver wrapper on generated instances, every plan verified by the independent checker."""

import pytest

from atelier.planning.checker import check
from atelier.planning.generator import field_service
from atelier.planning.problem import Plan, Priority, Problem, Route, Stop, Technician, Visit
from atelier.planning.solver import solve

H = 3600


def tiny(**visit_changes) -> Problem:
    """Two technicians at location 0; three customers 10 minutes apart."""
    d = [[0, 600, 600, 600], [600, 0, 600, 600], [600, 600, 0, 600], [600, 600, 600, 0]]
    techs = [
        Technician("A", 0, 0, 8 * H, 17 * H, frozenset({"famille:froid", "fluides"}), 12 * H, 13 * H, 1800),
        Technician("B", 0, 0, 8 * H, 12 * H, frozenset({"famille:lave_linge"})),
    ]
    visits = [
        Visit("v1", 1, 3600, ((8 * H, 10 * H),), Priority.URGENT, frozenset({"famille:froid", "fluides"})),
        Visit("v2", 2, 3600, ((9 * H, 11 * H), (14 * H, 15 * H)), requires=frozenset({"famille:lave_linge"})),
        Visit("v3", 3, 1800, ((8 * H, 17 * H),), Priority.FLEXIBLE, frozenset({"famille:froid"})),
    ]
    for key, changes in visit_changes.items():
        i = next(i for i, v in enumerate(visits) if v.key == key)
        visits[i] = Visit(**{**visits[i].__dict__, **changes})
    return Problem(techs, visits, d, d)


def test_tiny_plan_respects_every_rule():
    problem = tiny()
    plan = solve(problem, seconds=0.5)
    assert check(problem, plan) == []
    assert plan.planned_keys() == {"v1", "v2", "v3"}
    by_visit = {s.visit: r.technician for r in plan.routes for s in r.stops}
    assert by_visit == {"v1": "A", "v2": "B", "v3": "A"}


def test_visit_no_technician_can_do_is_left_out_with_the_missing_skill():
    problem = tiny(v2={"requires": frozenset({"famille:lave_linge", "gaz"})})
    plan = solve(problem, seconds=0.5)
    assert plan.dropped == {"v2": "Aucun technicien disponible n'a : qualification gaz."}
    assert check(problem, plan) == []


def test_impossible_window_is_refused_with_a_reason():
    problem = tiny(v1={"windows": ((10 * H, 9 * H),)}, v3={"windows": ((18 * H, 19 * H),)})
    plan = solve(problem, seconds=0.5)
    assert plan.dropped["v1"] == "Créneau du client impossible (fin avant le début)."
    assert plan.dropped["v3"].startswith("Créneau du client impossible : aucun technicien compétent")
    assert check(problem, plan) == []


def test_pinned_visit_goes_to_its_technician():
    problem = tiny(v3={"pinned_to": "A"}, v1={"requires": frozenset({"famille:froid"})})
    plan = solve(problem, seconds=0.5)
    assert "v3" in {s.visit for r in plan.routes if r.technician == "A" for s in r.stops}
    assert check(problem, plan) == []


def test_a_visit_pinned_to_a_technician_who_cannot_do_it_says_what_he_lacks():
    problem = tiny(v2={"pinned_to": "A"}, v3={"pinned_to": "C"})
    plan = solve(problem, seconds=0.5)
    assert plan.dropped == {
        "v2": "Le technicien choisi n'a pas : famille « lave_linge ».",
        "v3": "Le technicien choisi ne travaille pas ce jour.",
    }
    assert check(problem, plan) == []


def test_least_urgent_visit_goes_first_when_the_day_is_short():
    d = [[0, 300, 300], [300, 0, 300], [300, 300, 0]]
    tech = Technician("A", 0, 0, 8 * H, 11 * H, frozenset())
    visits = [
        Visit("urgent", 1, 2 * H, ((8 * H, 11 * H),), Priority.URGENT),
        Visit("souple", 2, 2 * H, ((8 * H, 11 * H),), Priority.FLEXIBLE),
    ]
    problem = Problem([tech], visits, d, d)
    plan = solve(problem, seconds=0.5)
    assert plan.planned_keys() == {"urgent"}
    assert plan.dropped["souple"].startswith("Journée complète")
    assert check(problem, plan) == []


@pytest.mark.parametrize("seed", [1, 2])
def test_generated_field_service_day_passes_the_checker(seed):
    problem = field_service(8, 60, seed=seed)
    plan = solve(problem, seconds=1, seed=seed)
    assert check(problem, plan) == []
    assert len(plan.planned_keys()) >= 30
    assert all(plan.dropped[k] for k in plan.dropped)
    for route in plan.routes:
        tech = problem.technician(route.technician)
        assert tech.break_earliest <= route.break_start <= tech.break_latest


def test_ortools_engine_behind_the_same_interface():
    problem = field_service(4, 25, seed=3)
    plan = solve(problem, seconds=1, engine="ortools")
    assert check(problem, plan) == []
    assert plan.planned_keys()


def test_checker_catches_broken_rules():
    problem = tiny()
    bad = Plan(
        routes=[
            Route("B", 8 * H, 10 * H, [Stop("v1", 8 * H, 9 * H)]),  # B lacks the skill, too early for travel
        ],
        dropped={"v2": "x"},
    )
    errors = check(problem, bad)
    assert "B n'a pas famille:froid, fluides pour la visite v1." in errors
    assert "B ne peut pas être chez v1 à l'heure dite (trajet)." in errors
    assert "La visite v3 est laissée de côté sans raison." in errors


TINY = """NAME : LINE5
TYPE : CVRPTW
DIMENSION : 5
VEHICLES : 1
CAPACITY : 100
SERVICE_TIME : 10
NODE_COORD_SECTION
1 0 0
2 10 0
3 20 0
4 30 0
5 40 0
DEMAND_SECTION
1 0
2 10
3 10
4 10
5 10
TIME_WINDOW_SECTION
1 0 1000
2 0 1000
3 0 1000
4 0 1000
5 0 1000
DEPOT_SECTION
1
-1
EOF
"""


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_the_dispatch_benchmark_prints_distance_gap_and_the_peers_mean(tmp_path, jobs):
    """Four customers on a line: both engines go out to the last one and back (80.0, the best known)."""
    from io import StringIO

    from django.core.management import call_command

    for name in ("LINE5", "LINE6"):
        (tmp_path / f"{name}.vrptw").write_text(TINY.replace("LINE5", name))
    (tmp_path / "best-known.csv").write_text("instance,vehicles,distance\nLINE5,1,80.0\nLINE6,1,80.0\n")
    out = StringIO()
    call_command(
        "bench", "dispatch", "--solomon", str(tmp_path), "--seconds", "0.2", "--jobs", jobs, stdout=out
    )
    lines = out.getvalue().splitlines()
    assert lines[1].split() == ["LINE5", "80.0", "1", "0.00%", "80.0", "0.00%"]
    assert lines[2].split() == ["LINE6", "80.0", "1", "0.00%", "80.0", "0.00%"]
    assert lines[-2] == (
        "OR-Tools (guided local search, visites abandonnables) : mean gap 0.00% over 2 instances (0 incomplete)"
    )
    assert lines[-1] == "mean gap 0.00% over 2 instances"
