"""Writes of the second life of appliances: the notice period and the letters of abandoned dossiers, lots,
intakes, moves of location, triage, reservation, sale, scrapping and inventory counts. One transaction each;
every check before the first write; an appliance is re-read under its row lock before it changes (a sale and
a reservation at the same instant cannot both succeed)."""

from atelier.refurbishment.services.common import WAITING_FOR_OWNER
from atelier.refurbishment.services.counts import appliance_count_record
from atelier.refurbishment.services.intake import (
    abandon_letter_record,
    appliance_intake,
    lot_create,
    notice_rule_set,
)
from atelier.refurbishment.services.moves import (
    appliance_relocate,
    appliance_reservation_cancel,
    appliance_reserve,
    appliance_scrap,
    appliance_sell,
    appliance_triage,
)
from atelier.refurbishment.services.procedures import (
    data_erasure_record,
    decree_conditions,
    grade_from_scale,
    procedure,
    refurbishment_finish,
    refurbishment_part_use,
    refurbishment_start,
    refurbishment_step_record,
)
from atelier.refurbishment.services.resale import appliance_resell

__all__ = [
    "WAITING_FOR_OWNER",
    "abandon_letter_record",
    "appliance_resell",
    "data_erasure_record",
    "decree_conditions",
    "grade_from_scale",
    "procedure",
    "procedures_of",
    "refurbishment_finish",
    "refurbishment_part_use",
    "refurbishment_start",
    "refurbishment_step_record",
    "appliance_count_record",
    "appliance_intake",
    "appliance_relocate",
    "appliance_reservation_cancel",
    "appliance_reserve",
    "appliance_scrap",
    "appliance_sell",
    "appliance_triage",
    "lot_create",
    "notice_rule_set",
]

procedures_of = procedure
