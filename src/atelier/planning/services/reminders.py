"""The reminder the day before a home visit (run daily by the scheduler: planning.jobs)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from atelier.messaging.choices import Purpose
from atelier.messaging.models import Message
from atelier.messaging.services import message_enqueue
from atelier.operations.contact import preferred_channel
from atelier.planning.models import PlanStop
from atelier.repairs.choices import CaseStatus
from atelier.repairs.models import RepairCase


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def reminder_text(case: RepairCase, stop: PlanStop | None) -> str:
    names = {
        "site": case.site.name,
        "day": formats.date_format(timezone.localtime(case.planned_for), "l j F"),
        "n": case.number,
        "phone": case.site.phone or "",
    }
    if stop is not None:
        names["a"] = timezone.localtime(stop.arrival_from).strftime("%H:%M")
        names["b"] = timezone.localtime(stop.arrival_to).strftime("%H:%M")
        text = _(
            "%(site)s : rappel, votre technicien passe demain, %(day)s, entre %(a)s et %(b)s (dossier %(n)s)."
        )
    else:
        text = _("%(site)s : rappel, votre technicien passe demain, %(day)s (dossier %(n)s).")
    text %= names
    if case.site.phone:
        text += " " + _("Un empêchement ? Appelez le %(phone)s.") % names
    return text


@transaction.atomic
def visit_reminders_send(*, site, today: datetime.date) -> list[RepairCase]:
    """Remind every customer of the site whose home visit is tomorrow, once: a dossier that already has a
    « rappel de visite » written since the start of today (the day before the visit) is skipped, so a second run
    sends nothing, and a visit moved to another day is reminded again the day before its new date."""
    tomorrow = today + datetime.timedelta(days=1)
    cases = (
        RepairCase.objects.filter(
            site=site,
            status=CaseStatus.PLANIFIE,
            planned_for__gte=_start_of(tomorrow),
            planned_for__lt=_start_of(tomorrow + datetime.timedelta(days=1)),
        )
        .exclude(
            pk__in=Message.objects.filter(
                purpose=Purpose.VISIT_REMINDER, created_at__gte=_start_of(today), case__isnull=False
            ).values("case_id")
        )
        .select_related("customer", "site")
        .order_by("planned_for", "pk")
    )
    reminded = []
    for case in cases:
        stop = (
            PlanStop.objects.filter(visit__order__case=case, route__validated=True, route__plan__day=tomorrow)
            .order_by("-pk")
            .first()
        )
        message_enqueue(
            site=site,
            customer=case.customer,
            case=case,
            channel=preferred_channel(case.customer),
            purpose=Purpose.VISIT_REMINDER,
            subject=_("Rappel de votre rendez-vous – dossier %(n)s") % {"n": case.number},
            body=reminder_text(case, stop),
        )
        reminded.append(case)
    return reminded
