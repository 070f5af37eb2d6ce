"""A repaired dossier with its accepted quote (pump + 1.5 h: 131,40 HT, 157,68 TTC), billing rules on."""

import datetime
from decimal import Decimal

import pytest

from atelier.billing.models import ClosingRulesStart
from atelier.quotes import decisions as quote_decisions
from atelier.quotes import services as quote_services
from atelier.quotes.tests import conftest as quotes_fixtures
from atelier.repairs import extensions
from atelier.repairs import services as case_services
from atelier.stock import selectors as stock_selectors

customer = quotes_fixtures.customer
appliance = quotes_fixtures.appliance
make_case = quotes_fixtures.make_case
case = quotes_fixtures.case
pump = quotes_fixtures.pump
solution = quotes_fixtures.solution
labelled = quotes_fixtures.labelled

NO_USED = "Aucune pompe d'occasion disponible chez nos fournisseurs."
SIGNATURE = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9aw"
    "AAAABJRU5ErkJggg=="
)


@pytest.fixture
def billing_on(site):
    return ClosingRulesStart.objects.create(site=site, since=datetime.date(2020, 1, 1))


@pytest.fixture
def consumed(monkeypatch):
    """What the stock says was used on a dossier: {part_id: quantity}, set by the test."""
    used: dict = {}
    monkeypatch.setattr(stock_selectors, "consumed_on_case", lambda case: dict(used), raising=False)
    return used


def walk_to_ready(case, quote, accueil, technicien):
    accept_on_paper(quote, accueil)
    return repair_in_workshop(case, technicien)


def accept_on_paper(quote, accueil):
    quote_services.quote_send(quote=quote, actor=accueil, channel="papier")
    quote_decisions.quote_accept(quote=quote, actor=accueil, signer_name="Nadia Lefèvre")
    quote.refresh_from_db()
    return quote


def repair_in_workshop(case, technicien):
    # the repair itself is not billing's business: fieldwork tests its safety steps (PPE, tests, commissioning)
    with extensions.recording_history():
        for service, kw in (
            (case_services.case_receive_in_workshop, {}),
            (case_services.case_start_repair, {}),
            (case_services.case_mark_repaired, {"note": "Pompe remplacée."}),
            (case_services.case_commission, {"note": "Vidange OK."}),
        ):
            service(case=case, actor=technicien, **kw)
    case.refresh_from_db()
    return case


@pytest.fixture
def ready_case(case, solution, accueil, technicien, pump, consumed, billing_on):
    """Status « prêt », the pump used as quoted."""
    quote = quote_services.quote_create(case=case, actor=accueil, solution=solution, used_part_info=NO_USED)
    consumed[pump.pk] = Decimal("1")
    return walk_to_ready(case, quote, accueil, technicien)


@pytest.fixture
def invoice(ready_case, accueil):
    from atelier.billing.services import invoice_issue

    return invoice_issue(case=ready_case, actor=accueil)
