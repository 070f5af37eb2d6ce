"""The permission matrix, checked on every route (generated from the URL resolver, like the isolation test):

- a user whose roles hold no step on their site (the site's matrix set by hand to « no role » for every step)
  is refused every page, action and API route that performs a step: 403 or 404 (405 for a method the route
  does not take), never 200 (nor a redirect after doing it) and never 500;
- a user holding one role (technicien) on a site set to « atelier d'une personne » opens every page (GET 200):
  the preset gives every role every step.

Routes open to every signed-in user by design are listed in OPEN_TO_ALL with why.
"""

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests.test_query_counts import (
    NOT_PAGES,
    OBJECTS,
    QUERIES,
    _add_what_the_demo_lacks,
    _object_of,
    join_the_organisations,
)
from tests.world import STORY_NOW, load_world, routes

pytestmark = pytest.mark.django_db

# Routes any signed-in user opens whatever the matrix (they perform no step of the matrix).
OPEN_TO_ALL = {
    "home": "the home page (its panels follow the matrix)",
    "home_panels": "the home page's panels, loaded when opened (each follows the matrix)",
    "password_change": "the user's own password",
    "password_change_done": "static page",
    "api_tokens": "the user's own API tokens",
    "api_token_revoke": "the user's own API tokens",
    "api-root": "DRF's index of the routes",
    "logout": "leaving",
    "login": "anonymous form",
    "healthz": "probe for the load balancer",
    "metrics": "Prometheus scrape: 404 unless ATELIER_METRICS=1, then a token or an allowed address",
    "set_language": "the interface language, kept in a cookie (Django's view, redirects back)",
}
PUBLIC_BY_TOKEN = {
    "billing_public:tracking",
    "billing_public:quote",
    "billing_public:quote_accept",
    "billing_public:quote_refuse",
    "aftersales_public:claim",
    "improvement_public:survey",  # the satisfaction survey of the customer's tracking link
    "planning:ical",
    "reception:display",  # the waiting room's public screen: numbers and counters only, no login
    "reception:display_board",
    # providers' callbacks (delivery receipts, customers' replies): the shared secret of ATELIER_WEBHOOK_SECRET
    # in the URL is the key; no session (messaging/webhooks.py)
    "messaging_webhooks:brevo_sms",
    "messaging_webhooks:brevo_email",
    "messaging_webhooks:ovh_receipt",
    "messaging_webhooks:ovh_incoming",
    "messaging_webhooks:email_raw",
}
ARGUMENTS = {
    "*": {"code": "PAR1", "day": "2026-11-26", "name": "prediagnose"},
    "billing:action": {"action": "payment"},
    "fieldwork:tool_action": {"action": "check"},
    "quotes:action": {"action": "line"},
    "repairs:section": {"key": "quotes"},  # a section of the dossier page (each app's: same guard)
    "reception:ticket_close": {"action": "servi"},
    "stock:repair_order_action": {"action": "reserver"},
}


def _url(route, site):
    kwargs = {}
    for name, kind in route.kwargs.items():
        if kind == "int":
            obj = _object_of(OBJECTS[route.name], site) if route.name in OBJECTS else None
            kwargs[name] = obj.pk if obj is not None else 1
        else:
            kwargs[name] = ARGUMENTS.get(route.name, {}).get(name) or ARGUMENTS["*"].get(name, "x")
    url = reverse(route.name, kwargs=kwargs)
    if route.name in QUERIES:
        label, parameter = QUERIES[route.name]
        url += f"?{parameter}={_object_of(label, site).pk}"
    return url


@pytest.fixture(scope="module")
def walks(django_db_setup, django_db_blocker):
    import time_machine

    from atelier.core import access
    from atelier.core.choices import Role
    from atelier.core.models import Site, SiteStepRoles
    from atelier.core.tests.factories import UserFactory

    with django_db_blocker.unblock(), transaction.atomic():
        load_world()
        paris, lyon = Site.objects.get(code="PAR1"), Site.objects.get(code="LYO1")
        _add_what_the_demo_lacks(paris)
        # Lyon: no role may do anything; its user holds every role there
        SiteStepRoles.objects.bulk_create(
            SiteStepRoles(site=lyon, step=code, roles=[]) for code in access.all_steps()
        )
        nobody = UserFactory(username="sans-droit", roles=list(Role), sites=[lyon])
        # Paris: one person does everything with the technician's role
        Site.objects.filter(pk=paris.pk).update(permission_preset=access.PRESET_SEUL)
        alone = UserFactory(username="seul", roles=[Role.TECHNICIEN], sites=[paris])
        # certification: a candidate's progress is read by their organisation only
        join_the_organisations(alone, paris)
        refused, opened = {}, {}
        with time_machine.travel(STORY_NOW, tick=True):
            client = Client(raise_request_exception=False)
            client.force_login(nobody)
            for route in routes():
                if route.name in OPEN_TO_ALL or route.name in PUBLIC_BY_TOKEN:
                    continue
                url = _url(route, lyon)
                accept = "application/json" if route.is_api else "text/html"
                for method in ("get", "post"):
                    with transaction.atomic():
                        status = getattr(client, method)(url, HTTP_ACCEPT=accept).status_code
                        transaction.set_rollback(True)
                    refused[(route.name, method.upper())] = status
            client = Client(raise_request_exception=False)
            client.force_login(alone)
            for route in routes():
                if route.name in NOT_PAGES or route.name in PUBLIC_BY_TOKEN or route.name in OPEN_TO_ALL:
                    continue
                if route.kwargs and (
                    route.name not in OBJECTS or any(k != "int" for k in route.kwargs.values())
                ):
                    continue  # an action (POST) or a route of a token or code
                accept = "application/json" if route.is_api else "text/html"
                opened[route.name] = client.get(_url(route, paris), HTTP_ACCEPT=accept).status_code
        yield refused, opened
        transaction.set_rollback(True)


def test_a_user_whose_roles_hold_no_step_is_refused_every_route(walks):
    refused, _ = walks
    # a POST may also answer 400: its empty form is refused before the service, which refuses the step in
    # French on the page (each app's tests: « Votre rôle ne permet pas cette opération. »)
    wrong = {
        (name, method): status
        for (name, method), status in refused.items()
        if status not in (403, 404, 405) and not (method == "POST" and status == 400)
    }
    assert not wrong, f"routes answering a user with no step (expected 403/404/405): {wrong}"


def test_one_technician_on_a_one_person_site_opens_every_page(walks):
    _, opened = walks
    pages = {name for name, status in opened.items() if status == 200}
    assert len(pages) > 60
    assert "quotes:order" in pages and "billing:accounting" in pages and "permissions" in pages
    wrong = {name: status for name, status in opened.items() if status not in (200, 405)}  # 405: POST only
    assert not wrong, f"pages refused to the one-person shop: {wrong}"
