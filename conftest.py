"""Fixtures shared by every app's tests: two sites and one user per role on the first."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.conf import settings

from atelier.core.choices import Role
from atelier.core.tests.factories import SiteFactory, UserFactory


def pytest_configure(config):
    # Tests create many users: a fast hasher keeps the suite quick (production keeps Django's PBKDF2).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# Reference data written by data migrations (VAT rates, warranty rules, knowledge base, used-part and bonus
# rules, queue priorities). A transactional test (race tests, browser journeys) ends with a flush that empties
# these tables for the tests after it, so they are put back when missing; each seed uses get_or_create.
SEEDS = (
    ("atelier.core.migrations.0003_seed_vat_rates", "seed"),
    ("atelier.customers.migrations.0002_seed_warranty_rules", "seed"),
    ("atelier.knowledge.migrations.0002_seed_base", "load"),
    ("atelier.quotes.migrations.0002_seed_rules", "seed"),
    ("atelier.reception.migrations.0002_seed_priority_rules", "seed"),
    ("atelier.billing.migrations.0002_seed_legal_figures_advice", "seed"),
    ("atelier.diagnostics.migrations.0002_seed_questions_checklists", "seed"),
    ("atelier.fieldwork.migrations.0002_seed_reference", "seed"),
)


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

    if not VatRate.objects.exists():
        for module, function in SEEDS:
            getattr(importlib.import_module(module), function)(django_apps, None)


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
