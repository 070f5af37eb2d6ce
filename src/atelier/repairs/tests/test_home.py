"""The home page of each role: « À faire maintenant » ordered by urgency with exact counts, the figures, the
detailed panels (each title once)."""

import datetime
import re

import pytest
from django.utils import timezone

from atelier.core.choices import Role
from atelier.core.tests.factories import UserFactory
from atelier.fieldwork.tests.factories import ToolFactory
from atelier.quotes.choices import QuoteStatus
from atelier.quotes.models import Quote, RepairOrder
from atelier.quotes.tests.factories import QuoteFactory
from atelier.reception.tests.factories import ComplaintFactory
from atelier.repairs import extensions, selectors
from atelier.repairs.choices import CaseStatus, WorkLocation
from atelier.repairs.models import RepairCase

pytestmark = pytest.mark.django_db

TODO = re.compile(r'<li class="u(\d+)" id="todo-([a-z_]+)"><a href="([^"]+)"><span class="n">(\d+)</span>')
FIGURE = re.compile(r'id="figure-([a-z_]+)" href="[^"]*">\s*<strong>([^<]+)</strong>')


def _todo(client, user) -> list[tuple[str, int]]:
    client.force_login(user)
    html = client.get("/").content.decode()
    return [(key, int(n)) for _u, key, _url, n in TODO.findall(html)]


def _set(case, status, *, changed_days_ago=0, **fields):
    changed = timezone.now() - datetime.timedelta(days=changed_days_ago)
    RepairCase.objects.filter(pk=case.pk).update(status=status, status_changed_at=changed, **fields)
    case.refresh_from_db()
    return case


@pytest.fixture
def situation(make_case, site, responsable, technicien):
    """A Paris shop on a given day: what the manager must see first."""
    today_cases = [make_case(), make_case()]  # received today, still « reçu »
    old = timezone.now() - datetime.timedelta(days=12)
    _set(make_case(), CaseStatus.PRET, changed_days_ago=5, received_at=old)  # ready, not collected
    _set(make_case(), CaseStatus.PRET, changed_days_ago=1, received_at=old)  # ready yesterday: not yet
    _set(make_case(location=WorkLocation.DOMICILE), CaseStatus.ACCEPTE, received_at=old)  # to plan
    for _ in range(2):
        _set(make_case(), CaseStatus.RENDU, received_at=old)  # to close
    _set(make_case(), CaseStatus.PREDIAGNOSTIQUE, received_at=old)  # quote to write
    # a quote sent ten days ago and still unanswered; one sent two days ago (not yet to chase)
    for days in (10, 2):
        quote = QuoteFactory(solution__case=_set(make_case(), CaseStatus.RECU, received_at=old))
        Quote.objects.filter(pk=quote.pk).update(
            status=QuoteStatus.ENVOYE, sent_at=timezone.now() - datetime.timedelta(days=days)
        )
        _set(quote.case, CaseStatus.DEVIS_ENVOYE, changed_days_ago=days)
    # a repair promised for three days ago, still on the bench (late), and one promised for next week
    for days, status in ((-3, CaseStatus.EN_REPARATION), (7, CaseStatus.EN_ATELIER)):
        quote = QuoteFactory(solution__case=_set(make_case(), CaseStatus.RECU, received_at=old))
        RepairOrder.objects.create(
            quote=quote,
            case=quote.case,
            number=f"OR-{quote.pk}",
            work_to_do="Remplacer la pompe.",
            location="atelier",
            promised_on=timezone.localdate() + datetime.timedelta(days=days),
            created_by=responsable,
        )
        _set(quote.case, status, technician=technicien)
    # two instruments past their check date, one in order
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    ToolFactory(site=site, next_check_on=yesterday, last_checked_on=yesterday - datetime.timedelta(days=365))
    ToolFactory(site=site, next_check_on=yesterday, last_checked_on=yesterday - datetime.timedelta(days=365))
    ToolFactory(site=site, next_check_on=yesterday + datetime.timedelta(days=100))
    ComplaintFactory(site=site)
    return today_cases


def test_responsable_home_leads_with_what_needs_action_by_urgency(client, situation, responsable):
    assert _todo(client, responsable) == [
        # safety and broken promises first (most first within a rank)
        ("tools_overdue", 2),
        ("complaints", 1),
        ("late", 1),
        ("workshop_at_risk", 1),  # the late bench job is also at risk in the workshop's week
        # answers awaited, oldest concerns
        ("not_collected", 1),
        ("quotes_unanswered", 1),
        ("to_plan", 1),
        # routine
        ("to_close", 2),
        ("to_quote", 1),
    ]
    html = client.get("/").content.decode()
    assert dict(FIGURE.findall(html)) == {
        "received_today": "2",
        "open": "12",  # 2 received, 2 ready, 1 to plan, 2 to close, 1 to quote, 2 quotes sent, 2 repairs
        "late": "1",
        "waiting_parts": "0",
        "cash_to_collect": "0,00 €",
        "to_hand_back": "2",
        "indicators": "→",  # no night computed yet: the link to the indicators page, no figure
    }
    assert html.index('id="todo"') < html.index('id="figures"') < html.index('id="panels"')


