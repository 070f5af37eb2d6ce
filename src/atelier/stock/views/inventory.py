"""Inventory counts: open one, count its lines (or a part found off the list), validate it."""

from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from atelier.core.access import step_required
from atelier.core.actions import Action, run_action
from atelier.core.scoping import visible_or_404
from atelier.core.wording import plural_count
from atelier.stock import forms, selectors, services
from atelier.stock.choices import InventoryStatus
from atelier.stock.models import InventoryCount
from atelier.stock.views.common import PAGE_SIZE, render_page

INVENTORY_OPENED = gettext_lazy("Inventaire ouvert : saisissez les quantités comptées.")

# Opening a count: no count yet (target None); the site and location come from the form.
OPEN_ACTIONS = {
    "open": Action(
        form=forms.InventoryOpenForm,
        service=services.inventory_open,
        target=None,
        form_kwargs=lambda request, obj: {"user": request.user},
        success=INVENTORY_OPENED,
        next=lambda request, obj, count: reverse("stock:inventory", kwargs={"pk": count.pk}),
        plain_ids=True,
    ),
}


def _list_page(request, obj=None, *, failed=None, failed_form=None, status=200):
    form = failed_form or forms.InventoryOpenForm(user=request.user)
    page = Paginator(selectors.inventory_list(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render_page(
        request, "stock/inventory_list.html", {"page_obj": page, "form": form, "tab": "inventory"}, status
    )


@step_required("stock.inventory")
def inventory_list(request):
    if request.method == "POST":
        return run_action(request, None, "open", OPEN_ACTIONS, show_again=_list_page, done=None)
    return _list_page(request)


def _counted(result) -> str:
    if not result["validated"]:
        return _("Comptages enregistrés.")
    n = len(result["moves"])
    return ngettext(
        "Inventaire validé : %(n)s écart passé en mouvement.",
        "Inventaire validé : %(n)s écarts passés en mouvements.",
        plural_count(n),
    ) % {"n": n}


def _count_form(request, count):
    return {"count": count}


ACTIONS = {
    "add": Action(
        form=forms.InventoryAddForm,
        service=services.inventory_count_line,
        target="count",
        success=gettext_lazy("Ligne ajoutée."),
        form_kwargs=_count_form,
    ),
    "counts": Action(
        form=forms.InventoryCountsForm,
        service=services.inventory_record_counts,
        target="count",
        success=_counted,
        form_kwargs=_count_form,
    ),
}


def _page(request, count, *, failed=None, failed_form=None, status=200):
    return render_page(
        request,
        "stock/inventory_detail.html",
        {
            "count": count,
            "lines": count.lines.select_related("part", "location"),
            "add_form": failed_form if failed == "add" else forms.InventoryAddForm(count=count),
            "failed_form": failed_form,
            "editable": count.status == InventoryStatus.EN_COURS,
            "tab": "inventory",
        },
        status=status,
    )


@step_required("stock.inventory")
def inventory_detail(request, pk):
    count = visible_or_404(InventoryCount.objects.select_related("site", "location"), request.user, pk=pk)
    if request.method == "POST":
        name = "add" if request.POST.get("action") == "add" else "counts"
        return run_action(
            request,
            count,
            name,
            ACTIONS,
            show_again=_page,
            done=lambda count: redirect("stock:inventory", pk=count.pk),
        )
    return _page(request, count)
