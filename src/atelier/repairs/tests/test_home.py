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
