"""Writes of the planning, one module per job: technicians' profiles and days off (`profiles`), the visits to
plan (`visits`), optimising and pinning (`optimise`), validating and telling the customers (`validation`).
Import from here: `from atelier.planning import services`.
"""

from atelier.planning import builder, checker, solver
from atelier.planning.services.dropoffs import SlotFull, dropoff_book, dropoff_cancel, dropoff_capacity_set
from atelier.planning.services.optimise import (
    ARRIVAL_WINDOW,
    arrival_window,
    plan_optimise,
    plan_optimise_week,
    plan_pin,
)
from atelier.planning.services.profiles import day_off_add, ensure_technician, technician_profile_save
from atelier.planning.services.validation import (
    arrival_message,
    keep_draft_as_validated,
    plan_validate,
    plan_validate_week,
    tell_customers,
)
from atelier.planning.services.visits import (
    BASE_MINUTES,
    HISTORY_MIN,
    LONGEST_VISIT,
    ON_SITE_ENDS,
    TO_PLAN,
    estimate_minutes,
    record_actual_duration,
    visit_for_order,
    visit_update,
    visits_sync,
)

__all__ = [
    "SlotFull",
    "dropoff_book",
    "dropoff_cancel",
    "dropoff_capacity_set",
    "ARRIVAL_WINDOW",
    "BASE_MINUTES",
    "HISTORY_MIN",
    "LONGEST_VISIT",
    "ON_SITE_ENDS",
    "arrival_message",
    "arrival_window",
    "builder",
    "checker",
    "day_off_add",
    "ensure_technician",
    "estimate_minutes",
    "keep_draft_as_validated",
    "plan_optimise",
    "plan_optimise_week",
    "plan_pin",
    "plan_validate",
    "plan_validate_week",
    "record_actual_duration",
    "solver",
    "technician_profile_save",
    "tell_customers",
    "TO_PLAN",
    "visit_for_order",
    "visit_update",
    "visits_sync",
]
