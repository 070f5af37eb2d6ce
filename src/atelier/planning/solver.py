"""One interface to the solvers: `solve(problem, seconds=…, seed=…, engine=…) -> Plan`.

Choices, rule by rule (see docs/planning.md):
- PyVRP (primary) routes and assigns: time windows, working hours, the Solomon load, and the skills, tools,
  zones and pins as extra load dimensions (a technician lacking a capability has capacity 0 in its dimension);
  several customer windows = one copy of the visit per window in a mutually exclusive client group; leaving a
  visit out costs a prize that grows tenfold with its priority, so the least urgent go first.
- The lunch break (PyVRP has none): the shift given to PyVRP is shortened by the break, then our own
  scheduler places the break in the route (where the technician waits anyway when possible); a route where it
  cannot fit loses its least urgent visit, which is then reported as left out.
- OR-Tools routing (guided local search, droppable visits) is the peer of the benchmark: `engine="ortools"`.
Whatever the engine, the app and the tests verify the answer with planning/checker.py, not with this code.
"""

import time

import numpy as np
import pyvrp
from pyvrp.stop import MaxRuntime

from atelier.planning.problem import Plan, Priority, Problem, Route, Stop, Technician, Visit

# A visit's prize must outweigh what it costs to do (a day's route costs tens of thousands: metres + seconds)
# and each priority must outweigh the one below; bigger prizes blunt PyVRP's penalties on the skill dimensions.
PRIZE = {Priority.FLEXIBLE: 100_000, Priority.NORMAL: 1_000_000, Priority.URGENT: 10_000_000}
SKILL_UNIT = 1000
PENALTIES = pyvrp.PenaltyParams(penalty_increase=2.0, max_penalty=10_000_000.0)
LABELS = {
    "niveau:2": "réparation de niveau 2",
    "hab:elec": "habilitation électrique",
    "gaz": "qualification gaz",
    "fluides": "attestation de capacité fluides frigorigènes",
}


def describe(capability: str) -> str:
    """A capability code in French: 'famille:froid' -> 'famille « froid »', 'outil:PAT' -> 'outil « PAT »'."""
    if capability in LABELS:
        return LABELS[capability]
    kind, _, value = capability.partition(":")
    names = {"famille": "famille", "marque": "marque", "outil": "outil", "zone": "zone", "pin": "épinglé à"}
    return f"{names.get(kind, kind)} « {value} »" if value else capability


def solve(problem: Problem, *, seconds: float, seed: int = 1, engine: str = "pyvrp") -> Plan:
    started = time.perf_counter()
    dropped = _impossible(problem)
    workable = [v for v in problem.visits if v.key not in dropped]
    if engine == "ortools":
        sequences = _solve_ortools(problem, workable, seconds, seed)
    else:
        sequences = _solve_pyvrp(problem, workable, seconds, seed)
    routes = []
    by_key = {v.key: v for v in workable}
    for tech in problem.technicians:
        keys = [k for k in sequences.get(tech.key, []) if _may_do(tech, by_key[k])]
        route, left_out = _schedule_or_shed(problem, tech, keys)
        for key in left_out:
            dropped[key] = "La pause du technicien ne trouve pas sa place : visite reportée."
        if route is not None:
            routes.append(route)
    planned = {s.visit for r in routes for s in r.stops}
    for visit in workable:
        if visit.key not in planned and visit.key not in dropped:
            dropped[visit.key] = _capacity_reason(visit)
    return Plan(routes=routes, dropped=dropped, solver=engine, seconds=time.perf_counter() - started)


def _may_do(tech: Technician, visit: Visit) -> bool:
    return visit.requires <= tech.capabilities and visit.pinned_to in (None, tech.key)


def _capacity_reason(visit: Visit) -> str:
    if visit.priority == Priority.URGENT:
        return "Pas de place ce jour, même pour une visite urgente : journée complète pour les techniciens."
    return (
        "Journée complète : visite moins urgente laissée de côté au profit d'autres plus urgentes ou proches."
    )


# ---------------------------------------------------------------- visits no one can do


def _eligible(problem: Problem, visit: Visit) -> list[Technician]:
    techs = [t for t in problem.technicians if visit.requires <= t.capabilities]
    if visit.pinned_to:
        techs = [t for t in techs if t.key == visit.pinned_to]
    return techs


