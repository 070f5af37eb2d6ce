"""The tool registry (C1.3): list, creation, a tool's page and its actions, incidents, the sites' rules."""

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from atelier.core.access import may, step_required
from atelier.core.actions import Action, run_action
from atelier.core.listing import SORT_PARAM, Column, SortableList
from atelier.core.models import Site
from atelier.core.params import as_id
from atelier.core.scoping import visible_or_404
from atelier.fieldwork import forms, selectors, services
from atelier.fieldwork.choices import ToolStatus
from atelier.fieldwork.models import SiteRules, Tool, ToolIncident

TOOL_COLUMNS = SortableList(
    Column("tool", gettext_lazy("Outil"), "kind__name,serial"),
    Column("label", gettext_lazy("Marque et modèle"), "label"),
    Column("site", gettext_lazy("Site"), "site__code"),
    Column("holder", gettext_lazy("Détenteur"), "holder__last_name"),
    Column("status", gettext_lazy("État"), "status"),
    Column("next_check", gettext_lazy("Prochain contrôle"), "next_check_on"),
    Column("next_maintenance", gettext_lazy("Prochain entretien"), "next_maintenance_on"),
    default="next_check",
)
TOOL_STATES = {
    "overdue": gettext_lazy("Contrôle échu ou en quarantaine"),
    "quarantine": gettext_lazy("En quarantaine"),
}


@step_required("fieldwork.tools")
def tool_list(request):
    """The register; by default what needs attention first (quarantine, check overdue), else the order of the
    column clicked. Filters: my tools, state, site."""
    services.quarantine_overdue(site_ids=list(request.user.visible_site_ids))
    tools = selectors.tools_for(request.user).exclude(status=ToolStatus.REFORME)
    mine = request.GET.get("mine") == "1"
    if mine:
        tools = tools.filter(holder=request.user)
    today = timezone.localdate()
    state = request.GET.get("state", "")
    if state == "quarantine":
        tools = tools.filter(status=ToolStatus.QUARANTAINE)
    elif state == "overdue":
        tools = tools.filter(
            Q(status=ToolStatus.QUARANTAINE)
            | Q(is_checked=True) & (Q(next_check_on__isnull=True) | Q(next_check_on__lt=today))
        )
    site = request.GET.get("site", "")
    if (site_id := as_id(site)) is not None:
        tools = tools.filter(site_id=site_id)
    sorting = TOOL_COLUMNS.sorting(request)
    rows = [
        {"tool": t, "overdue": t.is_overdue(today), "maintenance_overdue": t.maintenance_overdue(today)}
        for t in sorting.apply(tools)
    ]
    if SORT_PARAM not in request.GET:  # no column asked: what needs attention first
        rows.sort(
            key=lambda r: (r["tool"].status != ToolStatus.QUARANTAINE, not r["overdue"], r["tool"].site.code)
        )
    can_manage = may(request.user, "fieldwork.tool_registry")
    is_manager = may(request.user, "fieldwork.tool_manage")
    rules = {r.site_id: r.enforced for r in SiteRules.objects.visible_to(request.user)}
    return render(
        request,
        "fieldwork/tool_list.html",
        {
            "nav": "tools",
            "rows": rows,
            "mine": mine,
            "headers": sorting.headers,
            "sort": request.GET.get(SORT_PARAM, "") and sorting.value,
            "state": state,
            "states": TOOL_STATES,
            "site": site,
            "can_manage": can_manage,
            "is_manager": is_manager,
            "incidents": list(selectors.incidents_for(request.user).filter(acknowledged_at__isnull=True)[:50])
            if is_manager
            else [],
            # A site without its rules row enforces them (checks.rules_enforced): shown as such.
            "sites": [
                {"site": s, "enforced": rules.get(s.pk, True)} for s in Site.objects.visible_to(request.user)
            ],
            "ToolStatus": ToolStatus,
        },
    )


def _tool_form_page(request, _nothing=None, *, failed=None, failed_form=None, status=200):
    form = failed_form or forms.ToolForm(user=request.user)
    return render(request, "fieldwork/tool_form.html", {"nav": "tools", "form": form}, status=status)


CREATE = {
    "create": Action(
        form=forms.ToolForm,
        plain_ids=True,
        service=services.tool_register,
        target=None,
        form_kwargs=lambda request, _nothing: {"user": request.user},
        success=lambda tool: _("Outil %(tool)s enregistré.") % {"tool": tool},
        next=lambda request, _nothing, tool: reverse("fieldwork:tool_detail", args=[tool.pk]),
    )
}


