"""The indicators pages: the manager's (one site or all of theirs, filterable) and the network's (every site side by
side), each indicator with its definition and the previous period; charts with their tables and CSV exports."""

import csv

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from atelier.core.access import step_required
from atelier.indicators.forms import IndicatorFilters
from atelier.indicators.selectors import build_charts, indicator_lines

LIVE_CODES = ("etats", "occupation", "attente_accueil")  # read live, not flows of the period


def _page(request: HttpRequest, *, network: bool) -> HttpResponse:
    form = IndicatorFilters(request.GET if request.GET else None, user=request.user)
    context = {"nav": "indicators", "form": form, "network": network, "query": request.GET.urlencode()}
    if not form.is_valid():
        return render(request, "indicators/dashboard.html", context, status=400)
    d = form.cleaned_data
    scope = form.scope()
    previous = form.previous_period()
    cache: dict = {}
    lines = indicator_lines(scope, (d["date_from"], d["date_to"]), previous, live_cache=cache)
    context.update(
        lines=lines,
        charts=build_charts(scope, d["date_from"], d["date_to"], network=network, live_cache=cache),
        date_from=d["date_from"],
        date_to=d["date_to"],
        previous=previous,
        nothing=all(line.now.value is None for line in lines if line.indicator.code not in LIVE_CODES),
    )
    return render(request, "indicators/dashboard.html", context)


@step_required("indicators.view")
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    return _page(request, network=False)


@step_required("indicators.view")
@require_GET
def network(request: HttpRequest) -> HttpResponse:
    return _page(request, network=True)


@step_required("indicators.view")
@require_GET
def export_csv(request: HttpRequest) -> HttpResponse:
    """One chart's table as CSV (`?chart=<code>` and the page's filters; the first chart by default)."""
    params = request.GET.copy()
    code = params.pop("chart", [""])[-1]
    network = params.pop("reseau", [""])[-1] == "1"
    form = IndicatorFilters(params if params else None, user=request.user)
    if not form.is_valid():
        errors = "; ".join(str(e) for errs in form.errors.values() for e in errs)
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    d = form.cleaned_data
    charts = build_charts(form.scope(), d["date_from"], d["date_to"], network=network)
    chart = next((c for c in charts if c.code == code), None) if code else charts[0]
    if chart is None:
        raise Http404("Graphique inconnu.")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="indicateurs-{chart.code}-{d["date_from"]:%Y%m%d}-{d["date_to"]:%Y%m%d}.csv"'
    )
    response.write("\ufeff")  # Excel opens UTF-8 with accents only with the BOM
    writer = csv.writer(response, delimiter=";")
    writer.writerow(chart.headers)
    writer.writerows(chart.rows)
    return response
