"""A repair order's parts: reservations, consumption, the order of what is missing, the pick list.

The repair orders belong to the quotes app; they are read through `stock.repair_orders` (never imported)."""

from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from atelier.core.access import step_required
from atelier.core.actions import Action, run_action
from atelier.stock import forms, repair_orders, selectors, services
from atelier.stock.views.common import render_page


def _reserve(*, order, actor, line=None, quantity=""):
    """One line (with a quantity or what it still needs), or every line of the order."""
    if line is not None:
        services.reserve_for_order_part(order_part=line, actor=actor, quantity=quantity or None)
        return _("Pièce réservée.")
    services.reserve_for_order(order=order, actor=actor)
    return _("Pièces réservées.")


def _consume(*, order, actor, line, quantity=""):
    return services.consume_for_order_part(order_part=line, actor=actor, quantity=quantity or None)


def _cancel(*, order, actor, reservation):
    return services.reservation_cancel(reservation=reservation, actor=actor)


def _order_form(request, order):
    return {"order": order}


ACTIONS = {
    "reserver": Action(
        form=forms.OrderLineForm,
        service=_reserve,
        target="order",
        success=str,  # the message says whether one line or the whole order was reserved
        form_kwargs=_order_form,
    ),
    "consommer": Action(
        form=forms.ConsumeForm,
        service=_consume,
        target="order",
        success=_("Consommation enregistrée sur le dossier."),
        form_kwargs=_order_form,
    ),
    "annuler": Action(
        form=forms.ReservationCancelForm,
        service=_cancel,
        target="order",
        success=_("Réservation annulée."),
        form_kwargs=_order_form,
    ),
    "commander": Action(
        form=forms.SupplierChoiceForm,
        service=services.supplier_order_for_repair_order,
        target="order",
        success=_("Commande fournisseur passée."),
        next=lambda request, order, supplier_order: redirect("stock:order", pk=supplier_order.pk),
    ),
}


def _order_lines(order):
    lines = selectors.order_part_states(order)
    for state in lines:
        state["level"] = selectors.stock_level(state["line"].part, order.case.site)
    return lines


def _page(request, order, *, failed=None, failed_form=None, status=200):
    ready, reason = selectors.order_parts_ready(order)
    return render_page(
        request,
        "stock/repair_order.html",
        {
            "order": order,
            "case": order.case,
            "lines": _order_lines(order),
            "ready": ready,
            "reason": reason,
            "supplier_form": failed_form if failed == "commander" else forms.SupplierChoiceForm(),
            "failed_form": failed_form,
            "tab": "orders",
        },
        status=status,
    )


@step_required("stock.view")
def repair_order_stock(request, pk):
    return _page(request, repair_orders.visible_order_or_404(request.user, pk))


@require_POST
@step_required("stock.reserve")
def repair_order_action(request, pk, action):
    order = repair_orders.visible_order_or_404(request.user, pk)
    return run_action(
        request,
        order,
        action,
        ACTIONS,
        show_again=_page,
        done=lambda order: redirect("stock:repair_order", pk=order.pk),
    )


@step_required("stock.view")
def pick_list(request, pk):
    from atelier.knowledge.selectors import document_list

    order = repair_orders.visible_order_or_404(request.user, pk)
    appliance = order.case.appliance
    documents = document_list(family=appliance.family, brand=appliance.brand, model_ref=appliance.model_ref)[
        :20
    ]
    ready, reason = selectors.order_parts_ready(order)
    tools = [t.strip() for t in order.tools.replace(";", ",").split(",") if t.strip()]
    return render_page(
        request,
        "stock/pick_list.html",
        {
            "order": order,
            "case": order.case,
            "appliance": appliance,
            "lines": _order_lines(order),
            "tools": tools,
            "documents": documents,
            "ready": ready,
            "reason": reason,
            "van": selectors.van_location(order.technician, order.case.site),
        },
    )
