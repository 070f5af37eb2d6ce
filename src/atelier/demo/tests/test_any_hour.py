"""The demo at the real hour the tests run (test_loader.py pins its own clock for exact figures): `make demo`
must work at midnight, on a Sunday or on New Year's Day as well, with nothing dated in the future.

The small demo at the real hour is loaded once in the run (tests/world.py `load_demo_now`, shared with the core
tests that walk every route): whichever test asks first loads it, at this run's hour; this one reads it."""

import pytest
from django.utils import timezone

from atelier.billing.verify import journal_verify
from atelier.demo.loader import MIN_CUSTOMERS
from atelier.repairs.models import CaseEvent, RepairCase
from tests.world import load_demo_now


@pytest.mark.django_db
def test_a_small_demo_loads_now_with_nothing_in_the_future():
    summary = load_demo_now()
    now = timezone.now()
    assert summary.customers_created == MIN_CUSTOMERS
    assert RepairCase.objects.exists()
    assert not CaseEvent.objects.filter(at__gt=now).exists()
    assert journal_verify().ok
