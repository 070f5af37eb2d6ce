"""Levels and ledger: stock per location, the moves, a manual move, a transfer."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from atelier.core.forms import call_service
from atelier.core.permissions import role_required
from atelier.stock import forms, selectors, services
from atelier.stock.views.common import CONSUMERS, PAGE_SIZE, READERS, render_page


@role_required(*READERS)
def stock_index(request):
    form = forms.StockFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.balance_list(
        request.user, site=filters.get("site"), location=filters.get("location"), query=filters.get("q", "")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render_page(request, "stock/stock_index.html", {"form": form, "page_obj": page, "tab": "stock"})


@role_required(*READERS)
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
    page = Paginator(moves, PAGE_SIZE).get_page(request.GET.get("page"))
    return render_page(request, "stock/move_list.html", {"form": form, "page_obj": page, "tab": "moves"})


@role_required(*CONSUMERS)
def move_create(request):
    form = forms.MoveForm(request.POST or None, user=request.user, initial={"kind": request.GET.get("kind")})
    context = {
        "form": form,
        "title": _("Enregistrer un mouvement"),
        "submit": _("Enregistrer"),
        "tab": "moves",
    }
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            move = call_service(
                form,
                services.move_record,
                actor=request.user,
                part=data["part"],
                location=data["location"],
                kind=data["kind"],
                quantity=data["quantity"],
                reason=data["reason"],
                case=data["case_number"],
            )
            if move:
                messages.success(request, _("Mouvement enregistré : %(m)s.") % {"m": move})
                return redirect("stock:moves")
        return render_page(request, "stock/form.html", context, status=getattr(form, "refusal_status", 400))
    return render_page(request, "stock/form.html", context)


@role_required(*CONSUMERS)
def transfer_create(request):
    form = forms.TransferForm(request.POST or None, user=request.user)
    context = {"form": form, "title": _("Transférer des pièces"), "submit": _("Transférer"), "tab": "moves"}
    if request.method == "POST":
        if form.is_valid():
            done = call_service(form, services.transfer, actor=request.user, **form.cleaned_data)
            if done:
                messages.success(request, _("Transfert enregistré."))
                return redirect("stock:moves")
        return render_page(request, "stock/form.html", context, status=getattr(form, "refusal_status", 400))
    return render_page(request, "stock/form.html", context)
