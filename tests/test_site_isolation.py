"""Site isolation, generated from the URL resolver: every route that names an object (HTML pages, actions and
API routes) answers 404 for an object of another site, to GET and to POST. A new route is covered without
writing a test.

How: the small demo (tests/world.py) is loaded on both sites; then one object of EVERY site-bound model of
Paris (the demo's richer site: every state, orders, visits, diagnoses…) is given the same primary key, N,
which no object of Lyon has. Each route's integer arguments are filled with N (its other arguments with a
valid value: a site code, an action name, a Lyon tracking token), and the route is requested by a user
holding every role in Lyon only, and by a superuser of Lyon only (a superuser flag opens no other site).
A user of Paris, as a control, does see those objects. 404 passes (405 too: a method the route does not
take); anything else (200, 302, 403, 500) is a failure. A 403 leaks nothing but tells the object
exists: the rule is 404.

Site-bound models are those of `core.scoping.site_bound_models()` (they declare `site_path`).
"""

import pytest
from django.core.exceptions import FieldError
from django.db import models, transaction
from django.test import Client
from django.urls import reverse

from tests.test_query_counts import _messages_of_the_first_dossier
from tests.world import STORY_NOW, all_roles_user, load_world, routes

pytestmark = pytest.mark.django_db

N = 900_001

NOT_MOVED = {"core.Site"}  # Paris itself keeps its key (every row of Paris points to it)
VISITOR_SITE, OTHER_SITE = "LYO1", "PAR1"

# Values for the arguments that are not primary keys: route name → {argument: value}; "*" for any route.
ARGUMENTS = {
    "*": {"code": OTHER_SITE, "day": "2026-11-26", "name": "prediagnose"},
    "billing:action": {"action": "payment"},
    "fieldwork:tool_action": {"action": "check"},
    "quotes:action": {"action": "line"},
    "repairs:section": {"key": "quotes"},  # a section of the dossier page (each app's: same guard)
    "reception:ticket_close": {"action": "servi"},
    "stock:repair_order_action": {"action": "reserver"},
    "aftersales:case_payers": {"action": "share"},
}
# Routes open to anyone holding their token (a customer's tracking link, a technician's calendar feed): the
# token is the key, by design. A route that adds a primary key to a token is walked with a Lyon token.
PUBLIC_BY_TOKEN = {
    "billing_public:tracking",
    "billing_public:quote",
    "billing_public:quote_accept",
    "billing_public:quote_refuse",
    "aftersales_public:claim",
    "improvement_public:survey",  # the satisfaction survey of the customer's tracking link
    "planning:ical",
}


def _site_paths() -> dict[type[models.Model], str]:

    from atelier.core.scoping import site_bound_models

    paths = {m: m.site_path for m in site_bound_models()}
    return {m: p for m, p in paths.items() if m._meta.label not in NOT_MOVED and _resolves(m, p)}


def _resolves(model, path) -> bool:
    try:
        model._default_manager.filter(**{f"{path}__code": "LYO1"}).query.get_compiler("default")
        return True
    except FieldError:
        return False


def test_every_site_path_leads_to_a_site():
    from atelier.core.scoping import site_bound_models

    wrong = [
        m._meta.label for m in site_bound_models() if m.site_path != "pk" and not _resolves(m, m.site_path)
    ]
    assert not wrong, f"site_path with no way to a site: {wrong}"


def _give_key_n(other) -> dict[str, list[str]]:
    """One object of the other site per site-bound model takes the key N, the rows pointing to it following (the data
    stays consistent: the constraint checks at each test's end pass). Returns the models with no object on
    that site: their routes answer 404 whatever the scoping, so prove less."""
    from atelier.billing.guards import rewrite_allowed

    chosen = {}
    for model, path in _site_paths().items():
        if isinstance(model._meta.pk, models.AutoField | models.BigAutoField):
            obj = model._default_manager.filter(**{path: other}).order_by("pk").first()
            if obj is not None:
                chosen[model] = obj.pk
    with rewrite_allowed():  # renumbering keys touches issued invoices and the journal: the test says so
        for model, old in chosen.items():
            _renumber(model, old, N)
    return {"missing": sorted(m._meta.label for m in _site_paths() if m not in chosen)}


def _renumber(model, old, new) -> None:
    """Change a row's primary key and every foreign key, one-to-one and many-to-many row pointing to it."""
    for rel in model._meta.get_fields(include_hidden=True):  # related_name="+" relations too
        if not (rel.auto_created and not rel.concrete and rel.is_relation):
            continue
        if rel.many_to_many:
            through = rel.through if hasattr(rel, "through") else rel.field.remote_field.through
            for field in through._meta.concrete_fields:
                if field.is_relation and field.related_model is model:
                    through._base_manager.filter(**{field.attname: old}).update(**{field.attname: new})
        elif rel.field.concrete:
            related = rel.related_model._base_manager
            related.filter(**{rel.field.attname: old}).update(**{rel.field.attname: new})
    for field in model._meta.many_to_many:
        through = field.remote_field.through
        for column in through._meta.concrete_fields:
            if column.is_relation and column.related_model is model:
                through._base_manager.filter(**{column.attname: old}).update(**{column.attname: new})
    model._base_manager.filter(pk=old).update(**{model._meta.pk.attname: new})


