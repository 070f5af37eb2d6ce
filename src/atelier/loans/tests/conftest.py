import datetime

import pytest

from atelier.loans.models import LoanAppliance
from atelier.quotes.tests import conftest as quotes_fixtures

customer = quotes_fixtures.customer
appliance = quotes_fixtures.appliance
make_case = quotes_fixtures.make_case

SIGNATURE = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9aw"
    "AAAABJRU5ErkJggg=="
)


@pytest.fixture
def spare(site):
    return LoanAppliance.objects.create(
        site=site, code="PRET-LL-01", family="lave_linge", label="Beko WTV7712", location="Réserve, allée B"
    )


@pytest.fixture
def in_a_week():
    from django.utils import timezone

    return timezone.localdate() + datetime.timedelta(days=7)