def test_each_action_links_to_a_list_showing_the_same_count(client, situation, responsable):
    client.force_login(responsable)
    html = client.get("/").content.decode()
    for _u, key, url, n in TODO.findall(html):
        if not url.startswith("/dossiers/"):
            continue
        page = client.get(url.replace("&amp;", "&"))
        assert page.status_code == 200, key
        assert page.context["page_obj"].paginator.count == int(n), key


def test_technician_sees_their_late_dossier_and_their_day(client, situation, technicien):
    assert _todo(client, technicien) == [("late", 1), ("to_take", 1), ("my_bench", 2)]


def test_counter_has_no_manager_items(client, situation, accueil):
    assert [key for key, _n in _todo(client, accueil)] == [
        "late",
        "workshop_at_risk",
        "not_collected",
        "quotes_unanswered",
        "to_quote",
    ]


def test_home_actions_cost_fixed_queries_and_read_no_closed_dossier(situation, responsable):
    counts = selectors.case_counts(responsable)
    assert (counts["open"], counts["received_today"], counts["to_hand_back"]) == (12, 2, 2)
    assert selectors.case_counts(responsable) is counts  # once per request (the user object)


@pytest.mark.parametrize(
    "roles",
    [
        [Role.ACCUEIL],
        [Role.TECHNICIEN],
        [Role.RESPONSABLE_SAV],
        [Role.MAGASINIER],
        [Role.COMPTABLE],
        [Role.FORMATEUR],
        list(Role.values),
    ],
)
def test_two_home_panels_never_share_one_title(site, roles):
    """Defect of the demo walk (issue 15, point 6): « Devis en attente de réponse » was both the dossiers'
    panel and the quotes' panel on the counter's and the manager's home."""
    user = UserFactory(username="u-" + "-".join(roles)[:40], roles=roles, sites=[site])
    titles = [str(p["title"]) for p in selectors.home_panels(user) + extensions.collect_home_panels(user)]
    assert len(titles) == len(set(titles)), titles


PANEL = re.compile(r'id="panel-([a-z_]+)">\s*<h2>[^<]*<span class="badge">([^<]+)</span>')
STATE_TILE = re.compile(r'status=([a-z_]+)">\s*<span class="badge[^"]*">[^<]*</span> <strong>(\d+)</strong>')


def test_the_home_shows_no_panel_and_asks_for_them_when_unfolded(client, situation, responsable):
    """Issue 16: the panels (half of the home's queries) load when « Détail par sujet » is unfolded; the
    counts by state stay on the page, read from the home's count query."""
    client.force_login(responsable)
    html = client.get("/").content.decode()
    assert 'id="panel-' not in html
    assert (
        '<div id="panels-grid" hx-get="/accueil/volets/" hx-trigger="toggle once from:#panels" '
        'hx-swap="outerHTML">'
    ) in html
    assert '<a class="btn" href="/accueil/volets/">Voir</a>' in html  # without JavaScript: a page of its own
    assert [(s, int(n)) for s, n in STATE_TILE.findall(html) if n != "0"] == [
        ("recu", 2),
        ("prediagnostique", 1),
        ("devis_envoye", 2),
        ("accepte", 1),
        ("en_atelier", 1),
        ("en_reparation", 1),
        ("pret", 2),
        ("rendu", 2),
    ]


def test_with_nothing_to_do_the_panels_are_open_and_load_when_in_view(client, site):
    trainer = UserFactory(username="formateur-seul", roles=[Role.FORMATEUR], sites=[site])
    client.force_login(trainer)
    html = client.get("/").content.decode()
    assert '<details class="panels" id="panels" open>' in html
    assert 'hx-get="/accueil/volets/" hx-trigger="intersect once"' in html


