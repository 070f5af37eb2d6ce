"""Every main page fits the width of a laptop (1366 px) and of a small one or a tablet held flat (1024 px):
nothing pushes the page sideways; a wide table scrolls inside its own box (issue 15: the billing page was
1721 px wide at 1366 px, a dossier's customer box 1130 px wide at 1024 px)."""

import pytest
import time_machine
from playwright.sync_api import Page, expect

from atelier.customers.models import Customer
from atelier.demo.organisation import DEMO_PASSWORD
from atelier.repairs.models import RepairCase
from tests.world import STORY_NOW, load_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ROLES = ("accueil", "technicien", "responsable", "magasinier", "comptable")
WIDTHS = (1366, 1024)


def _overflow(page: Page, width: int) -> int:
    """How many pixels the page is wider than the window (0 when it fits)."""
    page.set_viewport_size({"width": width, "height": 900})
    return max(0, page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


def test_main_pages_fit_1366_and_1024_pixels(live_server, page: Page):
    with time_machine.travel(STORY_NOW, tick=True):
        load_world()
    case = RepairCase.objects.filter(site__code="PAR1").select_related("customer").order_by("pk").first()
    # the longest e-mail and street a customer may have: they wrap instead of widening the page
    Customer.objects.filter(pk=case.customer_id).update(
        email="marie-clemence.de-la-villardiere-kerjean95@example-fournisseur-acces.fr",
        address="residence-des-tilleuls-batiment-c-escalier-4-appartement-1207-boulevard",
    )
    base = live_server.url
    too_wide = []
    for role in ROLES:
        page.goto(f"{base}/connexion/")
        page.fill("#id_username", role)
        page.fill("#id_password", DEMO_PASSWORD)
        page.click("button[type=submit]")
        expect(page.locator(".topbar")).to_be_visible()
        links = page.eval_on_selector_all(".mainnav a", "links => links.map(a => a.getAttribute('href'))")
        urls = ["/", *links, f"/dossiers/{case.pk}/", f"/clients/{case.customer_id}/"]
        if role == "comptable":
            urls.append("/facturation/")
        for url in dict.fromkeys(urls):
            if page.goto(base + url).status != 200:
                continue  # what a role may not open is checked elsewhere
            for width in WIDTHS:
                if extra := _overflow(page, width):
                    too_wide.append(f"{role} {url} @{width}: +{extra} px")
        page.context.clear_cookies()
    assert too_wide == []


CONTRAST = """el => {
  const rgb = s => s.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = c => {
    const [r, g, b] = c.map(v => { v /= 255; return v <= .03928 ? v / 12.92 : ((v + .055) / 1.055) ** 2.4; });
    return .2126 * r + .7152 * g + .0722 * b;
  };
  let bg = el;
  while (getComputedStyle(bg).backgroundColor.match(/rgba\\(0, 0, 0, 0\\)|transparent/)) bg = bg.parentElement;
  const [a, b] = [lum(rgb(getComputedStyle(el).color)), lum(rgb(getComputedStyle(bg).backgroundColor))];
  return Math.round((Math.max(a, b) + .05) / (Math.min(a, b) + .05) * 10) / 10;
}"""


def test_link_like_buttons_are_readable_on_the_page_and_on_the_topbar(page: Page):
    """Issue 15: « retirer » and « effacer » (.linklike) were white on a white card."""
    from pathlib import Path

    import atelier

    css = Path(atelier.__file__).parent / "core/static/atelier/atelier.css"
    page.set_content(
        '<header class="topbar"><button class="linklike" id="out">Se déconnecter</button></header>'
        '<main class="page"><section class="card"><button class="linklike" id="remove">retirer</button>'
        "</section></main>"
    )
    page.add_style_tag(path=str(css))
    ratios = {name: page.locator(f"#{name}").evaluate(CONTRAST) for name in ("out", "remove")}
    assert all(ratio >= 4.5 for ratio in ratios.values()), ratios  # WCAG AA for normal text
