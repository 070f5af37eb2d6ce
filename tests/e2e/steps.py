"""What a person does in every journey: log in and out (users made by UserFactory, password below)."""

import re

from playwright.sync_api import Page, expect

PASSWORD = "motdepasse-test"


def login(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/connexion/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("h1")).to_contain_text("Bonjour")


def logout(page: Page) -> None:
    # the page's own requests first (sections and panels load by htmx): the test server's in-memory SQLite
    # locks the session table while one of them reads it, and the logout deleting it then fails (a 500 seen
    # once in ~10 runs); a person does not log out mid-load either
    page.wait_for_load_state("networkidle")
    page.click("text=Se déconnecter")
    expect(page.locator("h1")).to_have_text("Connexion")


def sign(page: Page, pad: str = "[data-signature-pad]") -> None:
    """Draw a signature in an on-screen signature pad (atelier.core.signature), as a finger would. Like a person,
    wait for the page to settle first: sections coming into view load by htmx and push the pad down, and a
    stroke drawn while it moves lands beside it."""
    canvas = page.locator(f"{pad} canvas")
    canvas.scroll_into_view_if_needed()
    page.wait_for_load_state("networkidle")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    x, y, w, h = box["x"], box["y"], box["width"], box["height"]
    page.mouse.move(x + w * 0.1, y + h * 0.6)
    page.mouse.down()
    for fx, fy in ((0.25, 0.3), (0.4, 0.7), (0.55, 0.35), (0.7, 0.65)):
        page.mouse.move(x + w * fx, y + h * fy, steps=6)
    page.mouse.up()
    expect(page.locator(f"{pad} [data-signature-hint]")).to_have_text(
        "Signature enregistrée dans le formulaire."
    )


def take_step(page: Page, name: str, note: str = "") -> None:
    """Take one step of the dossier from its page (the « Étapes possibles » list), with its note. Like a person,
    wait for the page to settle first: its sections load by htmx as they come into view, and a click during
    that layout shift can miss the step."""
    page.wait_for_load_state("networkidle")
    page.click(f"#step-{name} summary")
    expect(page.locator(f"#step-{name}[open]")).to_have_count(1)
    if note:
        page.fill(f"#id_{name}_note", note)
    page.click(f"#step-{name} button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("c'est enregistré")


def quote_from_first_solution(page: Page) -> None:
    """« Établir le devis avec cette solution » on the dossier page's first solution; returns on the quote's
    page. The page is let settle first, as take_step does: a click while htmx swapped other sections in was
    lost (the claim journey in CI: no request left, the quote's page never came)."""
    page.wait_for_load_state("networkidle")
    page.locator(".qt-solution").first.locator("button").click()
    expect(page).to_have_url(re.compile(r"/devis/\d+/$"))


def open_section(page: Page, key: str) -> None:
    """Bring one of the dossier page's sections into view, as a person scrolling down would: htmx loads it when
    it appears (repairs:section); if it still says « Chargement… », press its « Voir » button, as they would.
    Returns once its content has replaced the placeholder."""
    placeholder = page.locator(f"#section-{key} [hx-trigger^=intersect]")
    page.locator(f"#section-{key}").scroll_into_view_if_needed()
    try:
        expect(placeholder).to_have_count(0, timeout=3_000)
    except AssertionError:
        placeholder.locator("button").click()
        expect(placeholder).to_have_count(0, timeout=15_000)


def open_home_panels(page: Page) -> None:
    """Unfold the home's « Détail par sujet » as a person would (it is left open when nothing is « à faire »):
    htmx then loads the panels (home_panels). Returns once the panels are on the page.

    The page is let settle first, as take_step does: a click before htmx has bound its trigger would unfold the
    block without asking for the panels (and a fallback click on « Voir » raced with the swap, issue 16)."""
    page.wait_for_load_state("networkidle")
    details = page.locator("#panels")
    if details.evaluate("d => d.open"):  # left open: they load when they come into view
        details.scroll_into_view_if_needed()  # the <details>, which htmx never swaps (its grid it does)
    else:
        page.click("#panels > summary")
    expect(page.locator("#panels-grid[hx-get]")).to_have_count(0, timeout=15_000)
    expect(page.locator("#panels-grid")).to_have_count(1)
