import pytest

from atelier.core.choices import Role
from atelier.core.tests.factories import UserFactory
from atelier.customers.models import Appliance, Customer
from atelier.fieldwork.models import SiteRules
from atelier.repairs import extensions
from atelier.repairs import services as case_services
from atelier.repairs.services import case_open
from atelier.repairs.tests import conftest as repairs_fixtures

customer = repairs_fixtures.customer
appliance = repairs_fixtures.appliance
make_case = repairs_fixtures.make_case


@pytest.fixture
def rules_off(site):
    """Only the procedures' condition on commissioning is left (no installation / safety test asked)."""
    return SiteRules.objects.create(site=site, enforced=False)


@pytest.fixture
def other_technicien(other_site):
    return UserFactory(username="tech-lyon", roles=[Role.TECHNICIEN], sites=[other_site])


@pytest.fixture
def other_case(other_site):
    actor = UserFactory(username="acc-lyon", roles=[Role.ACCUEIL], sites=[other_site])
    customer = Customer.objects.create(site=other_site, last_name="Morel", phone="+33698765432")
    appliance = Appliance.objects.create(customer=customer, family="lave_linge", brand="Whirlpool")
    return case_open(actor=actor, customer=customer, appliance=appliance, customer_words="Fuite d'eau.")


def walk_to_repaired(case, accueil, technicien):
    """Up to « Réparé », the other apps' step conditions aside (their own tests check them)."""
    with extensions.recording_history():
        for service, actor, kwargs in (
            (case_services.case_prediagnose, accueil, {"note": "Ne vidange plus."}),
            (case_services.case_send_quote, accueil, {"note": "Devis 129 €"}),
            (case_services.case_accept_quote, accueil, {}),
            (case_services.case_receive_in_workshop, technicien, {}),
            (case_services.case_start_repair, technicien, {}),
            (case_services.case_mark_repaired, technicien, {"note": "Pompe remplacée."}),
        ):
            case = service(case=case, actor=actor, **kwargs)
    return case
