"""The planning's periodic job (operations.registry): the reminder the day before a home visit."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from atelier.operations.registry import Job, daily


def visit_reminders(*, now, site) -> dict:
    from atelier.planning.services.reminders import visit_reminders_send

    cases = visit_reminders_send(site=site, today=timezone.localtime(now).date())
    return {
        "text": _("%(n)s rappel(s) de visite pour demain mis en file.") % {"n": len(cases)},
        "cases": [c.number for c in cases],
    }


JOBS = [
    Job(
        "visit_reminders",
        _l("Rappel des visites du lendemain"),
        daily(17),
        visit_reminders,
        per_site=True,
        description=_l(
            "Envoie au client, par son canal préféré, le rappel de la visite à domicile prévue demain (une fois "
            "par visite)."
        ),
    ),
]
