"""Levels and ledger: stock per location, the moves, a manual move, a transfer."""

from django.core.paginator import Paginator
from django.urls import reverse
from django.utils.translation import gettext_lazy

from atelier.core.access import step_required
from atelier.core.actions import Action, run_action
from atelier.core.paging import CappedPaginator
from atelier.stock import forms, selectors, services
from atelier.stock.views.common import PAGE_SIZE, render_page

MOVES_COUNT_CAP = 10_000


@step_required("stock.view")
def stock_index(request):
    form = forms.StockFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.balance_list(
        request.user, site=filters.get("site"), location=filters.get("location"), query=filters.get("q", "")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render_page(request, "stock/stock_index.html", {"form": form, "page_obj": page, "tab": "stock"})


@step_required("stock.view")
def move_list(request):
    form = forms.MoveFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    moves = selectors.move_list(
        request.user,
        site=filters.get("site"),
        location=filters.get("location"),
        kind=filters.get("kind", ""),
        part=filters.get("part"),
    )
    # a site's ledger grows for years: counted up to a cap, like the dossier list (« plus de 10 000 »)
    page = CappedPaginator(moves, PAGE_SIZE, cap=MOVES_COUNT_CAP).get_page(request.GET.get("page"))
    return render_page(request, "stock/move_list.html", {"form": form, "page_obj": page, "tab": "moves"})


MOVE_RECORDED = gettext_lazy("Mouvement enregistré : %(m)s.")
TRANSFER_RECORDED = gettext_lazy("Transfert enregistré.")
PAGES = {
    "move": (gettext_lazy("Enregistrer un mouvement"), gettext_lazy("Enregistrer")),
    "transfer": (gettext_lazy("Transférer des pièces"), gettext_lazy("Transférer")),
}


def _move_data(request, obj, form) -> dict:
    data = form.cleaned_data
    return {
        "part": data["part"],
        "location": data["location"],
        "kind": data["kind"],
        "quantity": data["quantity"],
        "reason": data["reason"],
        "case": data["case_number"],
    }


# A manual move and a transfer: pages with no object of their own (target None), one form each.
ACTIONS = {
    "move": Action(
        form=forms.MoveForm,
        service=services.move_record,
        target=None,
        form_kwargs=lambda request, obj: {"user": request.user, "initial": {"kind": request.GET.get("kind")}},
        data=_move_data,
        success=lambda move: MOVE_RECORDED % {"m": move},
        next=lambda request, obj, move: reverse("stock:moves"),
        plain_ids=True,
    ),
    "transfer": Action(
        form=forms.TransferForm,
        service=services.transfer,
        target=None,
        form_kwargs=lambda request, obj: {"user": request.user},
        success=TRANSFER_RECORDED,
        next=lambda request, obj, done: reverse("stock:moves"),
        plain_ids=True,
    ),
}


def _form_page(name):
    def show(request, obj=None, *, failed=None, failed_form=None, status=200):
        form = failed_form or ACTIONS[name].form(**ACTIONS[name].form_kwargs(request, None))
        title, submit = PAGES[name]
        context = {"form": form, "title": title, "submit": submit, "tab": "moves"}
        return render_page(request, "stock/form.html", context, status=status)

    return show


@step_required("stock.consume")
def move_create(request):
    if request.method == "POST":
        return run_action(request, None, "move", ACTIONS, show_again=_form_page("move"), done=None)
    return _form_page("move")(request)


@step_required("stock.consume")
def transfer_create(request):
    if request.method == "POST":
        return run_action(request, None, "transfer", ACTIONS, show_again=_form_page("transfer"), done=None)
    return _form_page("transfer")(request)