@step_required("fieldwork.tool_registry")
def tool_create(request):
    if request.method != "POST":
        return _tool_form_page(request)
    return run_action(request, None, "create", CREATE, show_again=_tool_form_page, done=None)


def _tool_page(request, tool, *, failed=None, failed_form=None, status=200):
    def pick(name, factory):
        return failed_form if failed == name else factory()

    return render(
        request,
        "fieldwork/tool_detail.html",
        {
            "nav": "tools",
            "tool": tool,
            "today": timezone.localdate(),
            "checks": tool.checks.select_related("checked_by")[:30],
            "incidents": tool.incidents.select_related("reported_by", "acknowledged_by")[:30],
            "maintenances": tool.maintenances.select_related("done_by")[:30],
            "maintenance_form": pick(
                "maintenance", lambda: forms.MaintenanceForm(auto_id="id_maintenance_%s")
            ),
            "check_form": pick("check", lambda: forms.ToolCheckForm(auto_id="id_check_%s")),
            "malfunction_form": pick(
                "malfunction", lambda: forms.MalfunctionForm(auto_id="id_malfunction_%s")
            ),
            "holder_form": pick(
                "holder",
                lambda: forms.HolderForm(
                    auto_id="id_holder_%s", user=request.user, initial={"holder": tool.holder}
                ),
            ),
            "retire_form": pick("retire", lambda: forms.ConfirmForm(auto_id="id_retire_%s")),
            "can_manage": may(request.user, "fieldwork.tool_registry", tool.site_id),
            "is_manager": may(request.user, "fieldwork.tool_manage", tool.site_id),
            "ToolStatus": ToolStatus,
        },
        status=status,
    )


@step_required("fieldwork.tools")
def tool_detail(request, pk):
    return _tool_page(
        request, visible_or_404(Tool.objects.select_related("kind", "site", "holder"), request.user, pk=pk)
    )


TOOL_ACTIONS = {
    "check": Action(
        form=forms.ToolCheckForm,
        service=services.tool_check_record,
        target="tool",
        success=gettext_lazy("Contrôle enregistré."),
    ),
    "malfunction": Action(
        form=forms.MalfunctionForm,
        service=services.tool_report_malfunction,
        target="tool",
        success=gettext_lazy(
            "Dysfonctionnement signalé : l'outil est mis en quarantaine et le responsable prévenu."
        ),
    ),
    "maintenance": Action(
        form=forms.MaintenanceForm,
        service=services.tool_maintenance_record,
        target="tool",
        success=gettext_lazy("Entretien enregistré."),
    ),
    "holder": Action(
        form=forms.HolderForm,
        service=services.tool_assign,
        target="tool",
        form_kwargs=lambda request, tool: {"user": request.user},
        success=gettext_lazy("Détenteur enregistré."),
    ),
    "retire": Action(
        form=forms.ConfirmForm,
        service=services.tool_retire,
        target="tool",
        success=gettext_lazy("Outil réformé."),
    ),
}


@require_POST
@step_required("fieldwork.tools")
def tool_action(request, pk, action):
    tool = visible_or_404(Tool.objects.select_related("kind", "site", "holder"), request.user, pk=pk)
    return run_action(
        request,
        tool,
        action,
        TOOL_ACTIONS,
        show_again=_tool_page,
        done=lambda tool: reverse("fieldwork:tool_detail", args=[tool.pk]),
    )


@require_POST
@step_required("fieldwork.tool_manage")
def incident_acknowledge(request, pk):
    incident = visible_or_404(ToolIncident, request.user, pk=pk)
    services.incident_acknowledge(actor=request.user, incident=incident)
    messages.success(request, _("Incident marqué comme vu."))
    return redirect("fieldwork:tools")


def _rules_refused(request, _nothing=None, *, failed=None, failed_form=None, status=400):
    """The switch is a button on the registry page: its refusal is told on top of that page."""
    for errors in failed_form.errors.values():
        messages.error(request, " ".join(errors))
    return redirect("fieldwork:tools")


RULES = {
    "rules": Action(
        form=forms.SiteRulesForm,
        service=services.site_rules_set,
        target=None,
        form_kwargs=lambda request, _nothing: {"user": request.user},
        success=gettext_lazy("Règles du site enregistrées."),
    )
}


@require_POST
@step_required("fieldwork.tool_manage")
def site_rules(request):
    return run_action(
        request,
        None,
        "rules",
        RULES,
        show_again=_rules_refused,
        done=lambda _nothing: reverse("fieldwork:tools"),
    )
