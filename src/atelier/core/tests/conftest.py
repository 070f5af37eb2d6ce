"""Fixtures of the core tests that exercise every route: a small demo and a user holding every role."""

import io

import pytest
from django.test.utils import override_settings

from atelier.core.choices import Role
from atelier.core.models import Site
from atelier.core.tests.factories import UserFactory


@pytest.fixture
def demo_world(db):
    """The smallest demo (two sites, dossiers in every state, quotes, invoices, stock, planning)."""
    from atelier.demo import load_demo
    from atelier.demo.loader import MIN_CUSTOMERS

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        load_demo(stdout=io.StringIO(), customers=MIN_CUSTOMERS)


@pytest.fixture
def all_roles_user(demo_world):
    """Every role, every site of the demo (not staff: the admin is Django's own)."""
    return UserFactory(username="tous-roles", roles=list(Role.values), sites=list(Site.objects.all()))
