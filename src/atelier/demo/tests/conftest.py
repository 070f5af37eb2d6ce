"""The demo loaded once for each test file that reads it (test_loader_*.py), inside a transaction rolled back at
the end of the file; each test runs in its own savepoint through the `db` fixture, so tests stay independent.

The demo's story is told backwards from "now", so it is loaded at a fixed instant (a Thursday afternoon in
Paris; the clock keeps ticking from there): the same dossiers, appointments and plans whatever the hour CI
runs at. Just after midnight, for instance, the real "today" has no dossier yet.

The demo is built once in the run, by the first file that asks; the other gets its rows written back in a
fraction of a second (tests/snapshots.py), in the same process or the other one. The fixture lives for one
file, so nothing of it is left when another file of the package runs (test_any_hour.py reads the demo at the
real hour, and pytest-xdist may give it to the same process after a loader file).
"""

import io

import pytest
import time_machine
from django.db import transaction
from django.test.utils import override_settings

from atelier.demo import load_demo
from atelier.demo.tests.story import CUSTOMERS, FAST_HASHER, STORY_NOW
from tests.snapshots import build_once


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The demo loaded once, with its printed report; rolled back afterwards."""
    out = io.StringIO()
    with (
        time_machine.travel(STORY_NOW),
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHER),
    ):
        with transaction.atomic():
            yield build_once(
                "demo-story", lambda: (load_demo(stdout=out, customers=CUSTOMERS), out.getvalue())
            )
            transaction.set_rollback(True)


@pytest.fixture
def demo(loaded, db):
    return loaded[0]
