"""Fieldwork reads, always filtered by the user's sites."""

import datetime

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from atelier.fieldwork.choices import Measure, SheetItemKind, ToolStatus
from atelier.fieldwork.models import (
    Commissioning,
    InstallationCheck,
    PpeCheck,
    RepairRecord,
    SafetyFamily,
    SafetyLimit,
    SafetySheetItem,
    SafetyTest,
    Tool,
    ToolIncident,
    ToolKind,
)


def tools_for(user) -> QuerySet[Tool]:
    return Tool.objects.visible_to(user).select_related("kind", "site", "holder")


def incidents_for(user) -> QuerySet[ToolIncident]:
    return ToolIncident.objects.visible_to(user).select_related("tool__kind", "tool__holder", "reported_by")


def instruments_of(site) -> QuerySet[Tool]:
    """The site's measuring instruments in service, offered for a measure (the service re-checks the date)."""
    return (
        Tool.objects.of_site(site)
        .filter(kind__is_instrument=True, status=ToolStatus.EN_SERVICE)
        .select_related("kind")
        .order_by("kind__name", "serial")
    )


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


def safety_sheet(family: str) -> list[SafetySheetItem]:
    """The family's safety sheet (its lines and those of every family): PPE first, then hygiene, environment."""
    order = list(SheetItemKind.values)
    items = SafetySheetItem.objects.filter(Q(family="") | Q(family=family), is_active=True)
    return sorted(items, key=lambda i: (order.index(i.kind), i.position, i.pk))


def last_start(case) -> datetime.datetime | None:
    """When the dossier's latest intervention started (its last move to « En réparation »), if any."""
    from atelier.repairs.choices import CaseStatus, EventKind

    return (
        case.events.filter(kind=EventKind.TRANSITION, to_status=CaseStatus.EN_REPARATION)
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )


def ppe_check_for_intervention(case, on: datetime.date, technician=None) -> PpeCheck | None:
    """The complete check made for the dossier's next intervention: that day, after its previous start (each
    intervention has its own), by the technician when one is given."""
    qs = PpeCheck.objects.filter(case=case, checked_on=on, is_complete=True).select_related("technician")
    if technician is not None:
        qs = qs.filter(technician=technician)
    if started := last_start(case):
        qs = qs.filter(recorded_at__gt=started)
    return qs.order_by("-recorded_at", "-pk").first()


def interventions_to_start(technician) -> QuerySet:
    """The technician's dossiers waiting for their intervention to start (home visit or bench job)."""
    from atelier.repairs.choices import CaseStatus
    from atelier.repairs.models import RepairCase

    return (
        RepairCase.objects.visible_to(technician)
        .filter(
            technician=technician,
            status__in=[CaseStatus.PLANIFIE, CaseStatus.EN_ATELIER, CaseStatus.ATTENTE_PIECES],
        )
        .select_related("appliance", "customer")
        .order_by("planned_for", "pk")
    )


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
