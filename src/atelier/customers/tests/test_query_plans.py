"""Customer search goes through an index for each kind of search, on SQLite and PostgreSQL (issue 16).

core.plans.full_scans names the tables a query's plan reads whole (on PostgreSQL sequential scans are priced out,
so a few rows show whether an index CAN serve the query). The querysets are the selectors' own: what the list,
the API, the reception desk and the drop-off booking run.
"""

import pytest
from django.db import connection, transaction

from atelier.core.plans import explain, full_scans
from atelier.core.tests.factories import UserFactory
from atelier.customers.models import Customer
from atelier.customers.selectors import (
    PrefixFirst,
    customer_list,
    customer_results,
    customer_search,
    search_condition,
    sorts_the_matches,
    unindexed_order,
)
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


# what is typed → the index its path must go through (PostgreSQL, SQLite)
NAME = ("customer_search_trgm", "customer_nameword")
SEARCHES = {
    "martin": NAME,
    "Hélène Bernard": NAME,  # first and last name, accents
    "06 12 34 00 07": ("phone", "phone"),  # a whole phone number
    "06 12 34": ("phone", "phone"),  # its beginning
    "+33 6 12": ("phone", "phone"),
    "75011": ("postcode", "postcode"),
    "FD950007": ("serial_number", "serial_number"),  # a serial number's beginning
    "marie.dupont@": ("email", "email"),  # an e-mail's beginning
    "martin 75011": ("Bitmap Index Scan", "customer_nameword"),  # name and postcode: either index serves
    "dupont 06 12": ("Bitmap Index Scan", "customer_nameword"),  # a name and a phone's beginning
}


