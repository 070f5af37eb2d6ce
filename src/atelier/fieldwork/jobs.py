"""Fieldwork's periodic job (operations.registry): the daily sweep of tools whose check is overdue."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from atelier.operations.registry import Job, daily


def tool_sweep(*, now, site) -> dict:
    from atelier.fieldwork.services import quarantine_overdue

    count = quarantine_overdue(on=timezone.localtime(now).date(), site_ids=[site.pk], at=now)
    return {
        "text": _("%(n)s outil(s) mis en quarantaine pour contrôle échu.") % {"n": count},
        "quarantined": count,
    }


JOBS = [
    Job(
        "tool_sweep",
        _l("Contrôles d'outillage échus"),
        daily(6),
        tool_sweep,
        per_site=True,
        description=_l(
            "Met en quarantaine les outils dont le contrôle périodique est échu et prévient le responsable "
            "(comme « atelier fieldwork_sweep »)."
        ),
    ),
]
