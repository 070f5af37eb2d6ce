"""What fieldwork adds to the home page and the dossier page (registered in FieldworkConfig.ready)."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.core.choices import Role
from atelier.fieldwork import checks, selectors
from atelier.fieldwork.choices import INSTALLATION_POINTS, AnomalyAction, PointState, ToolStatus
from atelier.fieldwork.models import Tool
from atelier.quotes.models import RepairOrder
from atelier.repairs.choices import CaseStatus, WorkLocation

PANEL_SIZE = 10
STARTABLE = (CaseStatus.ACCEPTE, CaseStatus.PLANIFIE, CaseStatus.EN_ATELIER, CaseStatus.ATTENTE_PIECES)
SOON_DAYS = 14
SHOWN_FROM = (
    CaseStatus.ACCEPTE,
    CaseStatus.PLANIFIE,
    CaseStatus.EN_ATELIER,
    CaseStatus.ATTENTE_PIECES,
    CaseStatus.EN_REPARATION,
    CaseStatus.REPARE,
    CaseStatus.PRET,
    CaseStatus.RENDU,
    CaseStatus.CLOTURE,
)


def _tool_link(tool: Tool, today) -> dict:
    if tool.status == ToolStatus.QUARANTAINE:
        badge = _("en quarantaine")
    elif tool.is_overdue(today):
        badge = _("contrôle échu")
    else:
        badge = _("contrôle avant le %(d)s") % {"d": tool.next_check_on.strftime("%d/%m/%Y")}
    return {"url": reverse("fieldwork:tool_detail", args=[tool.pk]), "text": str(tool), "badge": badge}


def home_panels(user) -> list[dict]:
    panels = []
    today = timezone.localdate()
    soon = today + datetime.timedelta(days=SOON_DAYS)
    if user.has_role(Role.TECHNICIEN):
        held = list(
            Tool.objects.filter(holder=user)
            .exclude(status=ToolStatus.REFORME)
            .select_related("kind")
            .order_by("status", "next_check_on")
        )
        warn = [
            t
            for t in held
            if t.status == ToolStatus.QUARANTAINE
            or (t.is_checked and (t.next_check_on is None or t.next_check_on <= soon))
        ]
        to_start = selectors.interventions_to_start(user).count()
        links = [
            {
                "url": reverse("fieldwork:ppe"),
                "text": _("Contrôle EPI avant chaque intervention"),
                "badge": _("%(n)s à commencer") % {"n": to_start} if to_start else "",
            }
        ]
        links += [_tool_link(t, today) for t in warn[:PANEL_SIZE]]
        panels.append(
            {
                "key": "fieldwork_my_tools",
                "title": _("Mes outils et EPI"),
                "links": links,
                "count": len(warn),
                "empty": "",
            }
        )
    if user.is_superuser or user.has_role(Role.RESPONSABLE_SAV):
        incidents = list(selectors.incidents_for(user).filter(acknowledged_at__isnull=True)[:PANEL_SIZE])
        links = [
            {
                "url": reverse("fieldwork:tool_detail", args=[i.tool_id]),
                "text": f"{i.tool} · {i.tool.holder or _('en atelier')}",
                "badge": i.get_kind_display(),
            }
            for i in incidents
        ]
        links.append({"url": reverse("fieldwork:tools"), "text": _("Registre de l'outillage"), "badge": ""})
        panels.append(
            {
                "key": "fieldwork_incidents",
                "title": _("Outillage : incidents à voir"),
                "links": links,
                "count": selectors.incidents_for(user).filter(acknowledged_at__isnull=True).count(),
                "empty": _("Aucun incident d'outillage."),
            }
        )
    elif user.has_role(Role.MAGASINIER):
        panels.append(
            {
                "key": "fieldwork_registry",
                "title": _("Outillage"),
                "links": [
                    {"url": reverse("fieldwork:tools"), "text": _("Registre de l'outillage"), "badge": ""}
                ],
                "count": 0,
                "empty": "",
            }
        )
    return panels


def dossier_section(request, case):
    """Safety and on-site / bench work of the dossier: what is done, what is missing, links to the screens."""
    if case.status not in SHOWN_FROM:
        return None
    today = timezone.localdate()
    orders = []
    for order in RepairOrder.objects.filter(case=case).prefetch_related("required_tool_kinds__kind"):
        kinds = [r.kind for r in order.required_tool_kinds.all()]
        orders.append({"order": order, "kinds": kinds})
    codes = selectors.required_kind_codes(case)
    technician = case.technician
    installation = selectors.latest_installation_check(case)
    labels = dict(INSTALLATION_POINTS)
    user = request.user
    can_record = user.is_superuser or user.has_role(Role.TECHNICIEN, Role.RESPONSABLE_SAV)
    return {
        "template": "fieldwork/_dossier_section.html",
        "case": case,
        "enforced": checks.rules_enforced(case.site),
        "at_home": case.location == WorkLocation.DOMICILE,
        "orders": orders,
        "blockers": selectors.tool_blockers(technician, codes, today) if technician and codes else [],
        "ppe": selectors.ppe_check_for_intervention(case, today, technician),
        # once the intervention has started its check is behind it: not shown as still « à faire »
        "ppe_behind": case.status not in STARTABLE,
        "installation": installation,
        "installation_issues": [
            labels.get(c, c)
            for c, s in (installation.points.items() if installation else [])
            if s == PointState.NON_CONFORME
        ],
        "records": list(selectors.repair_records(case)),
        "safety_applies": selectors.safety_family(case) is not None,
        "safety": selectors.latest_safety_test(case),
        "commissioning": selectors.latest_commissioning(case),
        "corrected": bool(installation and installation.action == AnomalyAction.CORRECTED),
        "can_record": can_record,
        "can_commission": can_record and case.status == CaseStatus.REPARE,
        "stock_anchor": "#stock-parts",
    }
