"""The dispatch benchmark: Solomon VRPTW instances and generated field-service days, solved through the
app's own model builder and solver wrapper (planning/solver.py), verified by planning/checker.py."""

import csv
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from atelier.planning import solver
from atelier.planning.checker import check
from atelier.planning.generator import field_service
from atelier.planning.problem import Problem, Technician, Visit

FLEET = 25  # the Solomon fleet limit (the VEHICLES line of the files holds the best-known count)
SCALE = 10  # distances floor(10 × Euclidean), windows and service times × 10 (see the data's README)


def _read(path: Path) -> dict:
    """The VRPLIB-like text of the instances: `KEY : value` lines, then numbered sections."""
    inst: dict = {}
    section = None
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line == "EOF":
            continue
        if ":" in line and not line[0].isdigit():
            key, _, value = line.partition(":")
            inst[key.strip().lower()] = value.strip()
        elif line.endswith("_SECTION"):
            section = line.removesuffix("_SECTION").lower()
            inst[section] = []
        elif section is not None:
            inst[section].append([int(float(x)) for x in line.split()])
    coords = np.array([row[1:3] for row in inst["node_coord"]])
    return {
        "node_coord": coords,
        "demand": [row[1] for row in inst["demand"]],
        "time_window": [row[1:3] for row in inst["time_window"]],
        "service_time": float(inst["service_time"]),
        "depot": [inst["depot"][0][0] - 1],
        "capacity": int(inst["capacity"]),
    }


def read_solomon(path: Path) -> Problem:
    inst = _read(path)
    coords = np.asarray(inst["node_coord"], dtype=float)
    diff = coords[:, None, :] - coords[None, :, :]
    matrix = np.floor(SCALE * np.sqrt((diff**2).sum(axis=-1))).astype(np.int64).tolist()
    windows = np.asarray(inst["time_window"]) * SCALE
    service = inst["service_time"]
    service = np.full(len(coords), service) if np.isscalar(service) else np.asarray(service)
    depot = int(inst["depot"][0])
    fleet = [
        Technician(
            key=f"V{i + 1}",
            start=depot,
            end=depot,
            shift_start=int(windows[depot][0]),
            shift_end=int(windows[depot][1]),
            capacity=int(inst["capacity"]),
        )
        for i in range(FLEET)
    ]
    visits = [
        Visit(
            key=str(i),
            location=i,
            duration=int(service[i] * SCALE),
            windows=((int(windows[i][0]), int(windows[i][1])),),
            demand=int(inst["demand"][i]),
        )
        for i in range(len(coords))
        if i != depot
    ]
    return Problem(technicians=fleet, visits=visits, distances=matrix, durations=matrix, all_required=True)


def best_known(folder: Path) -> dict[str, float]:
    with open(folder / "best-known.csv", newline="") as f:
        return {row["instance"].strip(): float(row["distance"]) for row in csv.DictReader(f)}


def _instance(path: Path, seconds: float, seed: int, bks: float) -> dict:
    """One instance through both engines, one after the other on one core: the row of the table."""
    problem = read_solomon(path)
    distance, vehicles, feasible = solver.pyvrp_solomon(problem, seconds=seconds, seed=seed)
    routes, peer_distance = solver.ortools_routes(problem, problem.visits, seconds)
    complete = sum(len(r) for r in routes.values()) == len(problem.visits)
    return {
        "name": path.stem,
        "ours": distance / SCALE,
        "vehicles": vehicles,
        "feasible": feasible,
        "gap": 100 * (distance / SCALE - bks) / bks,
        "peer": peer_distance / SCALE if complete else None,
        "peer_gap": 100 * (peer_distance / SCALE - bks) / bks if complete else None,
    }


