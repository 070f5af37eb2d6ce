"""The demo at the real hour the tests run (test_loader.py pins its own clock for exact figures): `make demo`
must work at midnight, on a Sunday or on New Year's Day as well, with nothing dated in the future."""

import io

import pytest
from django.test.utils import override_settings
from django.utils import timezone

from atelier.billing.verify import journal_verify
from atelier.demo import load_demo
from atelier.demo.loader import MIN_CUSTOMERS
from atelier.repairs.models import CaseEvent, RepairCase

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.django_db
def test_a_small_demo_loads_now_with_nothing_in_the_future():
    with override_settings(PASSWORD_HASHERS=FAST_HASHER):
        summary = load_demo(stdout=io.StringIO(), customers=MIN_CUSTOMERS)
    now = timezone.now()
    assert summary.customers_created == MIN_CUSTOMERS
    assert RepairCase.objects.exists()
    assert not CaseEvent.objects.filter(at__gt=now).exists()
    assert journal_verify().ok
