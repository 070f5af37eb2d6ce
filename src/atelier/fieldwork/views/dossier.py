"""Screens of a dossier's intervention: the PPE check before starting (C1.10), installation conformity
(C1.11), the repair record (C1.7–C1.9), electrical safety tests, commissioning (C1.12), the tools a repair
order needs. Each is one form → one service through core.actions."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from atelier.core.access import step_required
from atelier.core.actions import Action, run_action
from atelier.core.params import as_id
from atelier.fieldwork import forms, selectors, services
from atelier.fieldwork.choices import INSTALLATION_POINTS, AnomalyAction, ToolStatus
from atelier.quotes.models import RepairOrder
from atelier.repairs.selectors import case_get, case_visible

# --- PPE check ------------------------------------------------------------------------------------------------


def _ppe_form_kwargs(request, case) -> dict:
    return {"sheet": selectors.safety_sheet(case.appliance.family)}


def _ppe_page(request, case, *, failed=None, failed_form=None, status=200):
    """With a dossier: the check before its intervention; without: the technician's interventions to start."""
    from atelier.knowledge.selectors import safety_list

    today = timezone.localdate()
    context = {"nav": "tools", "case": case, "ToolStatus": ToolStatus}
    if case is None:
        context["interventions"] = [
            {"case": c, "done": selectors.ppe_check_for_intervention(c, today, request.user)}
            for c in selectors.interventions_to_start(request.user)[:50]
        ]
        return render(request, "fieldwork/ppe_form.html", context, status=status)
    held = list(
        selectors.tools_for(request.user).filter(holder=request.user).exclude(status=ToolStatus.REFORME)
    )
    context.update(
        form=failed_form or forms.PpeForm(**_ppe_form_kwargs(request, case)),
        done=selectors.ppe_check_for_intervention(case, today, request.user),
        held=[{"tool": t, "usable": t.is_usable(today)} for t in held],
        dangers=safety_list(family=case.appliance.family),
    )
    return render(request, "fieldwork/ppe_form.html", context, status=status)


def _ppe_done(request, case, check):
    """Back to the dossier; an incomplete check is recorded but said to block the intervention."""
    if not check.is_complete:
        messages.warning(
            request, _("Contrôle enregistré comme incomplet : l'intervention ne pourra pas commencer.")
        )
    return reverse("repairs:detail", args=[case.pk])


PPE = {
    "ppe": Action(
        form=forms.PpeForm,
        plain_ids=True,
        service=services.ppe_check_record,
        form_kwargs=_ppe_form_kwargs,
        success=lambda check: (
            _("Contrôle EPI et fiche sécurité enregistré : vous pouvez commencer.")
            if check.is_complete
            else None
        ),
        next=_ppe_done,
    )
}


@step_required("fieldwork.work")
def ppe_check(request):
    case = None
    if case_pk := request.GET.get("dossier") or request.POST.get("dossier"):
        if as_id(case_pk) is None:
            return redirect("fieldwork:ppe")
        case = case_get(user=request.user, pk=as_id(case_pk))
    if request.method != "POST":
        return _ppe_page(request, case)
    if case is None:
        messages.error(
            request, _("Le contrôle des EPI se fait avant une intervention : choisissez le dossier.")
        )
        return redirect("fieldwork:ppe")
    return run_action(request, case, "ppe", PPE, show_again=_ppe_page, done=None)


# --- Screens of a dossier -------------------------------------------------------------------------------------


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


def _safety_form_kwargs(request, case) -> dict:
    family = selectors.safety_family(case)
    return {"site": case.site, "initial": {"appliance_class": family.default_class if family else "I"}}


def _commission_pending(request, case) -> dict:
    from atelier.fieldwork.checks import commission_refusals

    # What would still refuse the step, shown before the customer signs.
    return {"pending": commission_refusals(case, require_record=False)}


