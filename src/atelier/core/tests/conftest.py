"""Fixtures of the core tests that exercise every route: a small demo and a user holding every role."""

import pytest

from atelier.core.choices import Role
from atelier.core.models import Site
from atelier.core.tests.factories import UserFactory
from tests.world import load_demo_now


@pytest.fixture
def demo_world(db):
    """The smallest demo (two sites, dossiers in every state, quotes, invoices, stock, planning)."""
    return load_demo_now()


@pytest.fixture
def all_roles_user(demo_world):
    """Every role, every site of the demo (not staff: the admin is Django's own)."""
    return UserFactory(username="tous-roles", roles=list(Role.values), sites=list(Site.objects.all()))
