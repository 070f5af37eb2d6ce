"""Field-service instances for tests and the benchmark: technicians with skills, tools, zones, homes and breaks;
visits with windows, priorities and needs, at real French postcodes (Paris and its inner ring, from the
postcode table the package ships)."""

import random

from atelier.core import geo
from atelier.planning.problem import Priority, Problem, Technician, Visit
from atelier.planning.travel import CrowFliesMatrix

DEPARTMENTS = ("75", "92", "93", "94")
FAMILIES = ("lave_linge", "lave_vaisselle", "seche_linge", "cuisson", "froid", "televiseur")
MINUTES = {
    "lave_linge": 60,
    "lave_vaisselle": 50,
    "seche_linge": 45,
    "cuisson": 50,
    "froid": 75,
    "televiseur": 40,
}
H = 3600


def _places(rng: random.Random) -> list[tuple[str, float, float]]:
    places = []
    for postcode in geo.all_postcodes():
        if postcode[:2] in DEPARTMENTS:
            for commune in geo.communes(postcode):
                if commune.latitude is not None:
                    places.append((postcode, commune.latitude, commune.longitude))
    return places


def field_service(technicians: int, visits: int, *, seed: int = 1) -> Problem:
    rng = random.Random(seed)
    places = _places(rng)
    points: list[tuple[float, float]] = []

    def spot() -> tuple[int, str]:
        postcode, lat, lon = rng.choice(places)
        # An address in the commune: within about a kilometre of its centre.
        points.append((lat + rng.uniform(-0.008, 0.008), lon + rng.uniform(-0.012, 0.012)))
        return len(points) - 1, postcode

    techs = []
    for i in range(technicians):
        home, _postcode = spot()
        families = rng.sample(FAMILIES, rng.randint(3, len(FAMILIES)))
        caps = {f"famille:{f}" for f in families} | {"outil:multimetre"}
        fluids = "froid" in families and rng.random() < 0.7
        for code, share in (("niveau:2", 0.5), ("hab:elec", 0.85), ("gaz", 0.35)):
            if rng.random() < share:
                caps.add(code)
        if fluids:
            caps |= {"fluides", "outil:pompe_a_vide"}
        if rng.random() < 0.7:
            caps.add("outil:megohmmetre")
        caps |= {f"zone:{d}" for d in rng.sample(DEPARTMENTS, rng.randint(2, 4))}
        early = rng.choice((7 * H + 1800, 8 * H, 8 * H + 1800))
        techs.append(
            Technician(
                key=f"T{i + 1:03d}",
                start=home,
                end=home,
                shift_start=early,
                shift_end=early + 9 * H,
                capabilities=frozenset(caps),
                break_earliest=11 * H + 2700,
                break_latest=13 * H + 2700,
                break_duration=45 * 60,
            )
        )

    jobs = []
    for j in range(visits):
        location, postcode = spot()
        family = rng.choice(FAMILIES)
        needs = {f"famille:{family}", "outil:multimetre", f"zone:{postcode[:2]}"}
        if rng.random() < 0.25:
            needs.add("niveau:2")
        if rng.random() < 0.5:
            needs.add("hab:elec")
        if family == "cuisson" and rng.random() < 0.3:
            needs.add("gaz")
        if family == "froid" and rng.random() < 0.5:
            needs |= {"fluides", "outil:pompe_a_vide"}
        if rng.random() < 0.2:
            needs.add("outil:megohmmetre")
        draw = rng.random()
        if draw < 0.35:
            windows = ((8 * H, 12 * H),)
        elif draw < 0.6:
            windows = ((13 * H + 1800, 17 * H),)
        elif draw < 0.8:
            windows = ((8 * H, 10 * H), (14 * H, 16 * H))
        else:
            windows = ((8 * H, 17 * H),)
        urgent = family == "froid" and rng.random() < 0.5
        priority = Priority.URGENT if urgent else rng.choice((Priority.NORMAL,) * 3 + (Priority.FLEXIBLE,))
        jobs.append(
            Visit(
                key=f"V{j + 1:04d}",
                location=location,
                duration=int(MINUTES[family] * rng.uniform(0.6, 1.1)) * 60,
                windows=windows,
                priority=priority,
                requires=frozenset(needs),
            )
        )
    distances, durations = CrowFliesMatrix().matrix(points)
    return Problem(technicians=techs, visits=jobs, distances=distances.tolist(), durations=durations.tolist())
