import datetime
from decimal import Decimal

import pytest

from atelier.core.choices import TariffKind
from atelier.core.models import SiteTariff
from atelier.diagnostics.models import Question
from atelier.repairs.tests import conftest as repairs_fixtures
from atelier.stock.choices import Availability, PartKind
from atelier.stock.models import Part

# The dossier fixtures of the repairs tests (a Bosch washing machine that does not drain), shared here.
customer = repairs_fixtures.customer
appliance = repairs_fixtures.appliance
make_case = repairs_fixtures.make_case


@pytest.fixture
def case(make_case):
    return make_case()


@pytest.fixture
def tariffs(site):
    on = datetime.date(2024, 1, 1)
    for kind, amount in ((TariffKind.DIAGNOSIS_FEE, "39.00"), (TariffKind.HOURLY_WORKSHOP, "58.00")):
        SiteTariff.objects.update_or_create(
            site=site, kind=kind, valid_from=on, defaults={"amount": Decimal(amount)}
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


def q(key: str, family: str = "") -> Question:
    """A seeded question by key: the family's own first, else the common one."""
    return Question.objects.filter(key=key, family__in=[family, ""]).order_by("-family").first()


def instrument(site, serial="FLK-1", *, kind="multimetre", days_left=200, status="en_service"):
    """A measuring instrument of the site's tool register, its check due in `days_left` days."""
    from django.utils import timezone

    from atelier.fieldwork.models import Tool, ToolKind

    today = timezone.localdate()
    return Tool.objects.create(
        site=site,
        kind=ToolKind.objects.get(code=kind),
        serial=serial,
        label="Fluke 117",
        status=status,
        last_checked_on=today - datetime.timedelta(days=365 - days_left),
        next_check_on=today + datetime.timedelta(days=days_left),
    )


@pytest.fixture
def multimeter(site):
    return instrument(site)