def _impossible(problem: Problem) -> dict[str, str]:
    """Visits no technician can do, or whose windows cannot fit a working day: left out with the reason."""
    reasons: dict[str, str] = {}
    for visit in problem.visits:
        if not problem.technicians:
            reasons[visit.key] = "Aucun technicien ne travaille ce jour."
            continue
        techs = _eligible(problem, visit)
        if not techs and visit.pinned_to:
            chosen = next((t for t in problem.technicians if t.key == visit.pinned_to), None)
            if chosen is None:
                reasons[visit.key] = "Le technicien choisi ne travaille pas ce jour."
            else:
                reasons[visit.key] = "Le technicien choisi n'a pas : {}.".format(
                    ", ".join(describe(c) for c in sorted(visit.requires - chosen.capabilities))
                )
            continue
        if not techs:
            best = min(problem.technicians, key=lambda t: len(visit.requires - t.capabilities))
            reasons[visit.key] = "Aucun technicien disponible n'a : {}.".format(
                ", ".join(describe(c) for c in sorted(visit.requires - best.capabilities))
            )
            continue
        bad = [w for w in visit.windows if w[1] < w[0]]
        if not visit.windows or len(bad) == len(visit.windows):
            reasons[visit.key] = "Créneau du client impossible (fin avant le début)."
            continue
        if not any(_fits(problem, t, visit, w) for t in techs for w in visit.windows if w[1] >= w[0]):
            reasons[visit.key] = (
                "Créneau du client impossible : aucun technicien compétent ne peut y arriver et finir "
                "dans ses horaires."
            )
    return reasons


def _fits(problem: Problem, tech: Technician, visit: Visit, window: tuple[int, int]) -> bool:
    go = problem.durations[tech.start][visit.location]
    back = problem.durations[visit.location][tech.end]
    start = max(window[0], tech.shift_start + go)
    return start <= window[1] and start + visit.duration + back <= tech.shift_end


# ---------------------------------------------------------------- PyVRP


def build_pyvrp(problem: Problem, visits: list[Visit]):
    """The PyVRP model of the problem: (ProblemData, client index -> visit key, vehicle type -> tech keys)."""
    n_loc = len(problem.durations)
    locations = [pyvrp.Location(x=0, y=0) for _ in range(n_loc)]
    depot_locs = sorted({t.start for t in problem.technicians} | {t.end for t in problem.technicians})
    depot_index = {loc: i for i, loc in enumerate(depot_locs)}
    depots = [pyvrp.Depot(location=loc) for loc in depot_locs]

    # Extra load dimensions: only capabilities that some visit needs and some technician lacks constrain.
    needed = sorted(
        {c for v in visits for c in v.requires} | {f"pin:{v.pinned_to}" for v in visits if v.pinned_to}
    )
    caps = {t.key: t.capabilities | {f"pin:{t.key}"} for t in problem.technicians}
    dims = [c for c in needed if not all(c in caps[t.key] for t in problem.technicians)]
    with_load = any(t.capacity for t in problem.technicians)
    # A visit needing a capability weighs SKILL_UNIT in its dimension: one unit of excess load must cost more
    # than the largest prize, or leaving a technician's skills aside would pay (see PENALTIES).
    big = SKILL_UNIT * (len(visits) + 1)

    def needs(v: Visit) -> set[str]:
        return set(v.requires) | ({f"pin:{v.pinned_to}"} if v.pinned_to else set())

    # Identical technicians (Solomon's fleet) share one vehicle type.
    groups: dict[tuple, list[str]] = {}
    for t in problem.technicians:
        signature = (
            t.start,
            t.end,
            t.shift_start,
            t.shift_end,
            t.break_duration,
            t.capacity,
            tuple(big if c in caps[t.key] else 0 for c in dims),
        )
        groups.setdefault(signature, []).append(t.key)
    vehicle_types, type_keys = [], []
    duration_cost = 0 if problem.all_required else 1
    for (start, end, s0, s1, pause, capacity, dim_caps), keys in groups.items():
        vehicle_types.append(
            pyvrp.VehicleType(
                num_available=len(keys),
                capacity=([capacity] if with_load else []) + list(dim_caps),
                start_depot=depot_index[start],
                end_depot=depot_index[end],
                tw_early=s0,
                tw_late=s1,
                shift_duration=s1 - s0 - pause,
                unit_distance_cost=1,
                unit_duration_cost=duration_cost,
            )
        )
        type_keys.append(keys)

    clients, client_keys, client_groups = [], [], []
    for v in visits:
        delivery = ([v.demand] if with_load else []) + [SKILL_UNIT if c in needs(v) else 0 for c in dims]
        windows = [w for w in v.windows if w[1] >= w[0]]
        required = problem.all_required or bool(v.pinned_to)
        group = None
        if len(windows) > 1:
            group = len(client_groups)
            client_groups.append(
                pyvrp.ClientGroup(list(range(len(clients), len(clients) + len(windows))), required=required)
            )
        for early, late in windows:
            clients.append(
                pyvrp.Client(
                    location=v.location,
                    delivery=delivery,
                    service_duration=v.duration,
                    tw_early=early,
                    tw_late=late,
                    prize=0 if required and group is None else PRIZE.get(v.priority, PRIZE[Priority.NORMAL]),
                    required=required and group is None,
                    group=group,
                )
            )
            client_keys.append(v.key)
    distances = np.asarray(problem.distances, dtype=np.int64)
    durations = np.asarray(problem.durations, dtype=np.int64)
    data = pyvrp.ProblemData(
        locations=locations,
        clients=clients,
        depots=depots,
        vehicle_types=vehicle_types,
        distance_matrices=[distances],
        duration_matrices=[durations],
        groups=client_groups,
    )
    return data, client_keys, type_keys


