"""Every app's factories build valid rows (a factory that drifts from its model fails here, not in a test
that happens to use it)."""

import pytest

from atelier.core.tests.factories import SiteFactory
from atelier.fieldwork.tests.factories import ToolFactory
from atelier.knowledge.tests.factories import TechnicalDocumentFactory
from atelier.loans.tests.factories import LoanApplianceFactory
from atelier.planning.tests.factories import TechnicianProfileFactory
from atelier.quotes.tests.factories import QuoteFactory
from atelier.reception.tests.factories import ComplaintFactory, CounterFactory, TicketFactory
from atelier.repairs.tests.factories import CaseEventFactory
from atelier.stock.tests.factories import InventoryCountFactory, PartFactory, SupplierOrderFactory

pytestmark = pytest.mark.django_db

FACTORIES = [
    ToolFactory,
    LoanApplianceFactory,
    TechnicianProfileFactory,
    ComplaintFactory,
    CounterFactory,
    TicketFactory,
    InventoryCountFactory,
    SupplierOrderFactory,
]


@pytest.mark.parametrize("factory", FACTORIES, ids=lambda f: f.__name__)
def test_site_bound_factory_builds_a_row_of_the_given_site(factory):
    site = SiteFactory(code="PAR1")
    obj = factory(site=site)
    obj.full_clean()
    assert obj.site == site


def test_a_dossier_is_opened_by_the_service_and_quoted_by_the_services():
    quote = QuoteFactory(case__site=SiteFactory(code="PAR1"))
    event = CaseEventFactory(case=quote.case)
    assert quote.case.number and quote.lines.exists()
    assert event.case.events.count() >= 2


def test_global_factories_build_valid_rows():
    for obj in (PartFactory(), TechnicalDocumentFactory()):
        obj.full_clean()
