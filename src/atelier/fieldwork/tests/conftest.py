import datetime

import pytest
from django.utils import timezone

from atelier.core.choices import Role
from atelier.core.tests.factories import UserFactory
from atelier.fieldwork.models import SiteRules, Tool, ToolKind
from atelier.quotes import decisions as quote_decisions
from atelier.quotes import orders as quote_orders
from atelier.quotes import services as quote_services
from atelier.repairs.choices import WorkLocation
from atelier.repairs.services import case_prediagnose
from atelier.repairs.tests import conftest as repairs_fixtures

customer = repairs_fixtures.customer
appliance = repairs_fixtures.appliance
make_case = repairs_fixtures.make_case

TODAY = datetime.date.today


@pytest.fixture
def rules(site):
    """The site enforces the safety steps (as every site does unless switched off), recorded explicitly."""
    return SiteRules.objects.create(site=site, enforced=True)


@pytest.fixture
def rules_off(site):
    """The site's responsable switched the safety steps off."""
    return SiteRules.objects.create(site=site, enforced=False)


@pytest.fixture
def kind_insulation(db):
    return ToolKind.objects.get(code="controleur-isolement")


@pytest.fixture
def kind_pat(db):
    return ToolKind.objects.get(code="testeur-pat")


@pytest.fixture
def pat(site, kind_pat):
    """A PAT tester in service, checked: the instrument of the safety tests."""
    return make_tool(site, kind_pat, "PAT-1")


@pytest.fixture
def other_technicien(other_site):
    return UserFactory(username="tech-lyon", roles=[Role.TECHNICIEN], sites=[other_site])


def make_tool(site, kind, serial, *, holder=None, next_check_on=None, status="en_service", is_checked=True):
    today = timezone.localdate()
    return Tool.objects.create(
        site=site,
        kind=kind,
        serial=serial,
        holder=holder,
        is_checked=is_checked,
        status=status,
        last_checked_on=today - datetime.timedelta(days=30),
        next_check_on=next_check_on or today + datetime.timedelta(days=300),
    )


@pytest.fixture
def ordered_case(make_case, accueil, responsable, technicien):
    """A dossier with an accepted quote and its repair order: planned at home today, or in the workshop."""

    def make(location=WorkLocation.DOMICILE):
        case = make_case(location=location)
        case_prediagnose(case=case, actor=accueil, note="Pompe de vidange bloquée.")
        solution = quote_services.solution_create(
            case=case,
            actor=accueil,
            title="Nettoyage de la pompe",
            work_description="Dépose, nettoyage et essai de la pompe de vidange.",
            labour_hours="1",
            parts=[],
        )
        quote = quote_services.quote_create(case=case, actor=accueil, solution=solution)
        quote_services.quote_send(quote=quote, actor=responsable, channel="papier")
        quote_decisions.quote_accept(quote=quote, actor=responsable, signer_name="Nadia Lefèvre")
        home = location == WorkLocation.DOMICILE
        order = quote_orders.repair_order_create(
            quote=quote,
            actor=responsable,
            promised_on=timezone.localdate() + datetime.timedelta(days=7),
            technician=technicien if home else None,
            planned_for=timezone.now() if home else None,
        )
        case.refresh_from_db()
        return case, order

    return make


def sheet_all(case, **unticked) -> dict[str, bool]:
    """Every line of the dossier's family safety sheet ticked, except the labels given as False."""
    from atelier.fieldwork.selectors import safety_sheet

    return {str(i.pk): unticked.get(i.label, True) for i in safety_sheet(case.appliance.family)}
