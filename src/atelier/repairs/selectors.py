"""Reads of dossiers, always scoped to the sites the user may see."""

import datetime

from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.core.access import may
from atelier.core.days import day_range
from atelier.core.models import User
from atelier.core.scoping import visible_or_404
from atelier.core.search import search_text
from atelier.repairs import extensions, search
from atelier.repairs.choices import OPEN_STATUSES, CaseStatus, WorkLocation
from atelier.repairs.home import MY_BENCH, TO_HAND_BACK, case_counts, open_by_state, per_open_state
from atelier.repairs.models import OPEN_CASES, RepairCase


def case_visible(user: User) -> QuerySet[RepairCase]:
    return RepairCase.objects.visible_to(user)


# Groups of states the filter offers besides each state (the home page links to them).
STATUS_GROUPS: dict[str, list[str]] = {
    "ouverts": OPEN_STATUSES,
    "a_rendre": [CaseStatus.PRET, CaseStatus.REFUSE, CaseStatus.NON_REPARABLE],
    "en_cours": [CaseStatus.EN_ATELIER, CaseStatus.EN_REPARATION, CaseStatus.REPARE],
}


LIST_RELATED = ("site", "customer", "appliance", "technician")  # what a row of a list shows


def case_list(
    *,
    user: User,
    status: str = "",
    family: str = "",
    technician: User | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    query: str = "",
    site=None,
    location: str = "",
    unassigned: bool = False,
    changed_before: datetime.date | None = None,
    flags: tuple[str, ...] = (),
) -> QuerySet[RepairCase]:
    """Dossiers of the user's sites, filtered, newest first; joins what the list shows so it stays at a fixed
    query count. The order is that of the indexes `repaircase_site_received` (one site),
    `repaircase_received` (across sites) and their variants by state and technician: the database walks one
    and stops at the page, joining only the page's rows (tests/test_query_plans.py guards it). Days are ranges
    on the datetimes (core.days); the search goes to one index by what was typed (repairs.search)."""
    qs = case_visible(user).select_related(*LIST_RELATED)
    if status in STATUS_GROUPS:
        qs = qs.filter(status__in=STATUS_GROUPS[status])
    elif status:
        qs = qs.filter(status=status)
    if family:
        qs = qs.filter(appliance__family=family)
    if technician is not None:
        qs = qs.filter(technician=technician)
    if unassigned:
        qs = qs.filter(technician__isnull=True)
    if site is not None:
        qs = qs.filter(site=site)
    if location:
        qs = qs.filter(location=location)
    if date_from:
        qs = qs.filter(received_at__gte=day_range(date_from)[0])
    if date_to:
        qs = qs.filter(received_at__lt=day_range(date_to)[1])
    if changed_before:
        qs = qs.filter(status_changed_at__lt=day_range(changed_before)[0])
    for flag in flags:  # other apps' filters (repairs.extensions.case_filters): late, unpaid…
        qs = extensions.case_filters[flag][1](qs, user)
    qs = search.apply(qs, search_text(query), user=user)
    return qs.order_by("-received_at", "-pk")


def case_get(*, user: User, pk: int) -> RepairCase:
    """A dossier of the user's sites, or 404 (never 403: another site's dossier does not exist for them)."""
    qs = RepairCase.objects.select_related("site", "customer", "appliance", "technician", "received_by")
    return visible_or_404(qs, user, pk=pk)


def case_timeline(case: RepairCase):
    return case.events.select_related("actor").order_by("at", "pk")


def open_cases(user: User) -> QuerySet[RepairCase]:
    """The open dossiers of the user's sites: what the home counts (closed and cancelled dossiers, the bulk of
    the table after a few years, are never read there; the index on site and state serves it)."""
    return case_visible(user).filter(OPEN_CASES)


def status_counts_queryset(user: User) -> QuerySet:
    return per_open_state(case_visible(user), n=Count("pk"))


def status_counts(user: User) -> list[dict]:
    """Number of open dossiers in each state, in workflow order (closed and cancelled dossiers are not counted:
    the list shows them on demand); read by the home's count query (repairs.home.case_counts), no query more."""
    counts = open_by_state(user)
    return [
        {"status": value, "label": label, "count": counts.get(value, 0)}
        for value, label in CaseStatus.choices
        if value in OPEN_STATUSES
    ]


PANEL_SIZE = 10
PANEL_RELATED = ("customer", "appliance")


def home_panels(user: User) -> list[dict]:
    """The dossiers behind each concern of the user's roles (home page, under « À faire maintenant »): the
    first ten of each; the counts come from the home's single count query (repairs.home.case_counts)."""
    counts = case_counts(user)
    panels = []
    for spec in home_panel_specs(user):
        cases = list(first_rows(spec["queryset"], PANEL_SIZE))
        count_key = spec["count_key"]
        count = counts[count_key] if count_key in counts else len(cases)
        panels.append(
            {
                "key": spec["key"],
                "title": spec["title"],
                "cases": cases,
                "count": count,
                "empty": spec["empty"],
            }
        )
    return panels


