"""The dossiers' share of the home page: what needs action now and a few figures, per role.

Every count comes from one query over the open dossiers of the user's sites, one aggregate per open state
(`per_open_state`: closed dossiers, the bulk of the table, are never read); days are ranges on the datetime
(core.days), never `__date`.
"""

import datetime

from django.db.models import Count, Q, QuerySet, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from atelier.core.access import may
from atelier.core.choices import Role
from atelier.core.days import day_range
from atelier.repairs.choices import OPEN_STATUSES, CaseStatus, WorkLocation
from atelier.repairs.extensions import ROUTINE, TODAY, WAITING, per_request
from atelier.repairs.models import RepairCase

# An appliance ready (or to give back unrepaired) for this many days is « not collected »: the customer is
# called again and the shelf fills up.
NOT_COLLECTED_DAYS = 3
TO_HAND_BACK = (CaseStatus.PRET, CaseStatus.REFUSE, CaseStatus.NON_REPARABLE)
# States in which a repair order's promised date still has to be kept (the appliance is not ready yet).
BEFORE_READY = (
    CaseStatus.ACCEPTE,
    CaseStatus.PLANIFIE,
    CaseStatus.EN_ATELIER,
    CaseStatus.ATTENTE_PIECES,
    CaseStatus.EN_REPARATION,
    CaseStatus.REPARE,
)
MY_BENCH = (CaseStatus.EN_ATELIER, CaseStatus.EN_REPARATION, CaseStatus.REPARE)


def stale_day() -> datetime.date:
    """In its state since before this day: ready for NOT_COLLECTED_DAYS days or more (counted in whole days)."""
    return timezone.localdate() - datetime.timedelta(days=NOT_COLLECTED_DAYS - 1)


def per_open_state(queryset: QuerySet, states=OPEN_STATUSES, **aggregates) -> QuerySet:
    """`aggregates` over the open dossiers of `queryset`, one row per open state that has any (with its
    `status`), in one query: a UNION ALL of one aggregate per state.

    Each part seeks one state in the index on (site, state) or (state): « status IN (13 open states) » made
    SQLite read the whole table for a user of several sites, its statistics averaging the states (closed
    dossiers are nearly all of them) so that 13 states looked like every row (issue 16). `states`: the open
    states the queryset can hold at all (each part costs its compiling, ~1 ms)."""
    parts = [
        queryset.filter(status=state).order_by().values("status").annotate(**aggregates) for state in states
    ]
    return parts[0].union(*parts[1:], all=True)


def case_counts(user) -> dict[str, int]:
    """Counts of the home's dossier concerns for this user, in one query (computed once per request)."""
    return _counted(user)[0]


def open_by_state(user) -> dict[str, int]:
    """Open dossiers of the user's sites per state (the home's « Dossiers ouverts par état »), from the same
    query as case_counts."""
    return _counted(user)[1]


# The concerns that are just a state (or states) counted: summed in Python from each state's count.
BY_STATE = {
    "to_quote": (CaseStatus.PREDIAGNOSTIQUE,),
    "awaiting_answer": (CaseStatus.DEVIS_ENVOYE,),
    "to_hand_back": TO_HAND_BACK,
    "to_close": (CaseStatus.RENDU,),
    "waiting_parts": (CaseStatus.ATTENTE_PIECES,),
}


def _state_aggregates(state, user, start, end, stale) -> dict:
    """What one open state's part of the count query reads: the state's count, those received today, the
    user's own, and the one or two concerns only this state can have (`x`, `y`: UNION ALL wants the same
    columns in every part). Compiling 13 filtered counts in each of the 13 parts cost ~50 ms a home (issue 16);
    these are 3 to 5, most a constant."""
    mine = Q(technician=user)
    today = Q(received_at__gte=start, received_at__lt=end)
    extra = {
        **dict.fromkeys(TO_HAND_BACK, (Q(status_changed_at__lt=stale), None)),
        CaseStatus.ACCEPTE: (Q(technician__isnull=True), Q(location=WorkLocation.DOMICILE)),
        CaseStatus.PLANIFIE: (mine & Q(planned_for__gte=start, planned_for__lt=end), None),
    }.get(state, (None, None))
    return dict(
        n=Count("pk"),
        today=Count("pk", filter=today),
        mine=Count("pk", filter=mine),
        **{
            column: Count("pk", filter=condition) if condition is not None else Value(0)
            for column, condition in zip(("x", "y"), extra, strict=True)
        },
    )


# What the `x` / `y` column of a state's part counts (see _state_aggregates).
EXTRA_COLUMNS = {
    **dict.fromkeys(TO_HAND_BACK, ("not_collected", "")),
    CaseStatus.ACCEPTE: ("to_take", "to_plan"),
    CaseStatus.PLANIFIE: ("my_visits_today", ""),
}
COUNTED_EXTRA = ("not_collected", "to_take", "to_plan", "my_visits_today")


