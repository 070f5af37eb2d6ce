"""Customer search goes through an index for each kind of search, on SQLite and PostgreSQL (issue 16).

core.plans.full_scans names the tables a query's plan reads whole (on PostgreSQL sequential scans are priced out,
so a few rows show whether an index CAN serve the query). The querysets are the selectors' own: what the list,
the API, the reception desk and the drop-off booking run.
"""

import pytest
from django.db import connection

from atelier.core.plans import explain, full_scans
from atelier.core.tests.factories import UserFactory
from atelier.customers.selectors import customer_list, customer_search
from atelier.customers.tests.factories import ApplianceFactory, CustomerFactory

TABLES = ("customers_customer", "customers_appliance", "customers_nameword")
NAME_ORDER = ("last_name", "first_name", "pk")  # the list's default column (customers.views.CUSTOMER_COLUMNS)


@pytest.fixture
def customers(site, other_site):
    for i, (last, first) in enumerate(
        [("Martin", "Paul"), ("Dupont", "Marie"), ("Lefèvre", "Élodie"), ("Bernard", "Hélène")] * 5
    ):
        customer = CustomerFactory(
            site=site if i % 3 else other_site,
            last_name=last,
            first_name=first,
            phone=f"+3361234{i:04d}",
            postcode=f"750{i % 20 + 1:02d}",
        )
        ApplianceFactory(customer=customer, serial_number=f"FD95{i:04d}-12")


SEARCHES = [
    "martin",  # a name
    "Hélène Bernard",  # first and last name, accents
    "06 12 34 00 07",  # a whole phone number
    "06 12 34",  # its beginning
    "+33 6 12",
    "75011",  # a postcode
    "FD950007",  # a serial number's beginning
    "marie.dupont@",  # an e-mail's beginning
    "martin 75011",  # a name and a postcode
    "dupont 06 12",  # a name and a phone's beginning
]


@pytest.mark.parametrize("query", SEARCHES)
@pytest.mark.parametrize("who", ["accueil", "chain_manager", "chain_manager_one_site"])
def test_customer_search_reads_no_table_whole(customers, accueil, site, query, who):
    """Also for one site of several (the list's site filter, the reception desk, the drop-off booking)."""
    user = accueil if who == "accueil" else UserFactory(username="reseau", is_chain_manager=True)
    site_id = site.pk if who == "chain_manager_one_site" else None
    searched = customer_search(user=user, query=query, site_id=site_id)
    assert full_scans(searched, TABLES) == [], explain(searched)
    page = customer_list(user=user, query=query, site_id=site_id).order_by(*NAME_ORDER)[:25]
    assert full_scans(page, TABLES) == [], explain(page)
    if connection.vendor == "sqlite":  # nor walks a whole site (or every site) in the list's order
        assert "customers_customer USING INDEX customer_" not in explain(page), explain(page)


@pytest.mark.parametrize("who", ["accueil", "chain_manager"])
def test_the_list_without_search_is_read_in_the_order_of_an_index(customers, accueil, who):
    user = accueil if who == "accueil" else UserFactory(username="reseau", is_chain_manager=True)
    page = customer_list(user=user).order_by(*NAME_ORDER)[:25]
    assert full_scans(page, TABLES) == [], explain(page)
