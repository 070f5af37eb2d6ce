"""Planning screens, one module per job: the day plan and its buttons (`day`), technicians and visits
(`people`), the technician's own day, sheet and calendar (`technician`)."""

from atelier.planning.views.day import day_view, optimise, optimise_week, pin, validate, validate_week
from atelier.planning.views.people import (
    day_off_add,
    technician_edit,
    technician_list,
    visit_edit,
    visit_list,
)
from atelier.planning.views.technician import day_sheet, ical_feed, my_day
from atelier.planning.views.workshop import dropoff_cancel, dropoffs, workshop

__all__ = [
    "day_off_add",
    "dropoff_cancel",
    "dropoffs",
    "day_sheet",
    "day_view",
    "ical_feed",
    "my_day",
    "optimise",
    "optimise_week",
    "pin",
    "technician_edit",
    "technician_list",
    "validate",
    "validate_week",
    "visit_edit",
    "visit_list",
    "workshop",
]
