"""The dossier list and the home page read dossiers through an index, never the whole table (issue 16).

Each test takes the very queryset the page runs (from the selectors) and asks the database for its plan
(core.plans.full_scans): on PostgreSQL sequential scans are priced out, so a few rows show whether an index
CAN serve the query; on SQLite the plan names a « SCAN » of the table when no index serves it. A new filter or
a new search path without its index fails here, on both databases.
"""

import datetime

import pytest
from django.db import connection
from django.db.models import Count, Max
from django.utils import timezone

from atelier.core.choices import Role
from atelier.core.days import day_range
from atelier.core.models import Site
from atelier.core.plans import explain, full_scans, sqlite_statistics
from atelier.core.search import prefix_end
from atelier.core.tests.factories import SiteFactory, UserFactory
from atelier.customers.models import Appliance, Customer
from atelier.repairs import search, selectors
from atelier.repairs.choices import CaseStatus, WorkLocation
from atelier.repairs.home import case_counts, case_counts_queryset, per_open_state
from atelier.repairs.models import OPEN_CASES, RepairCase
from atelier.repairs.views import LIST_COUNT_CAP, PAGE_SIZE, SEARCH_COUNT_CAP

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


# PostgreSQL: up to LISTED_CUSTOMERS customers found, their dossiers are asked by id; past it (0 here: any name is
# a common one) the dossiers are walked newest first joined to their customer. SQLite keeps its one path.
BY_NAME_PATHS = pytest.mark.parametrize("listed", [search.LISTED_CUSTOMERS, 0], ids=["by ids", "walk"])


def _numbers(user, query):
    return list(selectors.case_list(user=user, query=query).values_list("number", flat=True))


@BY_NAME_PATHS
def test_a_name_finds_the_same_dossiers_newest_first_by_either_path(
    history, accueil, manager, listed, monkeypatch
):
    monkeypatch.setattr(search, "LISTED_CUSTOMERS", listed)
    # the Durand of Paris (even n but 10, a Martin), newest first; the chain manager's also those of Lyon
    assert _numbers(accueil, "durand") == [f"PAR1-2026-{n:06d}" for n in (0, 2, 4, 6, 8)]
    assert _numbers(manager, "dura") == [
        f"{'LYO1' if n % 2 else 'PAR1'}-2026-{n:06d}" for n in (0, 1, 2, 4, 5, 6, 7, 8, 9, 11)
    ]
    assert _numbers(accueil, "martin") == ["PAR1-2026-000010"]  # the other Martin is of the other site
    assert _numbers(accueil, "meunier") == []
    for user in (accueil, manager):
        page = _page(user=user, query="durand")
        _assert_indexed(page)
        _assert_indexed(selectors.case_list(user=user, query="durand").order_by()[:1001])
        # the walk tests the joined customer's name; the other paths ask customer_id IN (ids or subquery)
        walked = '"customers_customer"."search_name"::text LIKE' in str(page.query)
        assert walked == (connection.vendor == "postgresql" and listed == 0), str(page.query)


@BY_NAME_PATHS
def test_renaming_a_customer_moves_their_dossiers_to_the_new_name_in_the_search(
    history, accueil, site, listed, monkeypatch
):
    monkeypatch.setattr(search, "LISTED_CUSTOMERS", listed)
    martin = Customer.objects.get(site=site, last_name="Martin")
    martin.last_name = "Meunier"
    martin.first_name = "Camille"
    martin.save()
    assert _numbers(accueil, "meunier") == ["PAR1-2026-000010"]
    assert _numbers(accueil, "meunier cam") == ["PAR1-2026-000010"]
    assert _numbers(accueil, "meunier x") == []
    assert _numbers(accueil, "martin") == []


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


# sqlite_stat1 of the benchmark's SQLite database at 200,000 dossiers (bench/bench_pages.py, four sites): what
# SQLite plans with on a real shop's history. Its averages judge any state as common as the closed one.
LARGE_SQLITE_STATS = {
    "repairs_repaircase": {
        "repaircase_location": "200106 100053 1 1",  # two values (repairs 0005, figures of its shape)
        "repaircase_planned": "200106 3639",
        "repaircase_received": "200106 1 1",
        "repaircase_site_closed": "200106 50027 4258 1",
        "repaircase_site_location": "200106 50027 25014 1 1",
        "repaircase_site_planned": "200106 50027 3451",
        "repaircase_site_received": "200106 50027 1 1",
        "repaircase_site_status": "200106 50027 4258 1 1",
        "repaircase_status_received": "200106 13341 1 1",
        "repaircase_technician": "200106 14294 1 1",
        "repairs_repaircase_appliance_id_b18af9e7": "200106 2",
        "repairs_repaircase_customer_id_983137ac": "200106 3",
        "repairs_repaircase_received_by_id_026a0ede": "200106 15393",
        "sqlite_autoindex_repairs_repaircase_1": "200106 50027 1",
    },
    "customers_customer": {
        "customer_lastname_ci": "100040 667 170",
        "customer_name_order": "100040 667 23 1",
        "customer_site_name_order": "100040 25010 170 22 1",
        "customers_customer_created_by_id_e3e9e010": "100040 33347",
        "customers_customer_email_300e404b": "100040 1",
        "customers_customer_phone2_d4b88dcc": "100040 20008",
        "customers_customer_phone_01182399": "100040 1",
        "customers_customer_postcode_74dd593b": "100040 141",
        "customers_customer_site_id_121b2e13": "100040 25010",
    },
    "customers_nameword": {
        "customer_nameword": "209752 774 1",
        "customers_nameword_customer_id_9f965f2d": "209752 3",
    },
}


