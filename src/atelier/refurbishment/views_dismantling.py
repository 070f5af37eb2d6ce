"""Screens of the dismantling (issue 20 point 4) and of « Ce que la seconde vie rapporte » (point 6)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from atelier.core.access import may, sites_allowing, step_required
from atelier.core.actions import Action, run_action
from atelier.core.models import Site
from atelier.refurbishment import selectors
from atelier.refurbishment.choices import ApplianceState
from atelier.refurbishment.dismantling import RecoveredPart
from atelier.refurbishment.forms_dismantling import RecoverForm, StockEntryForm, ValueForm, WeeeForm
from atelier.refurbishment.services import dismantling, value
from atelier.stock.choices import MoveKind as PartMove
from atelier.stock.exports import to_csv
from atelier.stock.models import StockMove

NAV = "refurbishment"


def _appliance(request, appliance) -> dict:
    return {"appliance": appliance}


def _recover_data(request, appliance, form) -> dict:
    return dict(form.cleaned_data)


def _stock_data(request, appliance, form) -> dict:
    return {"recovered": form.cleaned_data["recovered"], "location": form.cleaned_data["location"]}


ACTIONS = {
    "recover": Action(
        RecoverForm,
        dismantling.part_recover,
        lambda r: (
            _("« %(s)s » récupéré : pièce %(c)s à valider par le magasin.")
            % {"s": r.label, "c": r.part.internal_code}
            if r.part_id
            else _("« %(s)s » noté non réutilisable : il part avec les restes.") % {"s": r.label}
        ),
        target="appliance",
        form_kwargs=_appliance,
        data=_recover_data,
    ),
    "stock": Action(
        StockEntryForm,
        dismantling.recovered_part_stock,
        lambda r: _("Pièce %(c)s validée et entrée en stock.") % {"c": r.part.internal_code},
        target=None,
        form_kwargs=_appliance,
        data=_stock_data,
    ),
    "weee": Action(
        WeeeForm,
        dismantling.weee_departure_record,
        _("Restes remis en DEEE : l'appareil est sorti du stock."),
        target="appliance",
    ),
}


def _page(request, appliance, *, failed=None, failed_form=None, status=200):
    user, site = request.user, appliance.site_id
    done = {
        r.sub_assembly_id: r
        for r in RecoveredPart.objects.filter(appliance=appliance).select_related(
            "part", "stock_move__location", "done_by"
        )
    }
    # the dossiers the recovered parts were fitted on (consumption on a dossier in the parts ledger)
    fitted: dict[int, list] = {}
    for move in StockMove.objects.filter(
        part_id__in=[r.part_id for r in done.values() if r.part_id],
        kind=PartMove.CONSOMMATION,
        case__isnull=False,
    ).select_related("case"):
        fitted.setdefault(move.part_id, []).append(move.case)
    failed_sub = failed_form.data.get("sub_assembly") if failed == "recover" else None
    failed_rec = failed_form.data.get("recovered") if failed == "stock" else None
    rows = []
    for sub in dismantling.sub_assemblies(appliance.family):
        row = done.get(sub.pk)
        form = None
        if row is None:
            form = (
                failed_form
                if failed_sub == str(sub.pk)
                else RecoverForm(auto_id=f"id_{sub.code}_%s", appliance=appliance, sub_assembly=sub)
            )
        entry = None
        if row is not None and row.part_id and row.stock_move_id is None:
            entry = (
                failed_form
                if failed_rec == str(row.pk)
                else StockEntryForm(
                    auto_id=f"id_stock_{sub.code}_%s", appliance=appliance, initial={"recovered": row.pk}
                )
            )
        cases = fitted.get(row.part_id, []) if row is not None and row.part_id else []
        rows.append({"sub": sub, "row": row, "form": form, "entry": entry, "cases": cases})
    in_dismantling = appliance.state == ApplianceState.A_DEMONTER
    return render(
        request,
        "refurbishment/dismantling.html",
        {
            "nav": NAV,
            "appliance": appliance,
            "rows": rows,
            "in_dismantling": in_dismantling,
            "can_stock": may(user, "stock.manage", site),
            "pending": sum(1 for r in rows if r["row"] is None),
            "weee": getattr(appliance, "weee_departure", None)
            if appliance.state == ApplianceState.DEMONTE
            else None,
            "weee_form": failed_form if failed == "weee" else WeeeForm(auto_id="id_weee_%s"),
            "failed": failed,
        },
        status=status,
    )


@step_required("refurbishment.dismantle")
def dismantle(request: HttpRequest, pk: int) -> HttpResponse:
    """The family's sub-assemblies one card each (test, recovered or not), the stock keeper's validation and
    entry in stock of each recovered part, then the remains' departure as WEEE."""
    appliance = selectors.appliance_get(user=request.user, pk=pk)
    if request.method == "POST":
        return run_action(
            request,
            appliance,
            request.POST.get("action", ""),
            ACTIONS,
            show_again=_page,
            done=lambda a: reverse("refurbishment:dismantle", args=[a.pk]),
        )
    return _page(request, appliance)


# ---------------------------------------------------------------- what it is worth


def _value_query(request):
    """The form of the page from the query string, with the defaults: the user's first site, this month."""
    sites = Site.objects.filter(pk__in=sites_allowing(request.user, "refurbishment.value")).order_by("code")
    today = timezone.localdate()
    params = request.GET
    if params.get("site") and params["site"] not in {str(s.pk) for s in sites}:
        raise Http404  # another site's figures: as if it did not exist
    data = {
        "site": params.get("site") or (str(sites[0].pk) if sites else ""),
        "start": params.get("start") or today.replace(day=1).isoformat(),
        "end": params.get("end") or today.isoformat(),
    }
    return ValueForm(data, sites=sites)


@step_required("refurbishment.value")
@require_GET
def value_page(request: HttpRequest) -> HttpResponse:
    form = _value_query(request)
    figures = []
    if form.is_valid():
        figures = value.site_value(
            site=form.cleaned_data["site"], start=form.cleaned_data["start"], end=form.cleaned_data["end"]
        )
    return render(
        request,
        "refurbishment/value.html",
        {"nav": NAV, "form": form, "figures": figures, "query": request.GET.urlencode()},
        status=200 if form.is_valid() else 400,
    )


@step_required("refurbishment.value")
@require_GET
def value_csv(request: HttpRequest) -> HttpResponse:
    form = _value_query(request)
    if not form.is_valid():
        return value_page(request)
    site, start, end = (form.cleaned_data[k] for k in ("site", "start", "end"))
    rows = value.csv_rows(
        site=site, start=start, end=end, figures=value.site_value(site=site, start=start, end=end)
    )
    response = HttpResponse(to_csv(rows), content_type="text/csv; charset=utf-8")
    name = f"seconde-vie-{site.code}-{start:%Y%m%d}-{end:%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