def _pg_bitmap_plan(queryset, without=("enable_seqscan", "enable_indexscan", "enable_indexonlyscan")) -> str:
    """PostgreSQL's plan when only index CONDITIONS may serve (no table or whole-index walk): on a few rows it
    would otherwise walk any index, priced the same, so this shows which index the search itself can use.
    `without` the plans to price out (with "enable_sort": whether an index gives the order)."""
    sql, params = queryset.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        for setting in without:
            cursor.execute(f"SET LOCAL {setting} = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize("query", SEARCHES)
@pytest.mark.parametrize("who", ["accueil", "chain_manager", "chain_manager_one_site"])
def test_customer_search_reads_no_table_whole(customers, accueil, site, query, who):
    """Also for one site of several (the list's site filter, the reception desk, the drop-off booking)."""
    user = accueil if who == "accueil" else UserFactory(username="reseau", is_chain_manager=True)
    site_id = site.pk if who == "chain_manager_one_site" else None
    searched = customer_search(user=user, query=query, site_id=site_id)
    assert full_scans(searched, TABLES) == [], explain(searched)
    if connection.vendor == "sqlite":
        assert SEARCHES[query][1] in explain(searched), explain(searched)
    else:  # the search's own condition, without the sites' (on a few rows PostgreSQL may take either)
        alone = Customer.objects.filter(search_condition(query))
        assert SEARCHES[query][0] in _pg_bitmap_plan(alone), _pg_bitmap_plan(alone)
    page = customer_list(user=user, query=query, site_id=site_id).order_by(*NAME_ORDER)[:25]
    assert full_scans(page, TABLES) == [], explain(page)
    if connection.vendor == "sqlite":  # nor walks a whole site (or every site) in the list's order
        assert "customers_customer USING INDEX customer_" not in explain(page), explain(page)


@pytest.mark.parametrize("who", ["accueil", "chain_manager"])
def test_the_list_without_search_is_read_in_the_order_of_an_index(customers, accueil, who):
    user = accueil if who == "accueil" else UserFactory(username="reseau", is_chain_manager=True)
    page = customer_list(user=user).order_by(*NAME_ORDER)[:25]
    assert full_scans(page, TABLES) == [], explain(page)


@pytest.mark.parametrize("who", ["accueil", "chain_manager"])
def test_a_name_search_sorts_its_matches_instead_of_walking_the_name_order(customers, accueil, who):
    """PostgreSQL walked the name-order index filtering each customer, judging the « meunier » spread over the
    alphabet whereas they all sit at « M » (1.0–1.3 s at a million dossiers, issue 16): with a name word of three
    letters or more, the list sorts the trigram index's matches (same order, written so no index gives it)."""
    user = accueil if who == "accueil" else UserFactory(username="reseau", is_chain_manager=True)
    assert sorts_the_matches("martin") is (connection.vendor == "postgresql")
    assert [sorts_the_matches(q) for q in ("ma", "06 12 34", "75011", "FD950007", "martin 75011")] == [
        False,
        False,
        False,
        False,
        connection.vendor == "postgresql",
    ]
    page = customer_list(user=user, query="martin").order_by(*unindexed_order(list(NAME_ORDER)))[:25]
    assert full_scans(page, TABLES) == [], explain(page)
    if connection.vendor == "postgresql":
        plan = explain(page)  # the order comes from sorting the matches (an index may still find the site's)
        assert "Sort Key: customers_customer.last_name NULLS FIRST" in plan, plan


@pytest.mark.parametrize("sort", ["", "-name", "phone"])
def test_a_name_search_lists_its_customers_in_the_order_asked(client, site, accueil, sort):
    """The order of the page is the column's, whichever way the database gets it (exact rows)."""
    for last, first, phone in [
        ("Marchand", "Zoé", "+33600000003"),
        ("Martin", "Paul", "+33600000001"),
        ("Martin", "Anne", "+33600000004"),
        ("Dumartin", "Luc", "+33600000002"),
        ("Bernard", "Hélène", "+33600000005"),
    ]:
        CustomerFactory(site=site, last_name=last, first_name=first, phone=phone)
    client.force_login(accueil)
    response = client.get("/clients/", {"q": "mar", **({"sort": sort} if sort else {})})
    names = [f"{c.last_name} {c.first_name}" for c in response.context["customers"]]
    found = {  # SQLite: « mar » begins a word of the name; PostgreSQL: anywhere in it
        "sqlite": ["Marchand Zoé", "Martin Anne", "Martin Paul"],
        "postgresql": ["Dumartin Luc", "Marchand Zoé", "Martin Anne", "Martin Paul"],
    }[connection.vendor]
    if sort == "" and connection.vendor == "postgresql":  # names beginning with « mar » first (PrefixFirst)
        found = ["Marchand Zoé", "Martin Anne", "Martin Paul", "Dumartin Luc"]
    elif sort == "-name":
        found = found[::-1]
    elif sort == "phone":
        found = sorted(
            found, key=lambda n: {"Martin Paul": 1, "Dumartin Luc": 2, "Marchand Zoé": 3}.get(n, 4)
        )
    assert names == found


@pytest.mark.parametrize("who", ["accueil", "chain_manager"])
def test_a_postcode_search_walks_the_postcode_in_the_list_s_order(site, other_site, accueil, who):
    """« 33870 »: the postcode's customers in name order from customer_postcode_name, the page stopping at its
    25 (the capped count reads the index alone at scale, docs/performance.md « Sixth run »). PostgreSQL walked
    the site's whole name order testing each postcode (17,900 customers read for 25 at a million dossiers, issue
    16); a (site, postcode…) index would have left the chain manager, who asks « site IN (four sites) », to sort
    every match."""
    for last, first, shop, postcode in [
        ("Roux", "Léa", site, "33870"),
        ("Blanc", "Yves", other_site, "33870"),
        ("Arnaud", "Zoé", site, "33870"),
        ("Arnaud", "Anne", site, "33870"),
        ("Arnaud", "Bruno", site, "33000"),
        ("Morel", "Luc", other_site, "33870"),
    ]:
        CustomerFactory(site=shop, last_name=last, first_name=first, postcode=postcode)
    user = accueil if who == "accueil" else UserFactory(username="reseau", is_chain_manager=True)
    page = customer_list(user=user, query="33870").order_by(*NAME_ORDER)[:25]
    assert [f"{c.last_name} {c.first_name}" for c in page] == {
        "accueil": ["Arnaud Anne", "Arnaud Zoé", "Roux Léa"],
        "chain_manager": ["Arnaud Anne", "Arnaud Zoé", "Blanc Yves", "Morel Luc", "Roux Léa"],
    }[who]
    assert full_scans(page, TABLES) == [], explain(page)
    counted = customer_search(user=user, query="33870").order_by().values("pk")[:501]
    assert counted.count() == {"accueil": 3, "chain_manager": 5}[who]
    if connection.vendor == "postgresql":
        plan = explain(page)
        assert "Index Scan using customer_postcode_name" in plan and "Sort" not in plan, plan
        # the count: an index of the postcode (on a few rows never vacuumed PostgreSQL prices the heap visits of
        # an index-only scan like any other; at a million dossiers it reads customer_postcode_name alone)
        assert "postcode" in explain(counted) and "Sort" not in explain(counted), explain(counted)


def test_a_name_s_beginning_reads_the_name_key_b_tree_in_order(db):
    """PostgreSQL: « meunier… » (the dossier search, repairs.search._named) from the B-tree on search_name, a
    range read in key order that a LIMIT stops, where the trigram index builds a bitmap of every match first.
    The customer list's « contains » (anywhere in the name) keeps the trigram index: a B-tree cannot narrow it."""
    for last in ("Meunier", "Lemeunier", "Meuniez", "Martin"):
        CustomerFactory(last_name=last, first_name="Paul")
    named = Customer.objects.filter(search_name__startswith="meunier").order_by("last_name")
    assert [c.last_name for c in named] == ["Meunier"]
    contains = Customer.objects.filter(search_condition("meunier")).order_by("last_name")
    expected = {"postgresql": ["Lemeunier", "Meunier"], "sqlite": ["Meunier"]}[connection.vendor]
    assert [c.last_name for c in contains] == expected
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # a few rows unanalysed: PostgreSQL would price every index alike
            cursor.execute("ANALYZE customers_customer")
        ids = named.order_by().values("pk")[:2001]
        assert "using customer_name_sort" in explain(ids), explain(ids)  # index-only once vacuumed
        assert "customer_search_trgm" in _pg_bitmap_plan(contains), _pg_bitmap_plan(contains)


def _meuniers(site, other_site) -> None:
    for last, first, shop in [
        ("Meunier", "Paul", site),
        ("Lemeunier", "Anne", site),
        ("Meunier", "Éric", other_site),
        ("MEUNIER-Roux", "Zoé", site),
        ("Dumeunier", "Luc", other_site),
        ("Meunière", "Léa", site),
        ("Martin", "Paul", site),
    ]:
        CustomerFactory(site=shop, last_name=last, first_name=first)


@pytest.mark.parametrize("who", ["accueil", "chain_manager"])
def test_a_name_search_lists_the_names_beginning_with_it_first_from_an_index(site, other_site, accueil, who):
    """PostgreSQL: « meunier » lists the names that begin with it in name order (accents and case aside), then
    those holding it elsewhere, in name order too; every slice a paginator may ask gives the same rows. The
    first run is a range of customer_name_sort read in its order (no sort, stopped at the page): the list in
    plain name order read and sorted every trigram match (4,500 for 25 at a million dossiers, issue 16).
    SQLite keeps the name order (its search finds a word's beginning only)."""
    _meuniers(site, other_site)
    user = accueil if who == "accueil" else UserFactory(username="reseau", is_chain_manager=True)
    found = customer_results(user=user, query="meunier")
    expected = {
        # the name key: « meunier paul » < « meunier-roux zoe » < « meuniere lea »
        ("postgresql", "accueil"): ["Meunier Paul", "MEUNIER-Roux Zoé", "Meunière Léa", "Lemeunier Anne"],
        ("postgresql", "chain_manager"): [
            "Meunier Éric",
            "Meunier Paul",
            "MEUNIER-Roux Zoé",
            "Meunière Léa",
            "Dumeunier Luc",
            "Lemeunier Anne",
        ],
        # the columns as stored, byte by byte (SQLite's BINARY collation)
        ("sqlite", "accueil"): ["MEUNIER-Roux Zoé", "Meunier Paul", "Meunière Léa"],
        ("sqlite", "chain_manager"): ["MEUNIER-Roux Zoé", "Meunier Paul", "Meunier Éric", "Meunière Léa"],
    }[connection.vendor, who]
    names = [f"{c.last_name} {c.first_name}" for c in found[:25]]
    assert names == expected
    for start in range(len(expected) + 1):  # every page boundary, the first run's end included
        for stop in range(start, len(expected) + 2):
            assert [f"{c.last_name} {c.first_name}" for c in found[start:stop]] == expected[start:stop]
    assert found.count() == len(expected)
    if connection.vendor == "postgresql":
        assert isinstance(found, PrefixFirst)
        assert found.count_upto(3) == 3
        with connection.cursor() as cursor:  # a few rows unanalysed: PostgreSQL would price every index alike
            cursor.execute("ANALYZE customers_customer")
        plan = _pg_bitmap_plan(found.beginning[:25], without=("enable_seqscan", "enable_sort"))
        assert "Index Scan using customer_name_sort" in plan and "Sort" not in plan, plan
        assert full_scans(found.elsewhere[:25], TABLES) == [], explain(found.elsewhere[:25])


def test_the_list_page_and_the_api_give_names_beginning_with_the_search_first(
    client, site, other_site, accueil
):
    _meuniers(site, other_site)
    client.force_login(accueil)
    page = client.get("/clients/", {"q": "Meunier"})
    assert page.status_code == 200
    expected = {
        "postgresql": ["Meunier Paul", "MEUNIER-Roux Zoé", "Meunière Léa", "Lemeunier Anne"],
        "sqlite": ["MEUNIER-Roux Zoé", "Meunier Paul", "Meunière Léa"],
    }[connection.vendor]
    assert [f"{c.last_name} {c.first_name}" for c in page.context["customers"]] == expected
    assert page.context["page_obj"].paginator.count == len(expected)
    said = "Noms commençant par « meunier » d'abord, puis ceux qui le contiennent."
    assert (said in page.content.decode()) is (connection.vendor == "postgresql")
    assert said not in client.get("/clients/", {"q": "Meunier", "sort": "-name"}).content.decode()
    api = client.get("/api/customers/", {"q": "Meunier"})
    assert api.status_code == 200
    assert [f"{c['last_name']} {c['first_name']}" for c in api.json()["results"]] == expected
    assert api.json()["count"] == len(expected)