@pytest.fixture
def large_statistics(history):
    """The benchmark's statistics, and its four sites (a chain manager sees them all)."""
    SiteFactory(code="MRS1", siret="73282932000090")
    SiteFactory(code="LIL1", siret="73282932000108")
    sqlite_statistics(LARGE_SQLITE_STATS)


def test_the_home_counts_per_open_state_read_no_dossier_table_whole(large_statistics, manager, accueil):
    """One aggregate per open state (home.per_open_state): « status IN (13 states) » across sites read the whole
    table on SQLite with a large shop's statistics (« SCAN repairs_repaircase », 78–109 ms at 200,000)."""
    # the columns the home's counts read besides the state (home.case_counts)
    read = ("status", "received_at", "status_changed_at", "technician_id", "location", "planned_for")
    everything = RepairCase.objects.visible_to(manager).order_by()
    if connection.vendor == "sqlite":  # the statistics do reproduce what the benchmark found
        assert full_scans(everything.filter(OPEN_CASES).values(*read), TABLES) == ["repairs_repaircase"]
    for user in (accueil, manager):
        _assert_indexed(selectors.status_counts_queryset(user))
        _assert_indexed(case_counts_queryset(user))  # the query the home reads (per state: only its counts)
        visible = RepairCase.objects.visible_to(user)
        _assert_indexed(per_open_state(visible, open=Count("pk"), **{f: Max(f) for f in read[1:]}))


def test_the_home_counts_of_a_chain_manager_count_every_open_dossier_of_every_site(
    history, manager, other_site
):
    """The per-state parts add up: 8 open dossiers on two sites (4 closed ones never counted)."""
    ready = RepairCase.objects.filter(status=CaseStatus.PRET).order_by("number")
    RepairCase.objects.filter(pk__in=[c.pk for c in ready[:3]]).update(
        status_changed_at=timezone.now() - datetime.timedelta(days=10)
    )
    RepairCase.objects.filter(pk=ready.filter(site=other_site).last().pk).update(
        status=CaseStatus.RENDU, received_at=timezone.now()
    )
    counts = case_counts(manager)
    assert {
        k: counts[k] for k in ("open", "to_hand_back", "not_collected", "to_close", "received_today")
    } == {
        "open": 8,
        "to_hand_back": 7,
        "not_collected": 3,
        "to_close": 1,
        "received_today": 1,
    }
    assert {row["status"]: row["count"] for row in selectors.status_counts(manager) if row["count"]} == {
        CaseStatus.PRET: 7,
        CaseStatus.RENDU: 1,
    }


def test_the_workshop_queue_seeks_its_states_instead_of_walking_the_site(large_statistics, site):
    """planning.workshop.bench_cases (home and /planning/atelier/): ordered by date, SQLite walked every dossier
    of the site newest first (repaircase_site_received, 101–124 ms at 200,000) to spare sorting a few rows."""
    from atelier.planning.workshop import bench_cases

    queue = bench_cases(site)
    _assert_indexed(queue)
    if connection.vendor == "sqlite":
        assert "repaircase_site_received" not in explain(queue), explain(queue)


def test_the_search_by_name_reads_the_name_words_not_every_customer(large_statistics, manager, accueil):
    """On SQLite a name goes through customers.NameWord: it went through every customer of the site (every
    customer for a chain manager: « SCAN customers_customer ») testing search_name (issue 16)."""
    for user in (accueil, manager):
        _assert_indexed(_page(user=user, query="martin"))
        _assert_indexed(selectors.case_list(user=user, query="mart").order_by()[:1001])
        if connection.vendor == "sqlite":
            assert "customer_nameword" in explain(_page(user=user, query="martin"))


