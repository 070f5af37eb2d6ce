import datetime
import zoneinfo

import pytest

from atelier.customers.tests.factories import ApplianceFactory, CustomerFactory
from atelier.repairs.choices import CaseStatus, EventKind
from atelier.repairs.models import CaseEvent
from atelier.repairs.services import case_open

D = datetime.date
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


@pytest.fixture
def customer(site):
    return CustomerFactory(site=site, last_name="Lefèvre", first_name="Nadia", email="nadia@example.fr")


@pytest.fixture
def appliance(customer):
    return ApplianceFactory(
        customer=customer,
        brand="Bosch",
        purchase_date=D(2024, 2, 29),
        bought_new=True,
        purchase_place="Darty",
    )


def noon(day: datetime.date) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, 12, 0, tzinfo=PARIS)


@pytest.fixture
def handed_back(accueil):
    """handed_back(appliance, day) — a dossier of the appliance given back to the customer on `day` (its
    timeline written as the workflow would: the « rendu » step, then closed)."""

    def make(appliance, day: datetime.date, *, words="Ne vidange plus."):
        case = case_open(
            actor=accueil,
            customer=appliance.customer,
            appliance=appliance,
            customer_words=words,
            at=noon(day) - datetime.timedelta(days=7),
        )
        CaseEvent.objects.create(
            case=case,
            at=noon(day),
            actor=accueil,
            kind=EventKind.TRANSITION,
            to_status=CaseStatus.RENDU,
            label="Rendu",
        )
        case.status = CaseStatus.CLOTURE
        case.closed_at = noon(day) + datetime.timedelta(days=1)
        case.save(update_fields=["status", "closed_at"])
        return case

    return make
