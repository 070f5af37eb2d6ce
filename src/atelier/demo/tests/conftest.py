"""The demo loaded once for the test files that read it (test_loader_*.py), inside a transaction rolled back at
the end; each test runs in its own savepoint through the `db` fixture, so tests stay independent and fast.

The demo's story is told backwards from "now", so it is loaded at a fixed instant (a Thursday afternoon in
Paris; the clock keeps ticking from there): the same dossiers, appointments and plans whatever the hour CI
runs at. Just after midnight, for instance, the real "today" has no dossier yet. The fixture lives for the
package: requested first by test_loader_*.py, after test_any_hour.py (which loads its own demo at the real hour).
"""

import io

import pytest
import time_machine
from django.db import transaction
from django.test.utils import override_settings

from atelier.demo import load_demo
from atelier.demo.tests.story import CUSTOMERS, FAST_HASHER, STORY_NOW


@pytest.fixture(scope="package")
def loaded(django_db_setup, django_db_blocker):
    """The demo loaded once, with its printed report; rolled back afterwards."""
    out = io.StringIO()
    with (
        time_machine.travel(STORY_NOW),
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHER),
    ):
        with transaction.atomic():
            summary = load_demo(stdout=out, customers=CUSTOMERS)
            yield summary, out.getvalue()
            transaction.set_rollback(True)


@pytest.fixture
def demo(loaded, db):
    return loaded[0]