def _solve_pyvrp(problem: Problem, visits: list[Visit], seconds: float, seed: int) -> dict[str, list[str]]:
    if not visits or not problem.technicians:
        return {}
    data, client_keys, type_keys = build_pyvrp(problem, visits)
    params = pyvrp.SolveParams(penalty=PENALTIES)
    result = pyvrp.solve(
        data, stop=MaxRuntime(seconds), seed=seed, display=False, collect_stats=False, params=params
    )
    sequences: dict[str, list[str]] = {}
    free = [list(keys) for keys in type_keys]
    for route in result.best.routes():
        # A route PyVRP left infeasible is not thrown away: solve() keeps only the visits its technician may
        # do and our scheduler sheds what does not fit in time.
        tech = free[route.vehicle_type()].pop(0)
        sequences[tech] = [client_keys[a.idx] for a in route.schedule() if a.is_client()]
    return sequences


def pyvrp_solomon(problem: Problem, *, seconds: float, seed: int = 1) -> tuple[int, int, bool]:
    """The benchmark's view of the same model: (total distance, vehicles used, feasible)."""
    data, _keys, _types = build_pyvrp(problem, problem.visits)
    result = pyvrp.solve(data, stop=MaxRuntime(seconds), seed=seed, display=False, collect_stats=False)
    best = result.best
    return best.distance(), best.num_routes(), best.is_feasible() and best.is_complete()


# ---------------------------------------------------------------- OR-Tools (the benchmark's peer)


def _solve_ortools(problem: Problem, visits: list[Visit], seconds: float, seed: int) -> dict[str, list[str]]:
    routes, _distance = ortools_routes(problem, visits, seconds)
    return routes


def ortools_routes(problem: Problem, visits: list[Visit], seconds: float) -> tuple[dict[str, list[str]], int]:
    """OR-Tools routing: skills by allowed vehicles, windows, shifts, load; visits droppable at a high price."""
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    techs = problem.technicians
    # Node 0..k-1: one node per technician start/end location; then one node per visit.
    node_loc = [t.start for t in techs] + [t.end for t in techs] + [v.location for v in visits]
    k = len(techs)
    manager = pywrapcp.RoutingIndexManager(len(node_loc), k, list(range(k)), list(range(k, 2 * k)))
    routing = pywrapcp.RoutingModel(manager)
    dist = problem.distances
    dur = problem.durations
    service = [0] * (2 * k) + [v.duration for v in visits]

    def distance_cb(i, j):
        return dist[node_loc[manager.IndexToNode(i)]][node_loc[manager.IndexToNode(j)]]

    def time_cb(i, j):
        a, b = manager.IndexToNode(i), manager.IndexToNode(j)
        return service[a] + dur[node_loc[a]][node_loc[b]]

    transit = routing.RegisterTransitCallback(distance_cb)
    routing.SetArcCostEvaluatorOfAllVehicles(transit)
    time_index = routing.RegisterTransitCallback(time_cb)
    horizon = max(t.shift_end for t in techs)
    routing.AddDimension(time_index, horizon, horizon, False, "time")
    time_dim = routing.GetDimensionOrDie("time")
    if any(t.capacity for t in techs):
        demand = [0] * (2 * k) + [v.demand for v in visits]
        load = routing.RegisterUnaryTransitCallback(lambda i: demand[manager.IndexToNode(i)])
        routing.AddDimensionWithVehicleCapacity(load, 0, [t.capacity for t in techs], True, "load")
    for vi, t in enumerate(techs):
        time_dim.CumulVar(routing.Start(vi)).SetRange(t.shift_start, t.shift_end)
        time_dim.CumulVar(routing.End(vi)).SetRange(t.shift_start, t.shift_end - t.break_duration)
    for n, v in enumerate(visits):
        index = manager.NodeToIndex(2 * k + n)
        windows = sorted(w for w in v.windows if w[1] >= w[0])
        cumul = time_dim.CumulVar(index)
        cumul.SetRange(windows[0][0], windows[-1][1])
        for (_a, b), (c, _d) in zip(windows, windows[1:], strict=False):
            if c > b + 1:
                cumul.RemoveInterval(b + 1, c - 1)
        allowed = [vi for vi, t in enumerate(techs) if v.requires <= t.capabilities]
        if v.pinned_to:
            allowed = [vi for vi in allowed if techs[vi].key == v.pinned_to]
        if len(allowed) < k:
            routing.VehicleVar(index).SetValues([-1, *allowed])
        routing.AddDisjunction([index], 10 * PRIZE.get(v.priority, PRIZE[Priority.NORMAL]))
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    params.time_limit.FromMilliseconds(int(seconds * 1000))
    solution = routing.SolveWithParameters(params)
    routes: dict[str, list[str]] = {}
    total = 0
    if solution is None:
        return routes, 0
    for vi, t in enumerate(techs):
        index = routing.Start(vi)
        keys = []
        while not routing.IsEnd(index):
            nxt = solution.Value(routing.NextVar(index))
            total += distance_cb(index, nxt)
            node = manager.IndexToNode(index)
            if node >= 2 * k:
                keys.append(visits[node - 2 * k].key)
            index = nxt
        if keys:
            routes[t.key] = keys
    return routes, total