CASE_ACTIONS = {
    "installation": Action(
        form=forms.InstallationForm,
        plain_ids=True,
        service=services.installation_check_record,
        success=gettext_lazy("Conformité de l'installation enregistrée."),
    ),
    "repair": Action(
        form=forms.RepairRecordForm,
        plain_ids=True,
        service=services.repair_record_create,
        success=gettext_lazy("Compte rendu de réparation enregistré."),
    ),
    "safety": Action(
        form=forms.SafetyTestForm,
        plain_ids=True,
        service=services.safety_test_record,
        form_kwargs=_safety_form_kwargs,
        success=gettext_lazy("Essais de sécurité électrique enregistrés."),
    ),
    "commissioning": Action(
        form=forms.CommissioningForm,
        plain_ids=True,
        service=services.commissioning_record,
        success=gettext_lazy("Mise en service enregistrée : l'appareil est prêt."),
    ),
}
# name: (template, callable(request, case) → what the page shows besides the form)
CASE_PAGES = {
    "installation": (
        "fieldwork/installation_form.html",
        lambda request, case: {
            "latest": selectors.latest_installation_check(case),
            "points": INSTALLATION_POINTS,
            "AnomalyAction": AnomalyAction,
        },
    ),
    "repair": (
        "fieldwork/repair_form.html",
        lambda request, case: {
            "records": selectors.repair_records(case),
            **_parts_at_hand(request.user, case),
        },
    ),
    "safety": (
        "fieldwork/safety_form.html",
        lambda request, case: {
            "latest": selectors.latest_safety_test(case),
            "limits": {c: selectors.limits_in_force(c, timezone.localdate()) for c in ("I", "II")},
        },
    ),
    "commissioning": ("fieldwork/commissioning_form.html", _commission_pending),
}


def _case_page(request, case, *, failed=None, failed_form=None, status=200, name=None):
    name = name or failed
    template, extra = CASE_PAGES[name]
    action = CASE_ACTIONS[name]
    if failed_form is None:
        kwargs = action.form_kwargs(request, case) if action.form_kwargs else {}
        failed_form = action.form(**kwargs)
    context = {"nav": "repairs", "case": case, "form": failed_form, **extra(request, case)}
    return render(request, template, context, status=status)


def _case_screen(request, case_pk, name):
    """One recording screen of a dossier: the form, the service, back to the dossier when it worked."""
    case = case_get(user=request.user, pk=case_pk)
    if request.method != "POST":
        return _case_page(request, case, name=name)
    return run_action(
        request,
        case,
        name,
        CASE_ACTIONS,
        show_again=_case_page,
        done=lambda case: reverse("repairs:detail", args=[case.pk]),
    )


@step_required("fieldwork.work")
def installation_check(request, case_pk):
    return _case_screen(request, case_pk, "installation")


@step_required("fieldwork.work")
def repair_record(request, case_pk):
    return _case_screen(request, case_pk, "repair")


@step_required("fieldwork.work")
def safety_test(request, case_pk):
    return _case_screen(request, case_pk, "safety")


@step_required("fieldwork.work")
def commissioning(request, case_pk):
    return _case_screen(request, case_pk, "commissioning")


# --- Tools a repair order needs -------------------------------------------------------------------------------


def _required_tools_page(request, order, *, failed=None, failed_form=None, status=200):
    initial = {"kinds": list(order.required_tool_kinds.values_list("kind", flat=True))}
    form = failed_form or forms.RequiredToolsForm(initial=initial)
    return render(
        request,
        "fieldwork/required_tools_form.html",
        {"nav": "repairs", "order": order, "case": order.case, "form": form},
        status=status,
    )


REQUIRED_TOOLS = {
    "required_tools": Action(
        form=forms.RequiredToolsForm,
        plain_ids=True,
        service=services.required_tools_set,
        target="order",
        success=gettext_lazy("Outillage requis enregistré."),
    )
}


@step_required("fieldwork.required_tools")
def required_tools(request, order_pk):
    # The repair order belongs to quotes (not site-scoped yet): it is visible when its dossier is.
    order = get_object_or_404(
        RepairOrder.objects.select_related("case").filter(case__in=case_visible(request.user)), pk=order_pk
    )
    if request.method != "POST":
        return _required_tools_page(request, order)
    return run_action(
        request,
        order,
        "required_tools",
        REQUIRED_TOOLS,
        show_again=_required_tools_page,
        done=lambda order: reverse("repairs:detail", args=[order.case_id]),
    )