def test_the_technician_s_late_count_seeks_the_open_states_not_all_their_dossiers(
    large_statistics, technicien
):
    """The quotes panel's « Dossiers en retard » for a technician (quotes.plugins.home_actions): as one count it
    walked every dossier of the technician (`repaircase_technician`, 14,000 at 200,000 dossiers); one count per
    open state seeks the site's dossiers of that state."""
    from atelier.quotes.plugins import late_cases

    mine = RepairCase.objects.visible_to(technicien).filter(technician=technicien)
    counted = per_open_state(late_cases(mine, technicien), n=Count("pk"))
    _assert_indexed(counted)
    if connection.vendor == "sqlite":
        assert "repaircase_technician" not in explain(counted), explain(counted)


@pytest.mark.parametrize("who", ["accueil", "manager"])
def test_the_count_of_the_location_filter_reads_its_own_index(history, who, request):
    """?location=domicile: its capped count (no ORDER BY) read the site's dossiers one by one (PostgreSQL: a
    sequential scan of 100,000 rows at 1,000,000 dossiers); (site, location, date) serves the page and the count.
    SQLite names the index; PostgreSQL's few test rows let it pick any index starting with the site, so there
    only the absence of a full read is checked."""
    user = request.getfixturevalue(who)
    count = selectors.case_list(user=user, location=WorkLocation.DOMICILE).order_by().values("pk")
    page = _page(user=user, location=WorkLocation.DOMICILE)
    for query in (count[: LIST_COUNT_CAP + 1], page):
        _assert_indexed(query)
        if connection.vendor == "sqlite":
            plan = explain(query)
            assert "repaircase_site_location" in plan or "repaircase_location" in plan, plan


@BY_NAME_PATHS
@pytest.mark.parametrize("who", ["accueil", "manager"])
def test_the_count_of_a_name_reaches_the_dossiers_through_the_customer_and_site_index(
    history, who, listed, request, monkeypatch
):
    """The search's capped count goes from the customers found to their dossiers of the user's sites: by the
    foreign-key index each dossier was also read from the table for its site (1,000 random reads at a million
    dossiers, issue 16); (customer, site) answers from the index alone (COVERING INDEX on SQLite; Index Only
    Scan on a vacuumed PostgreSQL)."""
    monkeypatch.setattr(search, "LISTED_CUSTOMERS", listed)
    user = request.getfixturevalue(who)
    counted = selectors.case_list(user=user, query="durand").order_by().values("pk")[: SEARCH_COUNT_CAP + 1]
    assert counted.count() == {"accueil": 5, "manager": 10}[who]
    _assert_indexed(counted)
    if connection.vendor == "sqlite":
        assert "COVERING INDEX repaircase_customer_site" in explain(counted), explain(counted)
        return
    # PostgreSQL prices any plan alike on a few rows: the probe alone, as the count's loop runs it (COUNT(*)
    # reads no column of the dossier but its site). On a table never vacuumed it may take the index as a bitmap;
    # at a million dossiers, vacuumed, it is an Index Only Scan (docs/performance.md « Sixth run »).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE repairs_repaircase")
    customer = Customer.objects.filter(last_name="Durand").first()
    probe = (
        RepairCase.objects.filter(customer=customer, site__in=user.visible_site_ids).order_by().values("site")
    )
    assert "repaircase_customer_site" in explain(probe), explain(probe)


def test_the_indicators_live_reads_seek_their_states_instead_of_walking_the_site(large_statistics, site):
    """The indicators page reads live the open dossiers by state and the dossiers handed back today: in the
    model's order (newest received first) SQLite walked every dossier of the site (repaircase_site_received,
    50 ms each at 200,000, the page 56 → 218 ms), and « state IN (13 states) » across sites read the table."""
    from atelier.indicators.aggregate import Scope
    from atelier.indicators.facts import finished_candidates
    from atelier.indicators.registry import open_states

    sites = tuple(Site.objects.values_list("pk", flat=True))
    since = timezone.now() - datetime.timedelta(days=1)
    if connection.vendor == "sqlite":  # what the page read before
        ordered = RepairCase.objects.filter(OPEN_CASES, site_id__in=sites).values(
            "status", "status_changed_at"
        )
        assert full_scans(ordered, TABLES) == ["repairs_repaircase"]
    for site_ids in ((site.pk,), sites):
        _assert_indexed(open_states(Scope(site_ids)))
        _assert_indexed(finished_candidates(site_ids, since))
    # and they find what they should: the open dossiers of the site by state, the one closed since yesterday
    found = sorted(state for state, _since in open_states(Scope((site.pk,))))
    expected = sorted(RepairCase.objects.filter(OPEN_CASES, site=site).values_list("status", flat=True))
    assert found == expected == ["pret"] * 4
    handed_back = [
        c.number
        for c in RepairCase.objects.filter(site=site)
        if (c.status == CaseStatus.RENDU and c.status_changed_at >= since)
        or (c.status == CaseStatus.CLOTURE and c.closed_at and c.closed_at >= since)
    ]
    assert [c.number for c in finished_candidates((site.pk,), since)] == handed_back == ["PAR1-2026-000000"]
