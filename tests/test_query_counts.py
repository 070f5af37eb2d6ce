"""Query-count ceilings on every page: the list and detail pages of every app, and the API's, answer in a
bounded number of SQL queries, and that number does not grow when the data set doubles (no N+1).

The pages come from the URL resolver: a route with no argument is a list (or a form) page, a route whose
arguments are primary keys is a detail page, filled with an object of the site from OBJECTS. A new route that
answers GET with 200 and has no ceiling below fails `test_every_page_has_a_ceiling`: give it one (measure,
then set a little above) or say in NOT_PAGES why it is not a page.

The data set is the small demo (tests/world.py), loaded once for the module; the visitor holds every role on
Paris. Ceilings were measured on SQLite; PostgreSQL runs the same queries.
"""

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.world import STORY_NOW, all_roles_user, grow_world, load_world, routes

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("world")]

# Route name → most SQL queries for one GET (measured on the demo data set, plus a small margin).
CEILINGS: dict[str, int] = {}

# Route name → model whose object (of Paris) fills the route's primary-key argument(s).
OBJECTS: dict[str, str] = {
    "customers:detail": "customers.Customer",
    "customers:update": "customers.Customer",
    "customers:appliance_create": "customers.Customer",
    "customers:appliance_update": "customers.Appliance",
    "repairs:detail": "repairs.RepairCase",
    "knowledge:symptom_detail": "knowledge.Symptom",
    "knowledge:symptom_update": "knowledge.Symptom",
    "knowledge:error_code_detail": "knowledge.ErrorCode",
    "knowledge:error_code_update": "knowledge.ErrorCode",
    "knowledge:cause_detail": "knowledge.Cause",
    "knowledge:cause_update": "knowledge.Cause",
    "knowledge:check_update": "knowledge.Check",
    "knowledge:safety_update": "knowledge.SafetyWarning",
    "quotes:solution_create": "repairs.RepairCase",
    "quotes:create": "quotes.Solution",
    "quotes:detail": "quotes.Quote",
    "quotes:order": "quotes.RepairOrder",
    "reception:ticket": "reception.Ticket",
    "diagnostics:questions": "repairs.RepairCase",
    "diagnostics:prediagnosis": "repairs.RepairCase",
    "diagnostics:diagnosis": "repairs.RepairCase",
    "stock:part": "stock.Part",
    "stock:order": "stock.SupplierOrder",
    "stock:repair_order": "quotes.RepairOrder",
    "stock:pick_list": "quotes.RepairOrder",
    "billing:case": "repairs.RepairCase",
    "billing:invoice": "billing.Invoice",
    "loans:lend": "repairs.RepairCase",
    "planning:technician": "core.User",
    "planning:visit": "planning.Visit",
    "fieldwork:tool_detail": "fieldwork.Tool",
    "fieldwork:installation": "repairs.RepairCase",
    "fieldwork:repair": "repairs.RepairCase",
    "fieldwork:safety": "repairs.RepairCase",
    "fieldwork:commissioning": "repairs.RepairCase",
    "fieldwork:required_tools": "quotes.RepairOrder",
    "customer-detail": "customers.Customer",
    "appliance-detail": "customers.Appliance",
    "case-detail": "repairs.RepairCase",
    "case-timeline": "repairs.RepairCase",
    "invoice-detail": "billing.Invoice",
    "payment-detail": "billing.Payment",
    "stock-part-detail": "stock.Part",
    "route-detail": "planning.PlanRoute",
}

# Routes that answer GET but are not pages to bound, and why.
NOT_PAGES: dict[str, str] = {
    "healthz": "probe for the load balancer: one query by design",
    "login": "anonymous form",
    "logout": "POST only",
    "password_change_done": "static page",
    "api-root": "DRF's index of the routes",
    "billing:advice_pdf": "PDF document",
    "billing:closure_pdf": "PDF document",
    "billing:invoice_pdf": "PDF document",
    "billing:invoice_facturx": "PDF document",
    "billing:receipt": "PDF document",
    "diagnostics:prediagnosis_pdf": "PDF document",
    "loans:terms_pdf": "PDF document",
    "quotes:pdf": "PDF document",
    "quotes:order_pdf": "PDF document",
}