def first_rows(qs: QuerySet[RepairCase], n: int) -> QuerySet[RepairCase]:
    """The first `n` dossiers of `qs` with what a panel's row shows, joined for these `n` only: the order and the
    limit apply to the dossiers alone (a subquery), then their customers, appliances… are read. An order no
    index serves (a panel's « since when ») otherwise let PostgreSQL join every matching dossier to every
    appliance before sorting (issue 16)."""
    order = qs.query.order_by
    # a panel's row shows the dossier's number, customer (and city), appliance and state: not its site or
    # technician, whose columns would be read and built for every row
    return (
        RepairCase.objects.filter(pk__in=qs.values("pk")[:n]).select_related(*PANEL_RELATED).order_by(*order)
    )


def home_panel_specs(user: User) -> list[dict]:
    """Each home panel of the user's roles with the queryset of its dossiers (the home reads its first ten;
    tests/test_query_plans.py checks that an index serves each)."""
    visible = case_list(user=user)
    panels: list[dict] = []

    def panel(key: str, title: str, qs: QuerySet, empty: str, count_key: str = "") -> None:
        if any(p["key"] == key for p in panels):
            return
        panels.append(
            {"key": key, "title": title, "queryset": qs, "empty": empty, "count_key": count_key or key}
        )

    today = timezone.localdate()
    start, end = day_range(today)
    if may(user, "reception.queue"):
        panel(
            "received_today",
            _("Dossiers reçus aujourd'hui"),
            visible.filter(status__in=OPEN_STATUSES, received_at__gte=start, received_at__lt=end),
            _("Aucun dossier reçu aujourd'hui."),
        )
        panel(
            "to_quote",
            _("Devis à envoyer"),
            visible.filter(status=CaseStatus.PREDIAGNOSTIQUE),
            _("Aucun devis à envoyer."),
        )
        # The quotes awaiting the customer's answer are the quotes app's panel (« Devis en attente de
        # réponse », soonest to expire first): listed once, not twice under one title.
        panel(
            "to_hand_back",
            _("Appareils à rendre"),
            visible.filter(status__in=TO_HAND_BACK).order_by("status_changed_at", "pk"),
            _("Aucun appareil à rendre."),
        )
    if may(user, "planning.my_day"):
        mine = visible.filter(technician=user)
        panel(
            "my_visits_today",
            _("Mes interventions du jour"),
            mine.filter(status=CaseStatus.PLANIFIE, planned_for__gte=start, planned_for__lt=end).order_by(
                "planned_for", "pk"
            ),
            _("Aucune intervention planifiée aujourd'hui."),
        )
        panel(
            "my_bench",
            _("Mes réparations en cours"),
            mine.filter(status__in=MY_BENCH),
            _("Aucune réparation en cours."),
        )
        panel(
            "to_take",
            _("Dossiers acceptés à prendre en charge"),
            visible.filter(status=CaseStatus.ACCEPTE, technician__isnull=True),
            _("Rien à prendre en charge."),
        )
    if may(user, "repairs.supervise"):
        panel(
            "to_plan",
            _("Interventions à domicile à planifier"),
            visible.filter(status=CaseStatus.ACCEPTE, location=WorkLocation.DOMICILE),
            _("Rien à planifier."),
        )
        panel(
            "to_close",
            _("Dossiers rendus à clôturer"),
            visible.filter(status=CaseStatus.RENDU),
            _("Aucun dossier à clôturer."),
        )
    if may(user, "stock.consume"):
        panel(
            "waiting_parts",
            _("Dossiers en attente de pièces"),
            visible.filter(status=CaseStatus.ATTENTE_PIECES),
            _("Aucun dossier en attente de pièces."),
        )
    if may(user, "billing.closure"):
        panel(
            "handed_back",
            _("Appareils rendus (à facturer et clôturer)"),
            visible.filter(status=CaseStatus.RENDU),
            _("Aucun dossier rendu en attente."),
            count_key="to_close",
        )
        week_ago = day_range(today - datetime.timedelta(days=7))[0]
        panel(
            "closed_recently",
            _("Dossiers clôturés ces 7 derniers jours"),
            visible.filter(status=CaseStatus.CLOTURE, closed_at__gte=week_ago),
            _("Aucun dossier clôturé cette semaine."),
        )
    if may(user, "repairs.case_studies"):
        panel(
            "case_studies",
            _("Derniers dossiers clôturés (cas d'étude)"),
            visible.filter(status=CaseStatus.CLOTURE),
            _("Aucun dossier clôturé."),
        )
    return panels