def _arguments(route, token):
    values = {}
    for name, kind in route.kwargs.items():
        if kind == "int":
            values[name] = N
        elif name == "token":
            values[name] = token
        else:
            values[name] = ARGUMENTS.get(route.name, {}).get(name) or ARGUMENTS["*"].get(name, "x")
    return values


def _object_routes():
    return [r for r in routes() if r.int_kwargs and r.name not in PUBLIC_BY_TOKEN]


@pytest.fixture(scope="module")
def answers(django_db_setup, django_db_blocker):
    """Route name → [(who, method, status)] for every route naming an object, walked with Lyon's key N."""
    import time_machine

    from atelier.billing.models import TrackingLink
    from atelier.core.models import Site
    from atelier.reception.tests.factories import ComplaintFactory
    from atelier.stock.tests.factories import InventoryCountFactory

    with django_db_blocker.unblock(), transaction.atomic():
        load_world()
        home, other = Site.objects.get(code=VISITOR_SITE), Site.objects.get(code=OTHER_SITE)
        ComplaintFactory(site=other)
        InventoryCountFactory(site=other)
        _messages_of_the_first_dossier(other)
        coverage = _give_key_n(other)
        link = TrackingLink.objects.filter(case__site=home).first()
        token = link.token if link else "jeton-inconnu"
        visitors = {
            "every role in Lyon": all_roles_user("lyon-toutes-casquettes", home),
            "superuser of Lyon": all_roles_user("lyon-superuser", home, superuser=True),
        }
        control = Client()
        control.force_login(all_roles_user("paris-toutes-casquettes", other))
        with time_machine.travel(STORY_NOW, tick=True):
            coverage["control"] = {
                name: control.get(reverse(name, kwargs={"pk": N})).status_code for name in CONTROL_ROUTES
            }
        seen: dict[str, list] = {}
        with time_machine.travel(STORY_NOW, tick=True):
            for who, user in visitors.items():
                client = Client(raise_request_exception=False)
                client.force_login(user)
                for route in _object_routes():
                    url = reverse(route.name, kwargs=_arguments(route, token))
                    accept = "application/json" if route.is_api else "text/html"
                    for method in ("get", "post"):
                        with transaction.atomic():  # a leaking POST must not change what the next one sees
                            status = getattr(client, method)(url, HTTP_ACCEPT=accept).status_code
                            transaction.set_rollback(True)
                        seen.setdefault(route.name, []).append((who, method.upper(), status))
        yield seen, coverage
        transaction.set_rollback(True)


def test_every_site_bound_model_has_an_object_with_key_n(answers):
    _, coverage = answers
    # A model with no object on the other site: its routes answer 404 whatever the scoping (nothing to find).
    assert set(coverage["missing"]) <= ALLOWED_MISSING, sorted(set(coverage["missing"]) - ALLOWED_MISSING)


def test_a_user_of_the_other_site_sees_the_objects_with_key_n(answers):
    """The control: the 404s above come from the scoping, not from objects that are not there."""
    _, coverage = answers
    assert coverage["control"] == dict.fromkeys(CONTROL_ROUTES, 200)


CONTROL_ROUTES = (
    "customers:detail",
    "repairs:detail",
    "quotes:detail",
    "billing:invoice",
    "fieldwork:tool_detail",
)


ALLOWED_MISSING = {
    # none in the small demo; their routes are POST actions on a dossier, a part or a technician
    "diagnostics.DiagnosisPart",
    "planning.DayOff",
    "stock.PartAnomaly",
    # none in the small demo, and no route names them: they are shown inside their dossier, count, plan or
    # import page (whose routes are walked), or looked up by a token (pending imports)
    "aftersales.MaintenanceVisit",  # none in the demo (opened from the due list); no route names it
    # certification, beside the grid and the progress (issue 19, points 4 and 6): none in the demo; their routes
    # name the session or the candidate (walked), never these rows
    "certification.CandidateAccount",
    "certification.EvidenceDossier",
    "certification.JuryQuestion",
    "certification.PartTiming",
    "billing.HandBack",
    "billing.JournalCheckpoint",  # written by the accountant's page and the full check; no route names it
    "billing.Notification",
    "billing.Offer",
    "billing.Original",  # stored after commit (never inside this test's transaction); served by invoice routes
    "billing.PaymentAnomaly",
    "billing.UnpaidBalance",
    "core.PermissionChange",  # the permission matrix: no route names its rows (the screen and API name the site)
    "core.SiteStepRoles",
    "customers.PrivacyAction",  # the register of personal-data actions: shown on the customer's page, no route
    "fieldwork.PpeCheck",
    "fieldwork.RequiredToolKind",
    # the indicators' daily figures: written by the nightly job (none in this test's demo), read by the pages'
    # sums; no route names a row
    "indicators.ComputedDay",
    "indicators.DailyFigures",
    "indicators.RollupFigures",  # their roll-up per month and per day, rebuilt by the same job; no route either
    "operations.JobRun",  # none in the demo (the scheduler writes them); listed by the page and API, no detail route
    "operations.JobSettings",  # edited in the admin only
    "planning.PlanDrop",
    "reception.ReceptionSettings",
    "stock.InventoryLine",
    "stock.PendingImport",
}


@pytest.mark.parametrize("name", sorted(r.name for r in _object_routes()))
def test_another_sites_object_answers_404(answers, name):
    seen, _ = answers
    wrong = [f"{who} {method} → {status}" for who, method, status in seen[name] if status not in (404, 405)]
    assert not wrong, f"{name}: " + "; ".join(wrong)
