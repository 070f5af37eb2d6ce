import datetime
from decimal import Decimal

import pytest

from atelier.core.choices import TariffKind
from atelier.core.models import SiteTariff
from atelier.quotes.models import BonusLabel
from atelier.quotes.services import solution_create
from atelier.repairs.services import case_prediagnose
from atelier.repairs.tests import conftest as repairs_fixtures
from atelier.stock.choices import Availability, PartCondition, PartKind
from atelier.stock.models import Part

# The dossier fixtures of the repairs tests, shared here.
customer = repairs_fixtures.customer
appliance = repairs_fixtures.appliance
make_case = repairs_fixtures.make_case


@pytest.fixture
def diagnosis_fee(site):
    return SiteTariff.objects.create(
        site=site,
        kind=TariffKind.DIAGNOSIS_FEE,
        amount=Decimal("35.00"),
        valid_from=datetime.date(2024, 1, 1),
    )


@pytest.fixture
def pump(db):
    return Part.objects.create(
        reference="BSH-00145212",
        designation="Pompe de vidange",
        kind=PartKind.MOTEUR,
        price_ht=Decimal("48.90"),
        availability=Availability.A_COMMANDER,
        lead_time_days=5,
    )


@pytest.fixture
def used_pump(pump):
    return Part.objects.create(
        reference="BSH-00145212-OCC",
        designation="Pompe de vidange",
        kind=PartKind.MOTEUR,
        condition=PartCondition.OCCASION,
        price_ht=Decimal("24.00"),
        availability=Availability.EN_STOCK,
        equivalent_of=pump,
    )


@pytest.fixture
def case(make_case, accueil):
    case = make_case()
    case_prediagnose(case=case, actor=accueil, note="Pompe de vidange bloquée.")
    return case


@pytest.fixture
def solution(case, accueil, pump):
    return solution_create(
        case=case,
        actor=accueil,
        title="Remplacement de la pompe de vidange",
        work_description="Dépose et remplacement de la pompe de vidange, essai de vidange.",
        labour_hours="1.5",
        parts=[(pump, 1)],
    )


@pytest.fixture
def used_solution(case, accueil, used_pump):
    return solution_create(
        case=case,
        actor=accueil,
        title="Pompe d'occasion",
        work_description="Remplacement de la pompe de vidange par une pompe d'occasion testée.",
        labour_hours="1.5",
        parts=[(used_pump, 1)],
    )


@pytest.fixture
def labelled(site):
    return BonusLabel.objects.create(
        site=site, label_number="QR-2024-0001", valid_from=datetime.date(2024, 1, 1)
    )
