"""The planning problem and its answer as plain data: no Django, no solver.

The app (planning/builder.py), the Solomon benchmark and the field-service generator all describe their problem
with these classes; the solver wrapper (planning/solver.py) turns one into a plan, and the independent checker
(planning/checker.py) verifies the plan against the same description. Times are seconds from midnight of the
planned day, distances metres; locations are indexes into the travel matrices.
"""

from dataclasses import dataclass, field


class Priority:
    URGENT = "urgent"
    NORMAL = "normal"
    FLEXIBLE = "flexible"

    ORDER = (URGENT, NORMAL, FLEXIBLE)  # most urgent first: the last ones are left out first


@dataclass(frozen=True)
class Technician:
    key: str
    start: int  # location index (home or depot)
    end: int
    shift_start: int
    shift_end: int
    capabilities: frozenset[str] = frozenset()
    break_earliest: int = 0
    break_latest: int = 0
    break_duration: int = 0  # 0: no break
    capacity: int = 0  # Solomon's vehicle capacity; 0: no load rule


@dataclass(frozen=True)
class Visit:
    key: str
    location: int
    duration: int
    windows: tuple[tuple[int, int], ...]  # the service starts inside one of them
    priority: str = Priority.NORMAL
    requires: frozenset[str] = frozenset()
    demand: int = 0
    pinned_to: str | None = None  # a technician's key: the visit must be his, and must be planned


@dataclass
class Problem:
    technicians: list[Technician]
    visits: list[Visit]
    distances: list[list[int]]  # metres (or Solomon units) between locations
    durations: list[list[int]]  # seconds (or Solomon units)
    all_required: bool = False  # Solomon: every visit must be planned; the app may leave some out

    def technician(self, key: str) -> Technician:
        return next(t for t in self.technicians if t.key == key)


@dataclass
class Stop:
    visit: str
    start: int  # service start (the technician is there)
    end: int


@dataclass
class Route:
    technician: str
    leave: int  # leaves the start location
    back: int  # reaches the end location
    stops: list[Stop] = field(default_factory=list)
    break_start: int | None = None
    distance: int = 0
    travel: int = 0


@dataclass
class Plan:
    routes: list[Route]
    dropped: dict[str, str]  # visit key -> French reason
    solver: str = ""
    seconds: float = 0.0

    @property
    def distance(self) -> int:
        return sum(r.distance for r in self.routes)

    @property
    def vehicles(self) -> int:
        return sum(1 for r in self.routes if r.stops)

    def planned_keys(self) -> set[str]:
        return {s.visit for r in self.routes for s in r.stops}
