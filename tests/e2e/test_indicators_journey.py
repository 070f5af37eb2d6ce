"""The indicators in a real browser: the manager opens « Indicateurs » from the menu on a year of history, reads
each figure with its definition, filters by family, exports a chart as CSV, reads the French error of a reversed
period; screenshots at 1366 and 1024 px (in $ATELIER_SCREENSHOTS, /tmp by default)."""

import datetime
import os
import random
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from atelier.core.choices import Role
from atelier.core.tests.factories import SiteFactory, UserFactory
from atelier.customers.tests.factories import CustomerFactory
from atelier.indicators import demo
from tests.e2e.steps import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = Path(os.environ.get("ATELIER_SCREENSHOTS", "/tmp/atelier-screenshots"))  # looked at, not committed


def _history():
    site = SiteFactory(code="PAR1", name="Paris Bastille")
    users = {
        name: UserFactory(username=name, roles=[role], sites=[site], first_name=name.capitalize())
        for name, role in (
            ("accueil", Role.ACCUEIL),
            ("technicien", Role.TECHNICIEN),
            ("technicien2", Role.TECHNICIEN),
            ("responsable", Role.RESPONSABLE_SAV),
        )
    }
    for _n in range(demo.MIN_CUSTOMERS):  # the history is written for a full demo only
        CustomerFactory(site=site)
    made = demo.load(sites={"PAR1": site}, users=users, rng=random.Random("e2e"))
    return made


def test_manager_reads_the_indicators_of_a_year(live_server, page: Page):
    made = _history()
    assert made["dossiers d'historique (12 mois)"] > 500
    base = live_server.url
    login(page, base, "responsable")
    page.click("nav >> text=Indicateurs")
    expect(page.locator("h1")).to_have_text("Indicateurs du SAV")
    today = timezone.localdate()
    page.fill("#id_date_from", (today - datetime.timedelta(days=364)).isoformat())
    page.fill("#id_date_to", today.isoformat())
    page.click("#ind-filters button[type=submit]")
    expect(page.locator("#ind-premier_coup .ind-value")).to_contain_text("%")
    expect(page.locator(".ind-card")).to_have_count(15)
    expect(page.locator("#chart-tendance_volumes svg polyline")).to_have_count(2)
    expect(page.locator("#chart-pareto_non_reparables tbody tr")).to_have_count(
        5
    )  # the five reasons of the demo
    page.locator("#ind-delai summary").click()
    expect(page.locator("#ind-delai details p")).to_contain_text("Jours calendaires entre la réception")
    SHOTS.mkdir(exist_ok=True)
    for width in (1366, 1024):
        page.set_viewport_size({"width": width, "height": 2400})
        page.screenshot(path=str(SHOTS / f"indicators-{width}.png"), full_page=width == 1024)

    page.select_option("#id_family", "froid")
    page.click("#ind-filters button[type=submit]")
    expect(page.locator("#chart-par_family tbody tr")).to_have_count(1)
    expect(page.locator("#chart-par_family tbody tr")).to_contain_text("Froid")
    with page.expect_download() as download:
        page.click("#chart-par_family >> text=Exporter en CSV")
    lines = Path(download.value.path()).read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "Groupe;Rendus;Premier coup;Réparés" and lines[1].startswith("Froid;")

    page.fill("#id_date_from", today.isoformat())
    page.fill("#id_date_to", (today - datetime.timedelta(days=7)).isoformat())
    page.click("#ind-filters button[type=submit]")
    expect(page.locator("#ind-errors")).to_contain_text("Période inversée")
