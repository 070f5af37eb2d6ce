"""Fieldwork reads, always filtered by the user's sites."""

import datetime

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from atelier.fieldwork.choices import Measure, ToolStatus
from atelier.fieldwork.models import (
    Commissioning,
    InstallationCheck,
    PpeCheck,
    RepairRecord,
    SafetyFamily,
    SafetyLimit,
    SafetyTest,
    Tool,
    ToolIncident,
    ToolKind,
)


def tools_for(user) -> QuerySet[Tool]:
    return Tool.objects.visible_to(user).select_related("kind", "site", "holder")


def incidents_for(user) -> QuerySet[ToolIncident]:
    return ToolIncident.objects.visible_to(user).select_related("tool__kind", "tool__holder", "reported_by")


def tools_within_reach(technician) -> QuerySet[Tool]:
    """Tools the technician holds, or left unassigned on one of his sites."""
    site_ids = list(technician.sites.values_list("pk", flat=True))
    return Tool.objects.filter(Q(holder=technician) | Q(holder__isnull=True, site__in=site_ids)).exclude(
        status=ToolStatus.REFORME
    )


def tool_blockers(technician, tool_kind_codes, on: datetime.date) -> list[str]:
    """French reasons why this technician cannot do a job needing these tool kinds on that date.

    Empty list: for every kind he holds, or finds unassigned on his site, a tool in service whose check is
    not overdue on that date. Used by the planning (who can take a visit) and by the start of a repair.
    """
    codes = list(dict.fromkeys(c for c in tool_kind_codes if c))
    if not codes:
        return []
    kinds = {k.code: k for k in ToolKind.objects.filter(code__in=codes)}
    tools_by_kind: dict[str, list[Tool]] = {}
    for tool in tools_within_reach(technician).filter(kind__code__in=codes).select_related("kind"):
        tools_by_kind.setdefault(tool.kind.code, []).append(tool)
    who = str(technician)
    reasons = []
    for code in codes:
        kind = kinds.get(code)
        if kind is None:
            reasons.append(_("Type d'outil inconnu : « %(code)s ».") % {"code": code})
            continue
        tools = tools_by_kind.get(code, [])
        if any(t.is_usable(on) for t in tools):
            continue
        if not tools:
            reasons.append(
                _("%(who)s n'a aucun outil « %(kind)s » et aucun n'est disponible sur son site.")
                % {"who": who, "kind": kind.name}
            )
            continue
        details = []
        for tool in tools:
            if tool.status == ToolStatus.QUARANTAINE:
                details.append(_("n° %(serial)s en quarantaine") % {"serial": tool.serial})
            elif tool.next_check_on is None:
                details.append(_("n° %(serial)s jamais contrôlé") % {"serial": tool.serial})
            else:
                details.append(
                    _("n° %(serial)s contrôle échu le %(date)s")
                    % {"serial": tool.serial, "date": tool.next_check_on.strftime("%d/%m/%Y")}
                )
        reasons.append(
            _("Aucun outil « %(kind)s » utilisable par %(who)s le %(date)s (%(details)s).")
            % {"kind": kind.name, "who": who, "date": on.strftime("%d/%m/%Y"), "details": ", ".join(details)}
        )
    return reasons


def required_kind_codes(case) -> list[str]:
    """Tool kinds the dossier's repair orders need."""
    from atelier.fieldwork.models import RequiredToolKind

    return list(
        RequiredToolKind.objects.filter(order__case=case)
        .order_by("kind__code")
        .values_list("kind__code", flat=True)
        .distinct()
    )


def ppe_check_today(technician, on: datetime.date, case=None) -> PpeCheck | None:
    """A complete PPE check of the technician for that day (for the day, or for this dossier)."""
    qs = PpeCheck.objects.filter(technician=technician, checked_on=on, is_complete=True)
    qs = qs.filter(Q(case__isnull=True) | Q(case=case)) if case is not None else qs.filter(case__isnull=True)
    return qs.first()


def latest_installation_check(case) -> InstallationCheck | None:
    return case.installation_checks.select_related("checked_by").first()


def latest_safety_test(case) -> SafetyTest | None:
    return case.safety_tests.select_related("tested_by", "instrument__kind").first()


def safety_family(case) -> SafetyFamily | None:
    return SafetyFamily.objects.filter(family=case.appliance.family).first()


def limits_in_force(appliance_class: str, on: datetime.date) -> dict[str, SafetyLimit]:
    """The newest limit of each measure for this class on that date."""
    limits: dict[str, SafetyLimit] = {}
    for row in SafetyLimit.objects.filter(appliance_class=appliance_class, valid_from__lte=on).order_by(
        "-valid_from"
    ):
        limits.setdefault(row.measure, row)
    order = list(Measure.values)  # the order the technician measures in
    return dict(sorted(limits.items(), key=lambda item: order.index(item[0])))


def repair_records(case) -> QuerySet[RepairRecord]:
    return case.repair_records.select_related("technician").prefetch_related("parts")


def latest_commissioning(case) -> Commissioning | None:
    return case.commissionings.select_related("done_by").first()
