"""The catalogue: list and search, a new reference, a part's page and what is done from it (second-person
validation, a supplier, an anomaly reported or resolved), all through core.actions."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from atelier.core.access import step_required
from atelier.core.actions import Action, run_action
from atelier.core.listing import Column, SortableList
from atelier.core.models import Site
from atelier.core.scoping import visible_or_404
from atelier.stock import forms, selectors, services
from atelier.stock.choices import PartStatus
from atelier.stock.models import Part, PartAnomaly
from atelier.stock.views.common import PAGE_SIZE, page_site, render_page

PART_COLUMNS = SortableList(
    Column("internal_code", gettext_lazy("Code interne"), "internal_code"),
    Column("reference", gettext_lazy("Référence"), "reference"),
    Column("designation", gettext_lazy("Désignation"), "designation"),
    Column("condition", gettext_lazy("État"), "condition"),
    Column("brand", gettext_lazy("Marque"), "brand"),
    Column("purchase_price", gettext_lazy("Prix achat HT"), "purchase_price_ht"),
    Column("price", gettext_lazy("Prix vente HT"), "price_ht"),
    Column("status", gettext_lazy("Statut"), "status"),
    default="reference",
)


@step_required("stock.view")
def part_list(request):
    form = forms.PartSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    query, status = filters.get("q", ""), filters.get("status", "")
    parts = selectors.part_list(
        active_only=not status,
        query=query,
        status=status,
        kind=filters.get("kind", ""),
        condition=filters.get("condition", ""),
    )
    sorting = PART_COLUMNS.sorting(request)
    page = Paginator(sorting.apply(parts), PAGE_SIZE).get_page(request.GET.get("page"))
    return render_page(
        request,
        "stock/part_list.html",
        {
            "form": form,
            "page_obj": page,
            "headers": sorting.headers,
            "sort": "" if sorting.is_default else sorting.value,
            "q": query,
            "status": status,
            "statuses": PartStatus,
            "tab": "parts",
            "anomalies": selectors.anomaly_list(request.user)[:20],
        },
    )


PART_CREATED = gettext_lazy("Référence %(r)s créée (code %(c)s) : à faire valider par une deuxième personne.")

# A new reference: no part yet (target None); the form gives the service its keyword arguments.
CREATE_ACTIONS = {
    "create": Action(
        form=forms.PartForm,
        service=services.part_create,
        target=None,
        form_kwargs=lambda request, obj: {"user": request.user, "initial": {"vat_kind": "normal"}},
        success=lambda part: PART_CREATED % {"r": part.reference, "c": part.internal_code},
        next=lambda request, obj, part: reverse("stock:part", kwargs={"pk": part.pk}),
        plain_ids=True,
    ),
}


def _create_page(request, obj=None, *, failed=None, failed_form=None, status=200):
    form = failed_form or forms.PartForm(user=request.user, initial={"vat_kind": "normal"})
    context = {
        "form": form,
        "title": _("Nouvelle référence"),
        "submit": _("Créer la référence"),
        "tab": "parts",
    }
    return render_page(request, "stock/form.html", context, status=status)


@step_required("stock.manage")
def part_create(request):
    if request.method == "POST":
        return run_action(request, None, "create", CREATE_ACTIONS, show_again=_create_page, done=None)
    return _create_page(request)


def _part_page(request, part, *, failed=None, failed_form=None, status=200):
    forms_shown = {
        "anomaly_form": forms.AnomalyForm(user=request.user, initial={"site": page_site(request)}),
        "supplier_form": forms.SupplierLinkForm(),
    }
    if failed in ("anomaly", "supplier"):
        forms_shown[f"{failed}_form"] = failed_form
    balances = selectors.balance_list(request.user).filter(part=part)
    levels = [(site, selectors.stock_level(part, site)) for site in Site.objects.visible_to(request.user)]
    return render_page(
        request,
        "stock/part_detail.html",
        {
            "part": part,
            "balances": balances,
            "levels": levels,
            "moves": selectors.move_list(request.user, part=part)[:30],
            "anomalies": selectors.anomaly_list(request.user, open_only=False).filter(part=part),
            "statuses": PartStatus,
            "failed": failed,
            "failed_form": failed_form,
            "tab": "parts",
            **forms_shown,
        },
        status=status,
    )


@step_required("stock.view")
def part_detail(request, pk):
    part = get_object_or_404(
        Part.objects.select_related("equivalent_of", "created_by", "validated_by"), pk=pk
    )
    return _part_page(request, part)


def _validated(part) -> str:
    return _("Référence validée.") if part.status == PartStatus.VALIDEE else _("Référence refusée.")


PART_ACTIONS = {
    "validate": Action(
        form=forms.PartDecisionForm,
        service=services.part_validate,
        target="part",
        success=_validated,
        data=lambda request, part, form: {"accept": form.cleaned_data["decision"] != "refuse"},
    ),
    "supplier": Action(
        form=forms.SupplierLinkForm,
        service=services.part_supplier_set,
        target="part",
        success=gettext_lazy("Fournisseur enregistré."),
    ),
    "anomaly": Action(
        form=forms.AnomalyForm,
        service=services.anomaly_report,
        target="part",
        success=gettext_lazy("Anomalie signalée au magasinier."),
        form_kwargs=lambda request, part: {"user": request.user},
    ),
}


def _part_action(request, pk, name):
    part = get_object_or_404(Part, pk=pk)
    return run_action(
        request,
        part,
        name,
        PART_ACTIONS,
        show_again=_part_page,
        done=lambda part: redirect("stock:part", pk=part.pk),
    )


@require_POST
@step_required("stock.manage")
def part_validate(request, pk):
    return _part_action(request, pk, "validate")


@require_POST
@step_required("stock.manage")
def part_supplier(request, pk):
    return _part_action(request, pk, "supplier")


@require_POST
@step_required("stock.view")
def part_anomaly(request, pk):
    return _part_action(request, pk, "anomaly")


ANOMALY_ACTIONS = {
    "resolve": Action(
        form=forms.AnomalyResolveForm,
        service=services.anomaly_resolve,
        target="anomaly",
        success=gettext_lazy("Anomalie traitée."),
    )
}


@require_POST
@step_required("stock.manage")
def anomaly_resolve(request, pk):
    anomaly = visible_or_404(PartAnomaly.objects.select_related("part"), request.user, pk=pk)
    return run_action(
        request,
        anomaly,
        "resolve",
        ANOMALY_ACTIONS,
        show_again=lambda request, anomaly, **kwargs: _part_page(request, anomaly.part, **kwargs),
        done=lambda anomaly: redirect("stock:part", pk=anomaly.part_id),
    )
