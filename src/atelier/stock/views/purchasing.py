"""Parts to order, supplier orders and their reception, through core.actions."""

from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from atelier.core.access import step_required
from atelier.core.actions import Action, run_action
from atelier.core.models import Site
from atelier.core.scoping import visible_or_404
from atelier.stock import forms, selectors, services
from atelier.stock.models import SupplierOrder
from atelier.stock.views.common import PAGE_SIZE, page_site, render_page


def _received(result) -> str:
    text = _("Réception enregistrée.")
    for case in result["served"]:
        text += " " + _("Dossier %(n)s : toutes ses pièces sont là, il peut reprendre.") % {"n": case.number}
    return text


ORDER_ACTIONS = {
    "order": Action(
        form=forms.ToOrderForm,
        service=services.supplier_order_create,
        target="site",
        success=gettext_lazy("Commande fournisseur passée."),
        next=lambda request, site, order: redirect("stock:order", pk=order.pk),
    ),
    "receive": Action(
        form=forms.ReceiveForm,
        service=services.supplier_order_receive,
        target="order",
        success=_received,
        form_kwargs=lambda request, order: {"order": order, "user": request.user},
    ),
}


def _to_order_page(request, site, *, failed=None, failed_form=None, status=200):
    page = Paginator(selectors.parts_to_order(site) if site else [], 100).get_page(request.GET.get("page"))
    return render_page(
        request,
        "stock/to_order.html",
        {
            "site": site,
            "sites": Site.objects.visible_to(request.user),
            "page_obj": page,
            "rows": page.object_list,
            "supplier_form": failed_form or forms.ToOrderForm(),
            "failed_form": failed_form,
            "waiting": selectors.waiting_order_parts(site)[:50] if site else [],
            "tab": "to_order",
        },
        status=status,
    )


@step_required("stock.view")
def to_order(request):
    site = page_site(request)
    if request.method == "POST" and site is not None:
        return run_action(
            request,
            site,
            "order",
            ORDER_ACTIONS,
            show_again=_to_order_page,
            done=lambda site: redirect("stock:to_order"),
        )
    return _to_order_page(request, site)


@step_required("stock.view")
def supplier_order_list(request):
    orders = selectors.supplier_order_list(request.user, status=request.GET.get("status", "")[:20])
    page = Paginator(orders, PAGE_SIZE).get_page(request.GET.get("page"))
    return render_page(request, "stock/order_list.html", {"page_obj": page, "tab": "orders"})


def _order_page(request, order, *, failed=None, failed_form=None, status=200):
    return render_page(
        request,
        "stock/order_detail.html",
        {
            "order": order,
            "lines": order.lines.select_related("part", "repair_order"),
            "locations": selectors.location_list(request.user, site=order.site),
            "failed_form": failed_form,
            "tab": "orders",
        },
        status=status,
    )


@step_required("stock.view")
def supplier_order_detail(request, pk):
    order = visible_or_404(
        SupplierOrder.objects.select_related("supplier", "site", "created_by"), request.user, pk=pk
    )
    if request.method == "POST":
        return run_action(
            request,
            order,
            "receive",
            ORDER_ACTIONS,
            show_again=_order_page,
            done=lambda order: redirect("stock:order", pk=order.pk),
        )
    return _order_page(request, order)