# ---------------------------------------------------------------- our scheduler: times and the break


def schedule(problem: Problem, tech: Technician, keys: list[str]) -> Route | None:
    """Earliest times along the sequence, with the break where the day ends soonest; None when no placement
    keeps every window and the end of the shift."""
    if not keys:
        return None
    by_key = {v.key: v for v in problem.visits}
    places = range(len(keys) + 1) if tech.break_duration else [None]
    timed = [r for place in places if (r := _timed(problem, tech, [by_key[k] for k in keys], place))]
    # The placement that ends the day soonest: the break then fills time the technician would wait anyway.
    return min(timed, key=lambda r: (r.back, -(r.break_start or 0))) if timed else None


def _timed(problem: Problem, tech: Technician, visits: list[Visit], pause_before: int | None) -> Route | None:
    dur, dist = problem.durations, problem.distances
    # Leave as late as the first visit allows (no idle time at the first door), never before the shift.
    first = visits[0]
    go = dur[tech.start][first.location]
    opening = min((w[0] for w in first.windows if w[1] >= w[0]), default=tech.shift_start)
    t = max(tech.shift_start, opening - go) if pause_before != 0 else tech.shift_start
    leave = t
    here = tech.start
    stops, pause_at, distance, travel = [], None, 0, 0
    for i, visit in enumerate([*visits, None]):
        if i == pause_before:
            pause_at = max(t, tech.break_earliest)
            if pause_at > tech.break_latest:
                return None
            t = pause_at + tech.break_duration
        target = tech.end if visit is None else visit.location
        t += dur[here][target]
        distance += dist[here][target]
        travel += dur[here][target]
        here = target
        if visit is None:
            break
        start = None
        for early, late in sorted(visit.windows):
            if late >= early and t <= late:
                start = max(t, early)
                break
        if start is None:
            return None
        t = start + visit.duration
        stops.append(Stop(visit=visit.key, start=start, end=t))
    if t > tech.shift_end:
        return None
    return Route(
        technician=tech.key,
        leave=leave,
        back=t,
        stops=stops,
        break_start=pause_at,
        distance=distance,
        travel=travel,
    )


def _schedule_or_shed(problem: Problem, tech: Technician, keys: list[str]) -> tuple[Route | None, list[str]]:
    """Schedule the sequence; while it cannot be, leave out its least urgent (then longest) unpinned visit."""
    by_key = {v.key: v for v in problem.visits}
    keys = list(keys)
    shed: list[str] = []
    while keys:
        route = schedule(problem, tech, keys)
        if route is not None:
            return route, shed
        movable = [k for k in keys if not by_key[k].pinned_to] or keys
        worst = max(movable, key=lambda k: (Priority.ORDER.index(by_key[k].priority), by_key[k].duration))
        keys.remove(worst)
        shed.append(worst)
    return None, shed
