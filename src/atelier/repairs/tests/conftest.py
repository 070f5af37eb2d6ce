import pytest

from atelier.customers.models import Appliance, Customer
from atelier.repairs.choices import WorkLocation
from atelier.repairs.services import case_open


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
    )


@pytest.fixture
def appliance(customer):
    return Appliance.objects.create(
        customer=customer,
        family="lave_linge",
        brand="Bosch",
        model_ref="WAN28208FF",
        serial_number="FD9503-123456",
    )


@pytest.fixture
def other_customer(other_site):
    return Customer.objects.create(site=other_site, last_name="Morel", phone="+33698765432")


@pytest.fixture
def make_case(accueil, customer, appliance):
    def make(location=WorkLocation.ATELIER, **kwargs):
        return case_open(
            actor=accueil,
            customer=customer,
            appliance=appliance,
            customer_words="Il ne vidange plus, l'eau reste au fond.",
            location=location,
            **kwargs,
        )

    return make


@pytest.fixture(autouse=True)
def _workflow_alone(without_step_checks):
    """These tests drive the state machine itself; the other apps' step conditions are tested in each app."""
