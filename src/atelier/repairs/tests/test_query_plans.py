"""The dossier list and the home page read dossiers through an index, never the whole table (issue 16).

Each test takes the very queryset the page runs (from the selectors) and asks the database for its plan
(core.plans.full_scans): on PostgreSQL sequential scans are priced out, so a few rows show whether an index
CAN serve the query; on SQLite the plan names a « SCAN » of the table when no index serves it. A new filter or
a new search path without its index fails here, on both databases.
"""

import datetime

import pytest
from django.utils import timezone

from atelier.core.choices import Role
from atelier.core.days import day_range
from atelier.core.plans import explain, full_scans
from atelier.core.search import prefix_end
from atelier.core.tests.factories import UserFactory
from atelier.customers.models import Appliance, Customer
from atelier.repairs import search, selectors
from atelier.repairs.choices import CaseStatus, WorkLocation
from atelier.repairs.home import case_counts
from atelier.repairs.models import RepairCase
from atelier.repairs.views import LIST_COUNT_CAP, PAGE_SIZE

pytestmark = pytest.mark.django_db

TABLES = ("repairs_repaircase", "customers_customer")


@pytest.fixture
def history(site, other_site, accueil):
    """A few dossiers on two sites, open and closed, over two years."""
    now = timezone.now()
    for n, shop in enumerate([site, other_site] * 6):
        customer = Customer.objects.create(
            site=shop,
            last_name="Martin" if n in (3, 10) else "Durand",
            phone=f"+3361234{n:04d}",
            postcode="75011",
        )
        appliance = Appliance.objects.create(
            customer=customer, family="lave_linge", brand="Bosch", serial_number=f"WX{n:08d}"
        )
        closed = n % 3 == 0
        RepairCase.objects.create(
            site=shop,
            number=f"{shop.code}-2026-{n:06d}",
            customer=customer,
            appliance=appliance,
            customer_words="Ne chauffe plus.",
            received_by=accueil,
            received_at=now - datetime.timedelta(days=40 * n),
            status=CaseStatus.CLOTURE if closed else CaseStatus.PRET,
            closed_at=now - datetime.timedelta(days=40 * n - 5) if closed else None,
        )


@pytest.fixture
def manager(site, other_site):
    """A chain manager: every site, every role (the list across sites)."""
    user = UserFactory(username="reseau", roles=list(Role), sites=[site, other_site])
    user.is_chain_manager = True
    user.save(update_fields=["is_chain_manager"])
    return user


def _assert_indexed(queryset):
    assert full_scans(queryset, TABLES) == [], explain(queryset)


def _page(**filters):
    return selectors.case_list(**filters)[:PAGE_SIZE]


@pytest.mark.parametrize("who", ["accueil", "manager"])
def test_the_list_newest_first_walks_an_index_per_site_and_across_sites(history, who, request):
    user = request.getfixturevalue(who)
    _assert_indexed(_page(user=user))
    _assert_indexed(selectors.case_list(user=user)[PAGE_SIZE * 49 : PAGE_SIZE * 50])  # ?page=50
    # the capped count (« plus de 10 000 ») of the same list
    _assert_indexed(selectors.case_list(user=user).order_by()[: LIST_COUNT_CAP + 1])


@pytest.mark.parametrize("who", ["accueil", "manager"])
@pytest.mark.parametrize(
    "filters",
    [
        {"status": CaseStatus.PRET},
        {"status": CaseStatus.CLOTURE},
        {"status": "ouverts"},
        {"status": "a_rendre", "changed_before": datetime.date(2026, 11, 1)},
        {"status": CaseStatus.ACCEPTE, "unassigned": True},
        {"location": WorkLocation.DOMICILE},
        {"date_from": datetime.date(2026, 11, 1), "date_to": datetime.date(2026, 11, 30)},
    ],
    ids=lambda f: "-".join(f"{k}={v}" for k, v in f.items()),
)
def test_each_filter_of_the_list_reads_an_index(history, who, filters, request):
    _assert_indexed(_page(user=request.getfixturevalue(who), **filters))


def test_the_list_of_one_site_and_of_one_technician_read_an_index(history, manager, site, technicien):
    _assert_indexed(_page(user=manager, site=site))
    _assert_indexed(_page(user=manager, technician=technicien))


