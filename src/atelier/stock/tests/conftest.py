"""Stock fixtures: parts, a shelf and a van on PAR1, and repair orders built straight in the database (the
quote workflow is the quotes app's business; here only the order and its lines matter)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from atelier.core.choices import Role
from atelier.core.tests.factories import UserFactory
from atelier.quotes.models import Quote, RepairOrder, RepairOrderPart
from atelier.repairs.choices import CaseStatus
from atelier.repairs.models import RepairCase
from atelier.repairs.tests import conftest as repairs_fixtures
from atelier.stock.choices import LocationKind, PartKind
from atelier.stock.models import Part, StockLocation, Supplier

customer = repairs_fixtures.customer
appliance = repairs_fixtures.appliance
make_case = repairs_fixtures.make_case


@pytest.fixture
def magasinier2(site):
    return UserFactory(username="magasinier2", roles=[Role.MAGASINIER], sites=[site])


@pytest.fixture
def pump(db):
    return Part.objects.create(
        reference="POMPE-123", designation="Pompe de vidange", kind=PartKind.MOTEUR, price_ht=Decimal("48.90")
    )


@pytest.fixture
def belt(db):
    return Part.objects.create(
        reference="COURROIE-1",
        designation="Courroie 1192 J5",
        kind=PartKind.MECANIQUE,
        price_ht=Decimal("12"),
    )


@pytest.fixture
def shelf(site):
    return StockLocation.objects.create(site=site, code="A1", name="Rayon A1")


@pytest.fixture
def shelf2(site):
    return StockLocation.objects.create(site=site, code="B2", name="Rayon B2")


@pytest.fixture
def van(site, technicien):
    return StockLocation.objects.create(
        site=site, code="VEH-TECH", name="Véhicule", kind=LocationKind.VEHICULE, technician=technicien
    )


@pytest.fixture
def other_shelf(other_site):
    return StockLocation.objects.create(site=other_site, code="A1", name="Rayon A1 Lyon")


@pytest.fixture
def supplier(db):
    return Supplier.objects.create(name="Pièces Pro Distribution")


@pytest.fixture
def make_order(make_case, responsable):
    """make_order([(part, qty), …], technician=None, status=…) → a RepairOrder of a new PAR1 dossier."""
    counter = {"n": 0}

    def make(lines, *, technician=None, status=CaseStatus.ATTENTE_PIECES):
        counter["n"] += 1
        case = make_case()
        RepairCase.objects.filter(pk=case.pk).update(status=status, technician=technician)
        case.refresh_from_db()
        quote = Quote.objects.create(
            case=case,
            version=1,
            status="accepte",
            nature_of_work="Remplacement",
            place_of_work="Atelier",
            valid_until=timezone.localdate() + datetime.timedelta(days=30),
            created_by=responsable,
        )
        order = RepairOrder.objects.create(
            quote=quote,
            case=case,
            number=f"OR-PAR1-2026-{counter['n']:06d}",
            work_to_do="Remplacement",
            location="atelier",
            promised_on=timezone.localdate(),
            tools="Clé à pompe",
            technician=technician,
            created_by=responsable,
            created_at=timezone.now() + datetime.timedelta(seconds=counter["n"]),
        )
        for part, qty in lines:
            RepairOrderPart.objects.create(order=order, part=part, quantity=Decimal(qty), action="commandee")
        return order

    return make
