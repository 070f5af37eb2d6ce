"""Fieldwork writes, one module per job: tools and their checks (`tools`), safety before and after work
(`safety`: site rules, PPE, installation conformity, electrical tests), the repair record (`repair`) and the
commissioning (`commissioning`). Keyword-only arguments, validation before writing, row locks
(core.locking) where two people can collide. Import from here: `from atelier.fieldwork import services`.
"""

from atelier.fieldwork.services.commissioning import commissioning_record
from atelier.fieldwork.services.common import WORK_STATES, require_usable_instrument
from atelier.fieldwork.services.repair import repair_record_create
from atelier.fieldwork.services.safety import (
    evaluate,
    installation_check_record,
    ppe_check_record,
    safety_test_record,
    site_rules_set,
)
from atelier.fieldwork.services.tools import (
    incident_acknowledge,
    quarantine_overdue,
    required_tools_set,
    tool_assign,
    tool_check_record,
    tool_maintenance_record,
    tool_register,
    tool_report_malfunction,
    tool_retire,
)

__all__ = [
    "WORK_STATES",
    "commissioning_record",
    "evaluate",
    "incident_acknowledge",
    "installation_check_record",
    "ppe_check_record",
    "quarantine_overdue",
    "repair_record_create",
    "required_tools_set",
    "safety_test_record",
    "site_rules_set",
    "tool_assign",
    "require_usable_instrument",
    "tool_check_record",
    "tool_maintenance_record",
    "tool_register",
    "tool_report_malfunction",
    "tool_retire",
]