@pytest.mark.parametrize("who", ["accueil", "manager"])
@pytest.mark.parametrize(
    "query",
    [
        "PAR1-2026-000002",
        "PAR1-2026",
        "2026-000002",
        "4",
        "06 12 34 00 01",
        "06 12 34",
        "75011",
        "WX000003",
        "martin",
    ],
)
def test_each_kind_of_search_reads_an_index(history, who, query, request):
    user = request.getfixturevalue(who)
    _assert_indexed(_page(user=user, query=query))
    _assert_indexed(selectors.case_list(user=user, query=query).order_by()[:1001])


def test_home_queries_read_the_open_dossiers_through_an_index(history, manager, accueil):
    for user in (accueil, manager):
        _assert_indexed(selectors.open_cases(user))
        _assert_indexed(selectors.status_counts_queryset(user))
        for spec in selectors.home_panel_specs(user):
            panel = selectors.first_rows(spec["queryset"], selectors.PANEL_SIZE)
            assert full_scans(panel, (*TABLES, "customers_appliance")) == [], (spec["key"], explain(panel))


def test_a_closed_dossier_is_never_counted_on_the_home_page(history, accueil, site):
    counts = case_counts(accueil)
    assert counts["open"] == RepairCase.objects.filter(site=site, status=CaseStatus.PRET).count() == 4


@pytest.mark.parametrize(
    ("typed", "kind", "text"),
    [
        ("PAR1-2026-000123", "number", "PAR1-2026-000123"),
        ("par1-2026-0001", "number", "PAR1-2026-0001"),
        ("2026-000123", "sequence", "2026-000123"),
        ("123", "sequence", "123"),
        ("000123", "sequence", "000123"),
        ("75011", "postcode", "75011"),
        ("06 12 34 56 78", "phone", "+33612345678"),
        ("06.12.34", "phone", "+3361234"),
        ("+33 6 12 34 56 78", "phone", "+33612345678"),
        ("FD9503-123456", "serial", "FD9503-123456"),
        ("wan28208ff", "serial", "WAN28208FF"),
        ("Lefèvre", "name", "lefevre"),
        ("  Martin   Camille ", "name", "martin camille"),
        ("€€", "nothing", ""),
    ],
)
def test_the_search_box_is_read_by_what_was_typed(typed, kind, text):
    assert search.read(typed) == search.Search(kind, text)


def test_each_kind_of_search_finds_its_dossier(history, accueil, site):
    def found(query):
        return sorted(selectors.case_list(user=accueil, query=query).values_list("number", flat=True))

    assert found("PAR1-2026-000002") == ["PAR1-2026-000002"]
    assert found("par1-2026-00001") == ["PAR1-2026-000010"]
    assert found("4") == ["PAR1-2026-000004"]  # this year's number 4 of the user's sites
    assert found("2026-000002") == ["PAR1-2026-000002"]
    assert found("06 12 34 00 02") == ["PAR1-2026-000002"]
    assert found("WX00000002") == ["PAR1-2026-000002"]
    assert found("mart") == ["PAR1-2026-000010"]  # the other Martin is of the other site
    assert len(found("75011")) == 6
    assert found("LYO1-2026-000001") == []  # another site's dossier is not found
    assert found("€€") == []


def test_a_prefix_ends_after_every_text_that_starts_with_it():
    assert prefix_end("mart") == "maru"
    assert prefix_end("a" + chr(0x10FFFF)) == "b"


def test_day_ranges_follow_the_local_day():
    start, end = day_range(datetime.date(2026, 3, 29))  # the night clocks go forward in Paris
    assert (start.isoformat(), end.isoformat()) == ("2026-03-29T00:00:00+01:00", "2026-03-30T00:00:00+02:00")


def test_the_week_s_visits_read_an_index_per_site_and_across_sites(history, site):
    """The home's « my visits this week », the workshop week and the visit reminders filter on planned_for: a
    full scan of every dossier before its index (found by bench/bench_pages.py at 1,000,000 dossiers)."""
    start, end = (
        day_range(timezone.localdate())[0],
        day_range(timezone.localdate() + datetime.timedelta(days=7))[0],
    )
    week = RepairCase.objects.filter(planned_for__gte=start, planned_for__lt=end)
    _assert_indexed(week.filter(site=site))
    _assert_indexed(week)
