"""Fixtures shared by every app's tests: two sites and one user per role on the first."""

import os
import shutil
import tempfile

import pytest
from django.apps import apps as django_apps
from django.conf import settings

from atelier.core.choices import Role
from atelier.core.tests.factories import SiteFactory, UserFactory
from tests import snapshots
from tests.snapshots import ENV as SNAPSHOTS


def pytest_configure(config):
    # Tests create many users: a fast hasher keeps the suite quick (production keeps Django's PBKDF2).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The tests' days hold a handful of visits: PyVRP has its best plan long before the production default.
    settings.ATELIER_PLANNING_SECONDS = 0.2
    # Customers' messages are handed to the MemoryProvider, and sent only when a test runs `deliver_queued`.
    settings.ATELIER_EMAIL_PROVIDER = settings.ATELIER_SMS_PROVIDER = (
        "atelier.messaging.providers.base.MemoryProvider"
    )
    # The data sets built once per run (tests/snapshots.py): a directory made by the main process, which the
    # workers (started after this) inherit through the environment.
    if not hasattr(config, "workerinput") and not os.environ.get(SNAPSHOTS):
        os.environ[SNAPSHOTS] = config._atelier_snapshots = tempfile.mkdtemp(prefix="atelier-tests-")
    _flush_through_the_guards()


def pytest_unconfigure(config):
    folder = getattr(config, "_atelier_snapshots", None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        os.environ.pop(SNAPSHOTS, None)


def _flush_through_the_guards():
    """A transactional test ends with a flush that empties every table, issued invoices and the journal
    included: the database triggers (billing.guards) refuse that to anyone else, the test runner says so."""
    from django.db.backends.base.operations import BaseDatabaseOperations

    from atelier.billing.guards import rewrite_allowed

    flush = BaseDatabaseOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        with rewrite_allowed(self.connection.alias):
            flush(self, sql_list)

    BaseDatabaseOperations.execute_sql_flush = execute_sql_flush


# Reference data written by data migrations (VAT rates, warranty rules, knowledge base, used-part and bonus
# rules, queue priorities…). The test database is built from the models (`--nomigrations` in pyproject: a
# second instead of ~30 s of migration state rendering), so every data migration whose name holds « seed » is
# run here, in the migrations' order, once per database; tests/test_migrations.py checks that a database
# built by the real migrations holds the same rows. A transactional test (race tests, browser journeys) ends
# with a flush that empties these tables: they are put back right after it (each seed uses get_or_create).
def _seed_migrations():
    from django.db.migrations.loader import MigrationLoader
    from django.test.utils import override_settings

    with override_settings(MIGRATION_MODULES={}):  # `--nomigrations` hides them from Django, not from us
        loader = MigrationLoader(None, ignore_no_migrations=True)
    plan = []
    for leaf in sorted(loader.graph.leaf_nodes()):
        plan += [node for node in loader.graph.forwards_plan(leaf) if node not in plan]
    return [
        loader.graph.nodes[node]
        for node in plan
        if node[0] in {c.label for c in django_apps.get_app_configs() if c.name.startswith("atelier.")}
        and "seed" in node[1]
    ]


def seed_reference_data():
    from django.db.migrations.operations.special import RunPython

    for migration in _seed_migrations():
        for operation in migration.operations:
            if isinstance(operation, RunPython):
                operation.code(django_apps, None)


def _transactional(item) -> bool:
    names = getattr(item, "fixturenames", ())
    marker = item.get_closest_marker("django_db")
    return (
        "transactional_db" in names
        or "live_server" in names
        or bool(marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))
    )


# The database as every test finds it (the content types and permissions Django writes, then the reference
# data), kept by each process: a transactional test's flush is undone by writing these rows back, with their
# keys, instead of running the seeds again. Every process then holds the same rows under the same keys, which
# the data sets built once per run (tests/snapshots.py) need to be shared between processes.
_INITIAL: dict = {}


def _put_back_the_initial_rows():
    from django.db import transaction

    with transaction.atomic():
        snapshots.restore(_INITIAL["rows"])


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database, plus the reference data (committed: every test's rollback keeps it),
    seeded by the first process of the run and written back by the others."""
    from django.db import transaction

    with django_db_blocker.unblock():
        with transaction.atomic():
            snapshots.build_once("reference-data", seed_reference_data)
        _INITIAL["rows"] = snapshots.state()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    result = yield
    # its teardown flushed every table: the initial rows are put back at once (not after the last test of the
    # session, whose teardown has already dropped the test database and pointed settings back at the real one)
    if _transactional(item) and nextitem is not None and "rows" in _INITIAL:
        from pytest_django.plugin import blocking_manager_key

        blocker = item.config.stash.get(blocking_manager_key, None)
        if blocker is not None:
            with blocker.unblock():
                _put_back_the_initial_rows()
    return result


@pytest.fixture(autouse=True)
def reference_data(request):
    names = request.fixturenames
    marker = request.node.get_closest_marker("django_db")
    if "transactional_db" in names or "live_server" in names or (marker and marker.kwargs.get("transaction")):
        request.getfixturevalue("transactional_db")
    elif "db" in names or marker:
        request.getfixturevalue("db")
    else:
        return
    from atelier.core.models import VatRate

    if not VatRate.objects.exists():  # a safety net: the hooks above normally keep the reference data there
        _put_back_the_initial_rows()


@pytest.fixture(autouse=True)
def memory_provider():
    """Every test starts with an empty MemoryProvider (the e-mail and SMS provider of the test settings)."""
    from atelier.messaging.providers.base import MemoryProvider

    MemoryProvider.reset()
    yield MemoryProvider
    MemoryProvider.reset()


@pytest.fixture
def deliver_queued():
    """The worker's delivery run on every queued message due (atelier.messaging.testing)."""
    from atelier.messaging.testing import deliver_queued

    return deliver_queued


@pytest.fixture
def site(db):
    return SiteFactory(code="PAR1", name="Paris Bastille", postcode="75011", city="Paris")


@pytest.fixture
def other_site(db):
    return SiteFactory(
        code="LYO1", name="Lyon Part-Dieu", postcode="69003", city="Lyon", siret="73282932000082"
    )


def _user(username, role, site):
    return UserFactory(username=username, roles=[role], sites=[site])


@pytest.fixture
def accueil(site):
    return _user("accueil", Role.ACCUEIL, site)


@pytest.fixture
def technicien(site):
    return _user("technicien", Role.TECHNICIEN, site)


@pytest.fixture
def responsable(site):
    return _user("responsable", Role.RESPONSABLE_SAV, site)


@pytest.fixture
def magasinier(site):
    return _user("magasinier", Role.MAGASINIER, site)


@pytest.fixture
def comptable(site):
    return _user("comptable", Role.COMPTABLE, site)


@pytest.fixture
def formateur(site):
    return _user("formateur", Role.FORMATEUR, site)


@pytest.fixture
def other_accueil(other_site):
    return _user("accueil-lyon", Role.ACCUEIL, other_site)


@pytest.fixture
def without_step_checks(monkeypatch):
    """The dossier's state machine alone: other apps' step conditions (safety checks, invoice and payment before
    closing…) are switched off. For tests of the workflow itself; each app tests its own conditions."""
    from atelier.repairs import extensions

    monkeypatch.setattr(extensions, "step_checks", [])
