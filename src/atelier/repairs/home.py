"""The dossiers' share of the home page: what needs action now and a few figures, per role.

Every count comes from one query over the open dossiers of the user's sites, one aggregate per open state
(`per_open_state`: closed dossiers, the bulk of the table, are never read); days are ranges on the datetime
(core.days), never `__date`.
"""

import datetime

from django.db.models import Count, Q, QuerySet
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


def per_open_state(queryset: QuerySet, **aggregates) -> QuerySet:
    """`aggregates` over the open dossiers of `queryset`, one row per open state that has any (with its
    `status`), in one query: a UNION ALL of one aggregate per state.

    Each part seeks one state in the index on (site, state) or (state): « status IN (13 open states) » made
    SQLite read the whole table for a user of several sites, its statistics averaging the states (closed
    dossiers are nearly all of them) so that 13 states looked like every row (issue 16)."""
    parts = [
        queryset.filter(status=state).order_by().values("status").annotate(**aggregates)
        for state in OPEN_STATUSES
    ]
    return parts[0].union(*parts[1:], all=True)


def case_counts(user) -> dict[str, int]:
    """Counts of the home's dossier concerns for this user, in one query (computed once per request)."""

    def compute() -> dict[str, int]:
        start, end = day_range(timezone.localdate())
        stale = day_range(stale_day())[0]
        mine = Q(technician=user)
        aggregates = dict(
            open=Count("pk"),
            received_today=Count("pk", filter=Q(received_at__gte=start, received_at__lt=end)),
            to_quote=Count("pk", filter=Q(status=CaseStatus.PREDIAGNOSTIQUE)),
            awaiting_answer=Count("pk", filter=Q(status=CaseStatus.DEVIS_ENVOYE)),
            to_hand_back=Count("pk", filter=Q(status__in=TO_HAND_BACK)),
            not_collected=Count("pk", filter=Q(status__in=TO_HAND_BACK, status_changed_at__lt=stale)),
            to_take=Count("pk", filter=Q(status=CaseStatus.ACCEPTE, technician__isnull=True)),
            to_plan=Count("pk", filter=Q(status=CaseStatus.ACCEPTE, location=WorkLocation.DOMICILE)),
            to_close=Count("pk", filter=Q(status=CaseStatus.RENDU)),
            waiting_parts=Count("pk", filter=Q(status=CaseStatus.ATTENTE_PIECES)),
            my_visits_today=Count(
                "pk",
                filter=mine & Q(status=CaseStatus.PLANIFIE, planned_for__gte=start, planned_for__lt=end),
            ),
            my_bench=Count("pk", filter=mine & Q(status__in=MY_BENCH)),
            my_open=Count("pk", filter=mine),
        )
        totals = dict.fromkeys(aggregates, 0)
        for row in per_open_state(RepairCase.objects.visible_to(user), **aggregates):
            for key in totals:
                totals[key] += row[key]
        return totals

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
