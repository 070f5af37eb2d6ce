"""Fieldwork screens: the tool registry, the PPE check, and the on-site / bench screens of a dossier."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from atelier.core.choices import Role
from atelier.core.errors import AtelierError
from atelier.core.forms import call_service
from atelier.core.permissions import role_required
from atelier.fieldwork import forms, selectors, services
from atelier.fieldwork.choices import INSTALLATION_POINTS, PPE_ITEMS, ToolStatus
from atelier.fieldwork.models import SiteRules, ToolIncident
from atelier.quotes.models import RepairOrder
from atelier.repairs.selectors import case_get

TECH, RESP, MAG = Role.TECHNICIEN, Role.RESPONSABLE_SAV, Role.MAGASINIER
REGISTRY = (RESP, MAG)
WORKERS = (TECH, RESP)


# --- Tools ----------------------------------------------------------------------------------------------------


@role_required(TECH, RESP, MAG)
def tool_list(request):
    services.quarantine_overdue(site_ids=list(request.user.visible_site_ids))
    tools = selectors.tools_for(request.user).exclude(status=ToolStatus.REFORME)
    mine = request.GET.get("mine") == "1"
    if mine:
        tools = tools.filter(holder=request.user)
    today = timezone.localdate()
    rows = [{"tool": t, "overdue": t.is_overdue(today)} for t in tools]
    rows.sort(
        key=lambda r: (r["tool"].status != ToolStatus.QUARANTAINE, not r["overdue"], r["tool"].site.code)
    )
    can_manage = request.user.is_superuser or request.user.has_role(*REGISTRY)
    is_manager = request.user.is_superuser or request.user.has_role(RESP)
    rules = {r.site_id: r.enforced for r in SiteRules.objects.filter(site__in=request.user.visible_site_ids)}
    return render(
        request,
        "fieldwork/tool_list.html",
        {
            "nav": "tools",
            "rows": rows,
            "mine": mine,
            "can_manage": can_manage,
            "is_manager": is_manager,
            "incidents": list(selectors.incidents_for(request.user).filter(acknowledged_at__isnull=True)[:50])
            if is_manager
            else [],
            "sites": [{"site": s, "enforced": rules.get(s.pk, False)} for s in request.user.visible_sites()],
        },
    )


@role_required(*REGISTRY)
def tool_create(request):
    form = forms.ToolForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid() and (
            tool := call_service(form, services.tool_register, actor=request.user, **form.cleaned_data)
        ):
            messages.success(request, _("Outil %(tool)s enregistré.") % {"tool": tool})
            return redirect("fieldwork:tool_detail", pk=tool.pk)
        status = 400
    return render(request, "fieldwork/tool_form.html", {"nav": "tools", "form": form}, status=status)


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
            "can_manage": request.user.is_superuser or request.user.has_role(*REGISTRY),
            "is_manager": request.user.is_superuser or request.user.has_role(RESP),
        },
        status=status,
    )


@role_required(TECH, RESP, MAG)
def tool_detail(request, pk):
    return _tool_page(request, get_object_or_404(selectors.tools_for(request.user), pk=pk))


TOOL_ACTIONS = {
    # name: (form factory, service, kwargs from the form, success message)
    "check": (
        lambda data, user: forms.ToolCheckForm(data, auto_id="id_check_%s"),
        services.tool_check_record,
        _("Contrôle enregistré."),
    ),
    "malfunction": (
        lambda data, user: forms.MalfunctionForm(data, auto_id="id_malfunction_%s"),
        services.tool_report_malfunction,
        _("Dysfonctionnement signalé : l'outil est mis en quarantaine et le responsable prévenu."),
    ),
    "holder": (
        lambda data, user: forms.HolderForm(data, auto_id="id_holder_%s", user=user),
        services.tool_assign,
        _("Détenteur enregistré."),
    ),
}


@require_POST
@role_required(TECH, RESP, MAG)
def tool_action(request, pk, action):
    tool = get_object_or_404(selectors.tools_for(request.user), pk=pk)
    if action == "retire":
        try:
            services.tool_retire(actor=request.user, tool=tool)
            messages.success(request, _("Outil réformé."))
        except AtelierError as exc:
            messages.error(request, exc.message)
        return redirect("fieldwork:tool_detail", pk=tool.pk)
    if action not in TOOL_ACTIONS:
        return redirect("fieldwork:tool_detail", pk=tool.pk)
    make_form, service, success = TOOL_ACTIONS[action]
    form = make_form(request.POST, request.user)
    if form.is_valid() and call_service(form, service, actor=request.user, tool=tool, **form.cleaned_data):
        messages.success(request, success)
        return redirect("fieldwork:tool_detail", pk=tool.pk)
    tool.refresh_from_db()
    return _tool_page(request, tool, failed=action, failed_form=form, status=400)


@require_POST
@role_required(RESP)
def incident_acknowledge(request, pk):
    incident = get_object_or_404(
        ToolIncident.objects.filter(tool__site__in=request.user.visible_site_ids), pk=pk
    )
    services.incident_acknowledge(actor=request.user, incident=incident)
    messages.success(request, _("Incident marqué comme vu."))
    return redirect("fieldwork:tools")


@require_POST
@role_required(RESP)
def site_rules(request):
    form = forms.SiteRulesForm(request.POST, user=request.user)
    if form.is_valid() and call_service(
        form, services.site_rules_set, actor=request.user, **form.cleaned_data
    ):
        messages.success(request, _("Règles du site enregistrées."))
    for error in form.errors.values():
        messages.error(request, " ".join(error))
    return redirect("fieldwork:tools")


# --- PPE check ------------------------------------------------------------------------------------------------


@role_required(*WORKERS)
def ppe_check(request):
    case = None
    if case_pk := request.GET.get("dossier") or request.POST.get("dossier"):
        if not str(case_pk).isdigit():
            return redirect("fieldwork:ppe")
        case = case_get(user=request.user, pk=int(case_pk))
    sites = request.user.visible_sites()
    site = case.site if case else sites.first()
    form = forms.PpeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if site is None:
            form.add_error(None, _("Vous n'êtes rattaché à aucun site."))
        elif form.is_valid():
            check = call_service(
                form,
                services.ppe_check_record,
                actor=request.user,
                site=site,
                case=case,
                **form.service_kwargs(),
            )
            if check:
                if check.is_complete:
                    messages.success(
                        request, _("Contrôle EPI et outillage enregistré : vous pouvez commencer.")
                    )
                else:
                    messages.warning(
                        request,
                        _("Contrôle enregistré comme incomplet : la réparation ne pourra pas commencer."),
                    )
                return redirect("repairs:detail", pk=case.pk) if case else redirect("fieldwork:ppe")
        status = 400
    today = timezone.localdate()
    held = list(
        selectors.tools_for(request.user).filter(holder=request.user).exclude(status=ToolStatus.REFORME)
    )
    return render(
        request,
        "fieldwork/ppe_form.html",
        {
            "nav": "tools",
            "form": form,
            "case": case,
            "done": selectors.ppe_check_today(request.user, today, case),
            "held": [{"tool": t, "usable": t.is_usable(today)} for t in held],
            "items": PPE_ITEMS,
        },
        status=status,
    )


# --- Screens of a dossier -------------------------------------------------------------------------------------


def _case_form(request, case_pk, *, form_class, service, template, success, form_kwargs=None, extra=None):
    """One recording screen of a dossier: the form, the service, back to the dossier when it worked."""
    case = case_get(user=request.user, pk=case_pk)
    kwargs = form_kwargs(case) if form_kwargs else {}
    form = form_class(request.POST or None, **kwargs)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            values = form.service_kwargs() if hasattr(form, "service_kwargs") else form.cleaned_data
            if call_service(form, service, actor=request.user, case=case, **values):
                messages.success(request, success)
                return redirect("repairs:detail", pk=case.pk)
        status = 400
    context = {"nav": "repairs", "case": case, "form": form, **(extra(case) if extra else {})}
    return render(request, template, context, status=status)


@role_required(*WORKERS)
def installation_check(request, case_pk):
    return _case_form(
        request,
        case_pk,
        form_class=forms.InstallationForm,
        service=services.installation_check_record,
        template="fieldwork/installation_form.html",
        success=_("Conformité de l'installation enregistrée."),
        extra=lambda case: {
            "latest": selectors.latest_installation_check(case),
            "points": INSTALLATION_POINTS,
        },
    )


@role_required(*WORKERS)
def repair_record(request, case_pk):
    return _case_form(
        request,
        case_pk,
        form_class=forms.RepairRecordForm,
        service=services.repair_record_create,
        template="fieldwork/repair_form.html",
        success=_("Compte rendu de réparation enregistré."),
        extra=lambda case: {"records": selectors.repair_records(case), **_parts_at_hand(request.user, case)},
    )


def _parts_at_hand(user, case) -> dict:
    """What the technician can note as fitted: the dossier's reservations and the contents of their van."""
    from atelier.stock.choices import ReservationStatus
    from atelier.stock.models import Reservation
    from atelier.stock.selectors import balance_list, van_location

    van = van_location(user, case.site)
    return {
        "van": van,
        "van_contents": list(balance_list(user, location=van).filter(on_hand__gt=0)) if van else [],
        "reserved": list(
            Reservation.objects.filter(
                order_part__order__case=case, status=ReservationStatus.ACTIVE
            ).select_related("part", "location")
        ),
    }


