import datetime
import itertools

import pytest
from django.utils import timezone

from atelier.core.choices import Role
from atelier.core.tests.factories import UserFactory
from atelier.customers.models import Appliance, Customer
from atelier.planning.models import TechnicianProfile, Visit
from atelier.planning.services import visits_sync
from atelier.quotes.choices import QuoteStatus
from atelier.quotes.models import Quote, RepairOrder
from atelier.repairs.choices import CaseStatus, WorkLocation
from atelier.repairs.models import RepairCase
from atelier.repairs.services import case_open

_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def fast_solver(settings):
    settings.ATELIER_PLANNING_SECONDS = 0.2  # a handful of visits: PyVRP has its best plan long before


@pytest.fixture
def day():
    """Next Monday, so that working days and 'not in the past' always hold."""
    today = timezone.localdate()
    return today + datetime.timedelta(days=7 - today.weekday())


@pytest.fixture
def make_profile(site):
    def make(user=None, **fields):
        user = user or UserFactory(username=f"tech{next(_numbers)}", roles=[Role.TECHNICIEN], sites=[site])
        defaults = {
            "site": site,
            "families": ["lave_linge", "lave_vaisselle", "froid", "cuisson"],
            "electrical_clearance": True,
            "working_days": [0, 1, 2, 3, 4],
        }
        defaults.update(fields)
        return TechnicianProfile.objects.create(user=user, **defaults)

    return make


@pytest.fixture
def make_visit(site, accueil, responsable):
    def make(postcode="75011", city="Paris", family="lave_linge", *, skills="", tools="", **visit_fields):
        n = next(_numbers)
        customer = Customer.objects.create(
            site=site,
            last_name=f"Client{n}",
            phone=f"+336123450{n:02d}",
            address=f"{n} rue de la Roquette",
            postcode=postcode,
            city=city,
            needs_hearing=n % 2 == 0,
        )
        appliance = Appliance.objects.create(customer=customer, family=family, brand="Bosch")
        case = case_open(
            actor=accueil,
            customer=customer,
            appliance=appliance,
            customer_words="Ne fonctionne plus.",
            location=WorkLocation.DOMICILE,
        )
        RepairCase.objects.filter(pk=case.pk).update(status=CaseStatus.ACCEPTE)
        quote = Quote.objects.create(
            case=case,
            version=1,
            number=f"DV-{n}",
            status=QuoteStatus.ACCEPTE,
            nature_of_work="Remplacement de la pompe.",
            place_of_work="Au domicile du client",
            valid_until=timezone.localdate() + datetime.timedelta(days=30),
            created_by=responsable,
        )
        order = RepairOrder.objects.create(
            quote=quote,
            case=case,
            number=f"OR-PAR1-{n:06d}",
            work_to_do="Remplacement de la pompe.",
            location=WorkLocation.DOMICILE,
            promised_on=timezone.localdate() + datetime.timedelta(days=3),
            skills=skills,
            tools=tools,
            created_by=responsable,
        )
        visits_sync(site=site)
        visit = Visit.objects.get(order=order)
        if visit_fields:
            Visit.objects.filter(pk=visit.pk).update(**visit_fields)
            visit.refresh_from_db()
        return visit

    return make
