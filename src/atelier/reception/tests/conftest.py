import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from atelier.customers.models import Appliance, Customer
from atelier.reception.models import Counter, PriorityRule
from atelier.reception.services import ticket_take
from atelier.reception.tests.helpers import seed_priority_rules


@pytest.fixture
def counter(site):
    return Counter.objects.create(site=site, name="Guichet 1")


@pytest.fixture
def counter2(site):
    return Counter.objects.create(site=site, name="Guichet 2")


@pytest.fixture
def other_counter(other_site):
    return Counter.objects.create(site=other_site, name="Guichet 1")


@pytest.fixture
def rules(db):
    seed_priority_rules()
    return {r.code: r for r in PriorityRule.objects.all()}


@pytest.fixture
def handicap(rules):
    return rules["handicap"]


@pytest.fixture
def t0():
    """A fixed morning instant, so numbers, orders and durations are exact."""
    return datetime.datetime(2026, 3, 10, 9, 0, tzinfo=timezone.get_current_timezone())


@pytest.fixture
def take(accueil, site, t0):
    def take(minutes: float = 0, reason: str = "depot", **kwargs):
        return ticket_take(
            actor=accueil,
            site=kwargs.pop("on_site", site),
            reason=reason,
            at=t0 + datetime.timedelta(minutes=minutes),
            **kwargs,
        )

    return take


@pytest.fixture
def customer(site):
    return Customer.objects.create(
        site=site,
        last_name="Lefèvre",
        first_name="Nadia",
        phone="+33612345678",
        postcode="75011",
        city="Paris",
        needs_reduced_mobility=True,
        preferred_contact="sms",
    )


@pytest.fixture
def appliance(customer):
    return Appliance.objects.create(
        customer=customer, family="lave_linge", brand="Bosch", model_ref="WAN28208FF", serial_number="FD95-1"
    )


@pytest.fixture(autouse=True)
def fresh_cache():
    """Measured service times are cached per site: no test may see another's."""
    cache.clear()
    yield
    cache.clear()