def solomon(
    folder: Path,
    seconds: float,
    *,
    only: list[str] | None = None,
    seed: int = 1,
    jobs: int = 1,
    out: Callable = print,
):
    """Each solver has one core: with jobs=2 two instances are solved at once, each on its own core."""
    bks = best_known(folder)
    files = sorted(folder.glob("*.vrptw"))
    if only:
        files = [f for f in files if f.stem in only]
    gaps, peer_gaps, peer_missing = [], [], 0
    by_class: dict[str, list[tuple[float, float | None]]] = {}
    out(f"{'instance':10} {'distance':>10} {'véhicules':>9} {'écart':>8}   {'OR-Tools':>10} {'écart':>8}")
    args = [(path, seconds, seed, bks[path.stem]) for path in files]
    if jobs > 1:
        from concurrent.futures import ProcessPoolExecutor

        pool = ProcessPoolExecutor(max_workers=jobs)
        rows = pool.map(_instance, *zip(*args, strict=True))
    else:
        pool, rows = None, (_instance(*a) for a in args)
    for row in rows:
        if row["peer_gap"] is not None:
            peer_gaps.append(row["peer_gap"])
        else:
            peer_missing += 1
        if row["feasible"]:
            gaps.append(row["gap"])
        klass = row["name"].rstrip("0123456789")
        by_class.setdefault(klass, []).append((row["gap"], row["peer_gap"]))
        peer = (
            f"{row['peer']:10.1f} {row['peer_gap']:7.2f}%"
            if row["peer"] is not None
            else f"{'incomplet':>10} {'—':>8}"
        )
        flag = "" if row["feasible"] else "  NON RÉALISABLE"
        out(f"{row['name']:10} {row['ours']:10.1f} {row['vehicles']:9d} {row['gap']:7.2f}%   {peer}{flag}")
    if pool is not None:
        pool.shutdown()
    for klass, rows in sorted(by_class.items()):
        mine = statistics.mean(g for g, _p in rows)
        peers = [p for _g, p in rows if p is not None]
        peer_text = f"{statistics.mean(peers):.2f}%" if peers else "—"
        out(
            f"classe {klass:4} écart moyen Atelier {mine:.2f}% · OR-Tools {peer_text} ({len(peers)}/{len(rows)})"
        )
    peer_mean = statistics.mean(peer_gaps) if peer_gaps else float("nan")
    out(
        f"OR-Tools (guided local search, visites abandonnables) : mean gap {peer_mean:.2f}% over "
        f"{len(peer_gaps)} instances ({peer_missing} incomplete)"
    )
    mean = statistics.mean(gaps) if gaps else float("nan")
    out(f"mean gap {mean:.2f}% over {len(gaps)} instances")
    return mean


def field(technicians: int, visits: int, seconds: float, *, seed: int = 1, out: Callable = print) -> dict:
    started = time.perf_counter()
    problem = field_service(technicians, visits, seed=seed)
    built = time.perf_counter() - started
    plan = solver.solve(problem, seconds=seconds, seed=seed)
    errors = check(problem, plan)
    total = time.perf_counter() - started
    urgent = [v.key for v in problem.visits if v.priority == "urgent"]
    figures = {
        "technicians": technicians,
        "visits": visits,
        "planned": len(plan.planned_keys()),
        "dropped": len(plan.dropped),
        "urgent_planned": sum(1 for k in urgent if k in plan.planned_keys()),
        "urgent": len(urgent),
        "km": round(plan.distance / 1000, 1),
        "used": plan.vehicles,
        "seconds": round(plan.seconds, 1),
        "total": round(total, 1),
        "build": round(built, 1),
        "errors": len(errors),
    }
    out(
        f"terrain {technicians} techniciens / {visits} visites : {figures['planned']} planifiées "
        f"({figures['urgent_planned']}/{figures['urgent']} urgentes), {figures['dropped']} laissées de côté, "
        f"{figures['km']} km, {figures['used']} techniciens en tournée ; planifié en {figures['seconds']} s "
        f"(génération de l'instance {figures['build']} s à part) ; contrôle indépendant : "
        + ("aucune règle enfreinte" if not errors else f"{len(errors)} ERREURS : {errors[:3]}")
    )
    return figures