def test_the_loaded_panels_of_the_manager(client, situation, responsable):
    client.force_login(responsable)
    response = client.get("/accueil/volets/", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.templates[0].name == "repairs/_home_panels.html" and "<html" not in html
    assert [(key, int(n)) for key, n in PANEL.findall(html)] == [
        ("received_today", 2),
        ("to_quote", 1),
        ("to_hand_back", 2),
        ("to_plan", 1),
        ("to_close", 2),
        ("waiting_parts", 0),
        ("stock_parts_arrived", 0),
        ("stock_todo", 0),
        ("quotes_waiting", 2),
        ("complaints", 1),
        ("billing_links", 3),
        ("unpaid_balances", 0),
        ("overdue_loans", 0),
        ("planning_day", 3),
        ("fieldwork_incidents", 0),
        ("procedures_non_conformities", 0),
        ("operations_problems", 1),
    ]
    to_close = html[html.index('id="panel-to_close"') : html.index('id="panel-waiting_parts"')]
    rendered = RepairCase.objects.filter(status=CaseStatus.RENDU).order_by("-received_at", "-pk")
    assert re.findall(r'href="/dossiers/(\d+)/">([^<]+)</a>', to_close) == [
        (str(c.pk), c.number) for c in rendered
    ]


def test_the_panels_page_without_javascript_and_its_refusals(client, situation, responsable, technicien):
    assert client.get("/accueil/volets/").status_code == 302  # signed in only
    client.force_login(responsable)
    page = client.get("/accueil/volets/")
    assert page.templates[0].name == "repairs/home_panels.html"
    assert "<h1>Détail par sujet</h1>" in page.content.decode()
    assert client.post("/accueil/volets/").status_code == 405
    client.force_login(technicien)  # a technician's panels only, none of the manager's
    html = client.get("/accueil/volets/", HTTP_HX_REQUEST="true").content.decode()
    assert [(key, int(n)) for key, n in PANEL.findall(html)] == [
        ("my_visits_today", 0),
        ("my_bench", 2),
        ("to_take", 1),
        ("waiting_parts", 0),
        ("stock_van", 0),
        ("planning_my_day", 0),
        ("fieldwork_my_tools", 0),
    ]


def test_the_panels_show_no_dossier_of_another_site(client, make_case, accueil, other_site):
    mine = make_case()
    RepairCase.objects.filter(pk=make_case().pk).update(site=other_site)  # received today, elsewhere
    client.force_login(accueil)
    html = client.get("/accueil/volets/", HTTP_HX_REQUEST="true").content.decode()
    received = html[html.index('id="panel-received_today"') : html.index('id="panel-to_quote"')]
    assert re.findall(r'href="/dossiers/(\d+)/"', received) == [str(mine.pk)]
    assert '<span class="badge">1</span>' in received


def test_each_count_is_what_its_own_filter_counts(situation, technicien, responsable, site):
    """The counts' query reads per state only what that state can hold (repairs.home._state_aggregates): each
    count is checked against its plain filter over the open dossiers."""
    from atelier.repairs.choices import OPEN_STATUSES
    from atelier.repairs.home import MY_BENCH, TO_HAND_BACK, stale_day

    plan = RepairCase.objects.exclude(status__in=[CaseStatus.PRET, CaseStatus.RENDU]).order_by("pk")[:2]
    for case, hours in zip(plan, (1, 30), strict=True):  # one visit today, one tomorrow
        _set(case, CaseStatus.PLANIFIE, technician=technicien, planned_for=timezone.now().replace(hour=12))
        if hours == 30:
            RepairCase.objects.filter(pk=case.pk).update(
                planned_for=timezone.now().replace(hour=12) + datetime.timedelta(days=1)
            )
    _set(RepairCase.objects.filter(status=CaseStatus.PRET).first(), CaseStatus.PRET, technician=technicien)
    stale = datetime.datetime.combine(stale_day(), datetime.time.min, tzinfo=timezone.get_current_timezone())
    start = datetime.datetime.combine(timezone.localdate(), datetime.time.min, tzinfo=stale.tzinfo)
    end = start + datetime.timedelta(days=1)
    open_ = RepairCase.objects.filter(site=site, status__in=OPEN_STATUSES)
    for user in (technicien, responsable):
        mine = open_.filter(technician=user)
        expected = {
            "open": open_.count(),
            "received_today": open_.filter(received_at__gte=start, received_at__lt=end).count(),
            "to_quote": open_.filter(status=CaseStatus.PREDIAGNOSTIQUE).count(),
            "awaiting_answer": open_.filter(status=CaseStatus.DEVIS_ENVOYE).count(),
            "to_hand_back": open_.filter(status__in=TO_HAND_BACK).count(),
            "not_collected": open_.filter(status__in=TO_HAND_BACK, status_changed_at__lt=stale).count(),
            "to_take": open_.filter(status=CaseStatus.ACCEPTE, technician__isnull=True).count(),
            "to_plan": open_.filter(status=CaseStatus.ACCEPTE, location=WorkLocation.DOMICILE).count(),
            "to_close": open_.filter(status=CaseStatus.RENDU).count(),
            "waiting_parts": open_.filter(status=CaseStatus.ATTENTE_PIECES).count(),
            "my_visits_today": mine.filter(
                status=CaseStatus.PLANIFIE, planned_for__gte=start, planned_for__lt=end
            ).count(),
            "my_bench": mine.filter(status__in=MY_BENCH).count(),
            "my_open": mine.count(),
        }
        assert selectors.case_counts(user) == expected
    assert {k: v for k, v in selectors.case_counts(technicien).items() if k.startswith("my_")} == {
        "my_visits_today": 1,
        "my_bench": 2,
        "my_open": 5,
    }
