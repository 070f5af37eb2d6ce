"""Fieldwork screens, one module per job: the tool registry (`tools`) and a dossier's intervention screens
(`dossier`: PPE, installation, repair record, safety tests, commissioning, required tools)."""

from atelier.fieldwork.views.dossier import (
    commissioning,
    installation_check,
    ppe_check,
    repair_record,
    required_tools,
    safety_test,
)
from atelier.fieldwork.views.tools import (
    incident_acknowledge,
    site_rules,
    tool_action,
    tool_create,
    tool_detail,
    tool_list,
)

__all__ = [
    "commissioning",
    "incident_acknowledge",
    "installation_check",
    "ppe_check",
    "repair_record",
    "required_tools",
    "safety_test",
    "site_rules",
    "tool_action",
    "tool_create",
    "tool_detail",
    "tool_list",
]
