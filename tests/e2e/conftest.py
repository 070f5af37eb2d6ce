"""Browser fixtures shared by the journeys: Playwright drives Debian's Chromium (/usr/bin/chromium, installed by
`make test`); no browser is downloaded."""

import os

import pytest
from playwright.sync_api import expect, sync_playwright

# a page answers in well under a second; on a loaded two-core machine a POST, its redirect and the next page can
# take longer than Playwright's default 5 s for an assertion
expect.set_options(timeout=15_000)

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop in this thread; Django's ORM (used by the tests' own
    # assertions) refuses to run under a loop unless told it is safe, which it is here: one thread, no async.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def page(browser):
    context = browser.new_context(
        # tall enough that every section of the dossier page (loaded by htmx when it comes into view, issue 16)
        # is in view when the page opens: the journeys click inside them without scrolling first
        locale="fr-FR",
        timezone_id="Europe/Paris",
        viewport={"width": 1280, "height": 3000},
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    # the dossier page's sections load by htmx after the test's last step: let their requests end before the
    # test database is emptied (a request still running holds its tables)
    page.wait_for_load_state("networkidle")
    context.close()
