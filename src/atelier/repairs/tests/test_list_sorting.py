"""The dossier list sorted by each column header (both directions, ties by pk), its filters combined, an unknown
sort key ignored, the header links keeping the filters."""

import datetime

import pytest
from django.utils import timezone

from atelier.core.choices import Role
from atelier.core.tests.factories import UserFactory
from atelier.customers.models import Appliance, Customer
from atelier.repairs.choices import CaseStatus, WorkLocation
from atelier.repairs.models import RepairCase
from atelier.repairs.services import case_open

pytestmark = pytest.mark.django_db


@pytest.fixture
def abc(site, accueil):
    """Three dossiers A, B, C (opened in this order) whose columns each sort them differently."""
    now = timezone.now()
    zola = UserFactory(username="zola", last_name="Zola", roles=[Role.TECHNICIEN], sites=[site])
    martin = UserFactory(username="martin", last_name="Martin", roles=[Role.TECHNICIEN], sites=[site])
    rows = {
        #    customer    family            location                status                   received  changed  tech
        "A": ("Bernard", "seche_linge", WorkLocation.DOMICILE, CaseStatus.RECU, 1, 1, zola),
        "B": ("Charles", "lave_linge", WorkLocation.ATELIER, CaseStatus.PRET, 9, 5, martin),
        "C": ("Arnaud", "lave_vaisselle", WorkLocation.ATELIER, CaseStatus.EN_ATELIER, 4, 2, martin),
    }
    cases = {}
    for name, (last_name, family, location, status, received, changed, tech) in rows.items():
        customer = Customer.objects.create(site=site, last_name=last_name, phone="+33612345678")
        appliance = Appliance.objects.create(customer=customer, family=family, brand="Bosch", model_ref="X")
        case = case_open(
            actor=accueil, customer=customer, appliance=appliance, customer_words="Panne.", location=location
        )
        RepairCase.objects.filter(pk=case.pk).update(
            status=status,
            technician=tech,
            received_at=now - datetime.timedelta(days=received),
            status_changed_at=now - datetime.timedelta(days=changed),
        )
        cases[case.number] = name
    return cases


def _order(client, abc, query: str) -> str:
    response = client.get("/dossiers/?" + query)
    assert response.status_code == 200, query
    return "".join(abc[c.number] for c in response.context["page_obj"].object_list)


@pytest.mark.parametrize(
    ("column", "ascending"),
    [
        ("number", "ABC"),
        ("received_at", "BCA"),
        ("customer", "CAB"),  # Arnaud, Bernard, Charles
        ("appliance", "BCA"),  # lave_linge, lave_vaisselle, seche_linge
        ("location", "BCA"),  # atelier (B, C by pk), domicile
        ("technician", "BCA"),  # Martin (B, C by pk), Zola
        ("status", "CBA"),  # en_atelier, pret, recu
        ("status_changed_at", "BCA"),
    ],
)
def test_sorting_by_each_column(client, accueil, abc, column, ascending):
    client.force_login(accueil)
    assert _order(client, abc, f"sort={column}") == ascending
    assert _order(client, abc, f"sort=-{column}") == ascending[::-1]  # ties reversed too: pk follows


def test_default_order_is_newest_first_and_an_unknown_key_is_ignored(client, accueil, abc):
    client.force_login(accueil)
    assert _order(client, abc, "") == "ACB"
    for bad in ("sort=password", "sort=customer__password", "sort=--number", "sort=", "sort=-"):
        assert _order(client, abc, bad) == "ACB", bad
    # a NUL character is refused before any view (core.middleware.NulInQueryMiddleware)
    assert client.get("/dossiers/?sort=%00").status_code == 400


def test_filters_combine_with_the_sort(client, accueil, abc):
    client.force_login(accueil)
    martin = RepairCase.objects.filter(technician__username="martin").first().technician
    assert _order(client, abc, "status=ouverts&location=atelier&sort=customer") == "CB"
    assert (
        _order(client, abc, f"status=ouverts&location=atelier&technician={martin.pk}&sort=-customer") == "BC"
    )
    assert _order(client, abc, "location=atelier&family=lave_linge") == "B"
    assert _order(client, abc, "status=a_rendre&location=domicile") == ""
    today = timezone.localdate()
    since = (today - datetime.timedelta(days=5)).isoformat()
    assert _order(client, abc, f"date_from={since}&sort=received_at") == "CA"
    assert _order(client, abc, f"changed_before={today.isoformat()}&status=en_cours") == "C"


def test_header_links_keep_the_filters_and_toggle_the_direction(client, accueil, abc):
    client.force_login(accueil)
    response = client.get("/dossiers/?status=ouverts&sort=customer&page=1")
    headers = {h["key"]: h for h in response.context["headers"]}
    assert headers["customer"]["url"] == "?status=ouverts&sort=-customer"
    assert (headers["customer"]["direction"], headers["customer"]["aria"]) == ("asc", "ascending")
    assert headers["number"]["url"] == "?status=ouverts&sort=number"
    assert headers["number"]["direction"] == ""
    html = response.content.decode()
    assert 'aria-sort="ascending"><a class="sort sort-asc" href="?status=ouverts&amp;sort=-customer"' in html
    assert '<input type="hidden" name="sort" value="customer">' in html  # the filter form keeps the sort