def case_counts_queryset(user) -> QuerySet:
    """The counts' one query: per open state (`per_open_state`'s UNION ALL, each part seeking its state in an
    index) its status, count, received today, the user's own, `x` and `y` (EXTRA_COLUMNS)."""
    start, end = day_range(timezone.localdate())
    stale = day_range(stale_day())[0]
    visible = RepairCase.objects.visible_to(user).order_by()
    parts = [
        visible.filter(status=state)
        .values("status")
        .annotate(**_state_aggregates(state, user, start, end, stale))
        .values_list("status", "n", "today", "mine", "x", "y")
        for state in OPEN_STATUSES
    ]
    return parts[0].union(*parts[1:], all=True)


def _counted(user) -> tuple[dict[str, int], dict[str, int]]:
    def compute() -> tuple[dict[str, int], dict[str, int]]:
        totals = dict.fromkeys(
            ("open", "received_today", "my_open", "my_bench", *BY_STATE, *COUNTED_EXTRA), 0
        )
        by_state: dict[str, int] = {}
        for status, n, today, mine, x, y in case_counts_queryset(user):
            by_state[status] = n
            totals["open"] += n
            totals["received_today"] += today
            totals["my_open"] += mine
            if status in MY_BENCH:
                totals["my_bench"] += mine
            for key, value in zip(EXTRA_COLUMNS.get(status, ("", "")), (x, y), strict=True):
                if key:
                    totals[key] += value
        for key, states in BY_STATE.items():
            totals[key] = sum(by_state.get(state, 0) for state in states)
        return totals, by_state

    return per_request(user, "repairs.case_counts", compute)


def cases_url(**params) -> str:
    """The dossier list filtered (and sorted) by `params`, as the list's own filter form would ask."""
    return reverse("repairs:list") + "?" + urlencode(params)


def home_actions(user) -> list[dict]:
    counts = case_counts(user)
    today = timezone.localdate().isoformat()
    items: list[dict] = []

    def action(key, label, urgency, **params):
        items.append(
            {"key": key, "label": label, "count": counts[key], "urgency": urgency, "url": cases_url(**params)}
        )

    def figure(key, label, order, **params):
        items.append(
            {
                "figure": True,
                "key": key,
                "label": label,
                "value": counts[key],
                "order": order,
                "url": cases_url(**params),
            }
        )

    stale_before = stale_day().isoformat()
    counter = may(user, "reception.queue")
    if counter:
        action(
            "not_collected",
            _("Appareils prêts non retirés depuis %(n)d jours") % {"n": NOT_COLLECTED_DAYS},
            WAITING,
            status="a_rendre",
            changed_before=stale_before,
            sort="status_changed_at",
        )
        action("to_quote", _("Devis à établir et envoyer"), ROUTINE, status=CaseStatus.PREDIAGNOSTIQUE)
    if user.has_role(Role.TECHNICIEN):
        action(
            "my_visits_today",
            _("Mes interventions à domicile aujourd'hui"),
            TODAY,
            status=CaseStatus.PLANIFIE,
            technician=user.pk,
        )
        action(
            "to_take",
            _("Dossiers acceptés à prendre en charge"),
            WAITING,
            status=CaseStatus.ACCEPTE,
            unassigned=1,
        )
        action("my_bench", _("Mes réparations en cours"), ROUTINE, status="en_cours", technician=user.pk)
    if may(user, "repairs.supervise"):
        action(
            "to_plan",
            _("Interventions à domicile à planifier"),
            WAITING,
            status=CaseStatus.ACCEPTE,
            location=WorkLocation.DOMICILE,
        )
        action("to_close", _("Dossiers rendus à clôturer"), ROUTINE, status=CaseStatus.RENDU)
    elif may(user, "billing.money"):  # the accounting side
        action("to_close", _("Appareils rendus à facturer et clôturer"), WAITING, status=CaseStatus.RENDU)
    figure("received_today", _("Reçus aujourd'hui"), 10, date_from=today, date_to=today)
    if user.has_role(Role.TECHNICIEN) and not counter:
        figure("my_open", _("Mes dossiers ouverts"), 20, status="ouverts", technician=user.pk)
    else:
        figure("open", _("Dossiers ouverts"), 20, status="ouverts")
    if may(user, "stock.manage"):
        figure("waiting_parts", _("En attente de pièces"), 40, status=CaseStatus.ATTENTE_PIECES)
    if counter:
        figure("to_hand_back", _("À rendre"), 50, status="a_rendre")
    return items
