"""A manager plans a day and validates it; the technician opens « Ma journée » on a tablet (820 × 1180).

Playwright drives Debian's Chromium (/usr/bin/chromium); browser fixtures come from tests/e2e/conftest.py.
"""

import pytest
from playwright.sync_api import expect

from atelier.planning.models import VisitWindow
from atelier.planning.tests import conftest as planning_fixtures
from atelier.repairs.choices import CaseStatus
from tests.e2e.steps import login, logout

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

day = planning_fixtures.day
make_profile = planning_fixtures.make_profile
make_visit = planning_fixtures.make_visit


def test_manager_plans_and_technician_sees_his_day(
    live_server, browser, page, settings, responsable, technicien, make_profile, make_visit, day
):
    settings.ATELIER_PLANNING_SECONDS = 1
    make_profile(user=technicien)
    first = make_visit(postcode="75011")
    second = make_visit(postcode="75020", family="froid")
    VisitWindow.objects.create(visit=first, day=day, start="08:00", end="10:00")
    base = live_server.url

    login(page, base, "responsable")
    page.goto(f"{base}/planning/?site=PAR1&jour={day.isoformat()}")
    expect(page.locator("h1")).to_contain_text("Planification · PAR1")
    page.click("#plan-optimise")
    expect(page.locator(".messages")).to_contain_text("Proposition prête : 2 visites planifiées")
    expect(page.locator("#plan-timeline .pl-visit")).to_have_count(2)
    expect(page.locator(f"#stop-{first.pk}")).to_contain_text(first.order.case.number)
    page.click("#plan-validate")
    expect(page.locator(".messages")).to_contain_text("validé : les dossiers sont planifiés")
    expect(page.locator("#plan-state")).to_have_text("Validé")
    logout(page)
    first.order.case.refresh_from_db()
    assert first.order.case.status == CaseStatus.PLANIFIE

    tablet = browser.new_context(
        locale="fr-FR", timezone_id="Europe/Paris", viewport={"width": 820, "height": 1180}
    )
    tab = tablet.new_page()
    tab.set_default_timeout(15_000)
    login(tab, base, "technicien")
    tab.goto(f"{base}/planning/ma-journee/?jour={day.isoformat()}")
    expect(tab.locator("#my-visits > li")).to_have_count(2)
    card = tab.locator(f"#visite-{second.pk}")
    expect(card).to_contain_text("75020 Paris")
    expect(card).to_contain_text("Arrivée annoncée au client")
    expect(card.locator("a", has_text="Ouvrir le dossier")).to_be_visible()
    tablet.close()