# Where an object of Paris is found, for models that do not declare `site_path` yet (core.scoping).
SITE_PATHS = {
    "customers.Appliance": "customer__site",
    "repairs.RepairCase": "site",
    "quotes.Solution": "case__site",
    "quotes.Quote": "case__site",
    "quotes.RepairOrder": "case__site",
    "reception.Ticket": "site",
    "stock.SupplierOrder": "site",
    "billing.Invoice": "site",
    "billing.Payment": "site",
    "planning.Visit": "site",
    "planning.PlanRoute": "plan__site",
    "fieldwork.Tool": "site",
    "core.User": "sites",
}


def _object_of(label: str, site):
    from django.apps import apps

    model = apps.get_model(label)
    path = getattr(model, "site_path", None) or SITE_PATHS.get(label)
    queryset = model._default_manager.order_by("pk")
    if label == "core.User":
        queryset = queryset.filter(roles__role="technicien")
    if path:
        queryset = queryset.filter(**{path if path != "pk" else "pk": site if path != "pk" else site.pk})
    return queryset.first()


def _page_routes():
    return [r for r in routes() if all(kind == "int" for kind in r.kwargs.values())]


def _measure(client, site) -> dict[str, tuple[int, int]]:
    """Route name → (status, queries) for one GET of every page route that can be filled."""
    measured = {}
    for route in _page_routes():
        if route.name in NOT_PAGES:
            continue
        kwargs = {}
        if route.kwargs:
            if route.name not in OBJECTS:  # POST only (405 before any object is read), or a new page
                status = client.get(reverse(route.name, kwargs=dict.fromkeys(route.kwargs, 1))).status_code
                measured[route.name] = (405, 0) if status == 405 else (None, None)
                continue
            obj = _object_of(OBJECTS[route.name], site)
            if obj is None:
                measured[route.name] = (None, None)
                continue
            kwargs = dict.fromkeys(route.kwargs, obj.pk)
        url = reverse(route.name, kwargs=kwargs)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, HTTP_ACCEPT="application/json" if route.is_api else "text/html")
        measured[route.name] = (response.status_code, len(queries))
    return measured


@pytest.fixture(scope="module")
def measures(django_db_setup, django_db_blocker):
    """Every page measured on the small demo, then again on twice as many dossiers; rolled back afterwards."""
    import time_machine

    from atelier.core.models import Site

    with django_db_blocker.unblock(), transaction.atomic():
        load_world()
        site = Site.objects.get(code="PAR1")
        client = Client()
        client.force_login(all_roles_user("toutes-les-casquettes", site))
        with time_machine.travel(STORY_NOW, tick=True):
            client.get("/")  # the session and the caches of the first request, out of the figures
            small = _measure(client, site)
            grow_world(seed=2027)
            doubled = _measure(client, site)
        yield small, doubled
        transaction.set_rollback(True)


@pytest.mark.parametrize("name", sorted(r.name for r in _page_routes() if r.name not in NOT_PAGES))
def test_page_stays_under_its_ceiling_and_does_not_grow_with_the_data(measures, name):
    small, doubled = measures
    status, count = small[name]
    if status is None:
        pytest.fail(f"{name}: no object of Paris to fill the route; add its model to OBJECTS")
    if status == 405 or name not in CEILINGS and status != 200:
        pytest.skip(f"{name} is not a page (GET answers {status})")
    assert status == 200, f"{name} answered {status}"
    assert name in CEILINGS, f"{name}: {count} queries; give it a ceiling in CEILINGS"
    assert count <= CEILINGS[name], f"{name}: {count} queries, ceiling {CEILINGS[name]}"
    assert doubled[name][1] <= count, f"{name}: {count} queries, {doubled[name][1]} with twice the data (N+1)"