@role_required(*WORKERS)
def safety_test(request, case_pk):
    def initial_class(case):
        family = selectors.safety_family(case)
        return {"site": case.site, "initial": {"appliance_class": family.default_class if family else "I"}}

    today = timezone.localdate()
    return _case_form(
        request,
        case_pk,
        form_class=forms.SafetyTestForm,
        service=services.safety_test_record,
        template="fieldwork/safety_form.html",
        success=_("Essais de sécurité électrique enregistrés."),
        form_kwargs=initial_class,
        extra=lambda case: {
            "latest": selectors.latest_safety_test(case),
            "limits": {c: selectors.limits_in_force(c, today) for c in ("I", "II")},
        },
    )


@role_required(*WORKERS)
def commissioning(request, case_pk):
    from atelier.fieldwork.checks import commission_refusals

    def extra(case):
        # What would still refuse the step, shown before the customer signs.
        return {"pending": commission_refusals(case, require_record=False)}

    return _case_form(
        request,
        case_pk,
        form_class=forms.CommissioningForm,
        service=services.commissioning_record,
        template="fieldwork/commissioning_form.html",
        success=_("Mise en service enregistrée : l'appareil est prêt."),
        extra=extra,
    )


@role_required(TECH, RESP, Role.ACCUEIL)
def required_tools(request, order_pk):
    order = get_object_or_404(
        RepairOrder.objects.select_related("case").filter(case__site__in=request.user.visible_site_ids),
        pk=order_pk,
    )
    initial = {"kinds": list(order.required_tool_kinds.values_list("kind", flat=True))}
    form = forms.RequiredToolsForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if (
            form.is_valid()
            and call_service(
                form,
                services.required_tools_set,
                actor=request.user,
                order=order,
                kinds=form.cleaned_data["kinds"],
            )
            is not None
        ):
            messages.success(request, _("Outillage requis enregistré."))
            return redirect("repairs:detail", pk=order.case_id)
        status = 400
    return render(
        request,
        "fieldwork/required_tools_form.html",
        {"nav": "repairs", "order": order, "case": order.case, "form": form},
        status=status,
    )
