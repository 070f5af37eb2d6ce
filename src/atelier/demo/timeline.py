"""When each step of a demo dossier happens: plausible delays between steps, laid back from "now".

A dossier is dated backwards: its last step a little before now (how long ago depends on the state: a
closed file may be weeks old, a dossier waiting for its quote a few days), each earlier step one realistic
delay before the next. Positions are working minutes (see clock), so everything falls in opening hours.
"""

import datetime

from atelier.demo.clock import DAY_MINUTES, WorkClock, is_working_day, next_working_days, visit_slots
from atelier.repairs.choices import CaseStatus as S
from atelier.repairs.choices import WorkLocation

# Working days since the dossier last moved, by state (low, high).
RECENCY = {
    S.RECU: (0, 3),
    S.PREDIAGNOSTIQUE: (0, 3),
    S.DEVIS_ENVOYE: (0.5, 6),
    S.ACCEPTE: (0, 3),
    S.REFUSE: (1, 15),
    S.PLANIFIE: (0, 3),
    S.EN_ATELIER: (0, 4),
    S.ATTENTE_PIECES: (0.5, 8),
    S.EN_REPARATION: (0, 2),
    S.REPARE: (0, 2),
    S.PRET: (0, 6),
    S.RENDU: (0, 8),
    S.CLOTURE: (0, 45),
    S.NON_REPARABLE: (0, 10),
    S.ANNULE: (0, 40),
}
VISIT_DELAY = (500, 2700)  # from planning a visit to the visit: one to five working days
PARTS_DELAY = (1600, 4800)  # from ordering a part to having it: three to nine working days
OLDEST = 72 * DAY_MINUTES  # no dossier opens more than about twelve weeks (~85 days, holidays aside) ago


def gap(name: str, previous: str | None, location: str, rng) -> int:
    """Working minutes between the step before and the step `name`."""
    at_home = location == WorkLocation.DOMICILE
    if previous == "plan_visit":  # whatever follows a planned visit happens at the visit
        low, high = VISIT_DELAY
    elif previous == "wait_for_parts":
        low, high = PARTS_DELAY
    else:
        low, high = {
            "prediagnose": (10, 240),
            "send_quote": (30, 600),
            "accept_quote": (60, 1600),
            "refuse_quote": (300, 2200),
            "plan_visit": (10, 300),
            "receive_in_workshop": (20, 600),
            "wait_for_parts": (30, 600),
            "start_repair": (30, 1500),
            "mark_repaired": (30, 120) if at_home else (60, 900),
            "commission": (5, 30) if at_home else (30, 1200),
            "hand_back": (5, 20) if at_home and previous == "commission" else (540, 2700),
            "close": (300, 2700),
            "declare_unrepairable": (60, 1200),
            "cancel": (300, 3000),
        }[name]
    return rng.randint(low, high)


def positions(
    path: list[str], location: str, target: str, clock: WorkClock, rng, today: bool = False
) -> list[int]:
    """Working-minute positions of the opening and of each step, increasing, the last one before now.

    `today` asks for a dossier whose last move happened today (when the shop has been open today).
    """
    previous_steps = [None, *path][: len(path)]
    gaps = [gap(name, previous, location, rng) for previous, name in zip(previous_steps, path, strict=True)]
    duration = sum(gaps)
    if duration > OLDEST - DAY_MINUTES:  # rare long story: tighten every delay alike
        gaps = [max(5, g * (OLDEST - DAY_MINUTES) // duration) for g in gaps]
        duration = sum(gaps)
    if today and clock.minutes_today() > 5:
        recency = rng.randint(2, clock.minutes_today() - 1)
    else:
        low, high = RECENCY[target]
        recency = rng.randint(int(low * DAY_MINUTES), int(high * DAY_MINUTES)) + rng.randint(2, 30)
    recency = min(recency, OLDEST - duration)
    end = clock.total - max(2, recency)
    points = [end - duration]
    for g in gaps:
        points.append(points[-1] + g)
    return points


def moments(points: list[int], clock: WorkClock, rng) -> list[datetime.datetime]:
    """Dates and times of the positions, with seconds so that two dossiers rarely share a minute."""
    return [clock.at(p) + datetime.timedelta(seconds=rng.randint(0, 58)) for p in points]


def planned_visit(planned_at: datetime.datetime, clock: WorkClock, rng) -> datetime.datetime:
    """Appointment of a visit still to come: today when slots remain, else tomorrow or in the coming days."""
    today = clock.now.date()
    choice = rng.random()
    if choice < 0.4:
        days = [today, *next_working_days(today, 1)] if is_working_day(today) else next_working_days(today, 1)
    elif choice < 0.75:
        days = next_working_days(today, 1)
    else:
        days = next_working_days(today, 6)[1:]
    for day in days:
        slots = [s for s in visit_slots(day, clock.tz) if s >= planned_at + datetime.timedelta(hours=1)]
        if slots:
            return rng.choice(slots)
    return visit_slots(next_working_days(today, 1)[0], clock.tz)[0]


def appointment_of(visit_at: datetime.datetime) -> datetime.datetime:
    """The half-hour slot a past visit was booked for: the visit's time, rounded down."""
    return visit_at.replace(minute=visit_at.minute - visit_at.minute % 30, second=0, microsecond=0)
