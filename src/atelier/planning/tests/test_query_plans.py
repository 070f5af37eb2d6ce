"""The visits to plan are found from the open dossiers, not from every visit the site ever made (issue 16)."""

import datetime

import pytest
from django.db import connection

from atelier.core.plans import explain, full_scans, sqlite_statistics
from atelier.planning.builder import candidate_visits
from atelier.repairs.tests.test_query_plans import LARGE_SQLITE_STATS

# the benchmark's database at 200,000 dossiers (bench/bench_pages.py), besides the dossiers' (repairs)
STATS = {
    **LARGE_SQLITE_STATS,
    "planning_visit": {
        "planning_visit_site_id_a03c5325": "20000 20000",
        "sqlite_autoindex_planning_visit_1": "20000 1",
    },
    "quotes_repairorder": {
        "quotes_repairorder_technician_id_c129eb74": "80014 6668",
        "quotes_repairorder_created_by_id_861ea727": "80014 7274",
        "quotes_repairorder_case_id_3e615af9": "80014 1",
        "sqlite_autoindex_quotes_repairorder_1": "80014 1",
    },
}

pytestmark = pytest.mark.django_db


def test_the_visits_to_plan_start_from_the_open_dossiers(site):
    """/planning/visites/ (planning.builder.candidate_visits): with the states tested on the joined dossier,
    SQLite read every visit of the site (`planning_visit_site_id`, 20,000 at 200,000 dossiers, 130–340 ms)."""
    sqlite_statistics(STATS)
    visits = candidate_visits(site, datetime.date(2026, 12, 7))
    assert full_scans(visits, ["planning_visit", "repairs_repaircase", "quotes_repairorder"]) == [], explain(
        visits
    )
    if connection.vendor == "sqlite":
        assert "planning_visit_site_id" not in explain(visits), explain(visits)


def test_the_visits_list_and_its_catch_up_start_from_the_open_dossiers(site):
    """/planning/visites/ (selectors.visits_to_plan) and visits_sync (run by the optimiser): neither reads every
    visit or every repair order of the site (at 200,000 dossiers on SQLite the list took 44 ms, 16 at 10,000)."""
    from atelier.planning.selectors import visits_to_plan
    from atelier.planning.services.visits import orders_without_visit

    sqlite_statistics(STATS)
    for query in (visits_to_plan(site), orders_without_visit(site)):
        tables = ["planning_visit", "repairs_repaircase", "quotes_repairorder"]
        assert full_scans(query, tables) == [], explain(query)
        if connection.vendor == "sqlite":
            assert "planning_visit_site_id" not in explain(query), explain(query)
