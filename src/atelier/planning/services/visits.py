"""The home visits to plan: made from the repair orders « à domicile », their estimated duration (corrected by
the durations measured on past visits) and the customer's windows."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.core.errors import AtelierError
from atelier.core.locking import lock
from atelier.core.models import User
from atelier.planning.models import (
    Need,
    Visit,
    VisitPriority,
    VisitWindow,
)
from atelier.planning.services.common import _manager
from atelier.quotes.models import RepairOrder
from atelier.quotes.skills import checked_codes, read_skills, tool_choices
from atelier.repairs.choices import CaseStatus, WorkLocation
from atelier.repairs.models import RepairCase

# Minutes by family: a first estimate, corrected by the durations measured on past visits of the family.
BASE_MINUTES = {
    "lave_linge": 60,
    "lave_vaisselle": 55,
    "seche_linge": 50,
    "cuisson": 50,
    "froid": 75,
    "petit_electromenager": 30,
    "televiseur": 45,
    "audio": 40,
    "video": 40,
    "autre": 45,
}
HISTORY_MIN = 3


def estimate_minutes(family: str, needs: list[str]) -> int:
    """The family's base (plus a quarter of an hour for component-level work), averaged with history."""
    base = BASE_MINUTES.get(family, 45) + (15 if Need.NIVEAU_2 in needs else 0)
    past = [
        minutes
        for minutes in Visit.objects.filter(family=family, actual_minutes__isnull=False)
        .order_by("-created_at")
        .values_list("actual_minutes", flat=True)[:20]
        if minutes is not None  # excluded by the filter; narrows the type
    ]
    if len(past) < HISTORY_MIN:
        return base
    return round((base + sum(past) / len(past)) / 2)


# The dossier states whose home visit waits for the planner (the visits list shows these).
TO_PLAN = (CaseStatus.ACCEPTE, CaseStatus.ATTENTE_PIECES, CaseStatus.PLANIFIE)


def visit_for_order(order: RepairOrder) -> Visit | None:
    """The visit to plan of a new repair order « à domicile » (quotes.orders calls it when the order is made, in
    its transaction): the visits list then has nothing to catch up on when it is opened."""
    if order.location != WorkLocation.DOMICILE or Visit.objects.filter(order=order).exists():
        return None
    return _make_visit(order)


def _make_visit(order: RepairOrder) -> Visit:
    appliance = order.case.appliance
    needs = read_skills(order.skills)[0]  # codes (free text before quotes 0003)
    urgent = appliance.family == "froid"
    flexible = order.promised_on > timezone.localdate() + datetime.timedelta(days=7)
    return Visit.objects.create(
        order=order,
        site_id=order.case.site_id,
        family=appliance.family,
        brand=appliance.brand,
        duration_minutes=estimate_minutes(appliance.family, needs),
        priority=VisitPriority.URGENT
        if urgent
        else VisitPriority.FLEXIBLE
        if flexible
        else VisitPriority.NORMAL,
        needs=needs,
        tool_kinds=",".join(t.strip() for t in order.tools.split(",") if t.strip()),
    )


def orders_without_visit(site):
    """Home repair orders of the site's open dossiers that have no visit yet: the open dossiers first (index on
    site and state), their orders by key: a shop's open work, not its history."""
    cases = RepairCase.objects.filter(site=site, status__in=TO_PLAN)
    return RepairOrder.objects.filter(
        case__in=cases.values("pk"), location=WorkLocation.DOMICILE, visit__isnull=True
    ).select_related("case__appliance")


@transaction.atomic
def visits_sync(*, site) -> int:
    """Make the visit to plan of every home repair order of the site's open dossiers that has none yet (orders
    made before visit_for_order existed, or written in bulk); returns how many. The optimiser calls it first."""
    made = 0
    for order in orders_without_visit(site):
        _make_visit(order)
        made += 1
    return made


@transaction.atomic
def visit_update(
    *,
    actor: User,
    visit: Visit,
    duration_minutes: int,
    priority: str,
    needs: list[str],
    tool_kinds: list[str] | str,
    windows: list[tuple[datetime.date, datetime.time, datetime.time]],
) -> Visit:
    """Change what the planner knows of a visit; the customer's windows are replaced as a whole."""
    _manager(actor, visit.site)
    if not 5 <= duration_minutes <= 600:
        raise AtelierError(_("La durée doit être entre 5 et 600 minutes."), field="duration_minutes")
    for day, start, end in windows:
        if end <= start:
            raise AtelierError(
                _("Créneau impossible le %(d)s : %(s)s–%(e)s finit avant de commencer.")
                % {"d": day.strftime("%d/%m/%Y"), "s": start.strftime("%H:%M"), "e": end.strftime("%H:%M")},
                field="windows",
            )
        if day < timezone.localdate():
            raise AtelierError(_("Un créneau ne peut pas être dans le passé."), field="windows")
    tools = checked_codes(tool_kinds, tool_choices(), field="tool_kinds")
    fresh = lock(visit)
    fresh.duration_minutes = duration_minutes
    fresh.priority = priority
    fresh.needs = sorted(set(needs))
    fresh.tool_kinds = tools
    fresh.full_clean()
    fresh.save()
    fresh.windows.all().delete()
    VisitWindow.objects.bulk_create(
        [VisitWindow(visit=fresh, day=d, start=s, end=e) for d, s, e in sorted(windows)]
    )
    return fresh


# Steps that end the time spent on site: repaired, or stopped to wait for a part.
ON_SITE_ENDS = ("mark_repaired", "wait_for_parts")
LONGEST_VISIT = 8 * 60  # minutes: a longer gap means the repair was not timed on one visit (e.g. left open)


def record_actual_duration(case, step_name: str, actor, at) -> None:
    """After-step hook: the minutes between « Commencer la réparation » and the end of the work on site become
    the visit's actual duration, which corrects the next estimates of its family (estimate_minutes)."""
    if step_name not in ON_SITE_ENDS or case.location != WorkLocation.DOMICILE:
        return
    from atelier.repairs.models import CaseEvent

    started = (
        CaseEvent.objects.filter(case=case, kind="transition", to_status=CaseStatus.EN_REPARATION, at__lte=at)
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    if started is None:
        return
    minutes = round((at - started).total_seconds() / 60)
    if 0 < minutes <= LONGEST_VISIT:
        visit = Visit.objects.filter(order__case=case).order_by("-pk").first()
        if visit is not None:
            Visit.objects.filter(pk=visit.pk).update(actual_minutes=minutes)
