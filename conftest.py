"""Fixtures shared by every app's tests: two sites and one user per role on the first."""

import pytest
from django.conf import settings

from atelier.core.choices import Role
from atelier.core.tests.factories import SiteFactory, UserFactory


def pytest_configure(config):
    # Tests create many users: a fast hasher keeps the suite quick (production keeps Django's PBKDF2).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
