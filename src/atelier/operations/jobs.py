"""Jobs whose code lives in areas built apart (declared by dotted path, resolved when they run) and the
operations' own (pruning the finished task results). The other apps declare theirs in their `jobs.py`."""

from __future__ import annotations

from django.core.management import call_command
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from atelier.operations.registry import Job, daily, every

TASK_RESULTS_KEPT_DAYS = 14


def _retention(function, *, now) -> dict:
    done = function(today=timezone.localtime(now).date())
    total = sum(done.values()) if isinstance(done, dict) else int(done or 0)
    return {"text": _("%(n)s fiche(s) client anonymisée(s).") % {"n": total}, "anonymised": total}


def _outbox_sweep(function, *, now) -> dict:
    from atelier.messaging import services

    stuck = services.requeue_stuck(now=now)
    due = function(now=now)
    return {
        "text": _("%(s)s envoi(s) interrompu(s) repris, %(d)s message(s) remis en file.")
        % {"s": stuck, "d": due},
        "requeued": stuck,
        "queued": due,
    }


def prune_task_results(*, now) -> dict:
    """Delete the background tasks' results finished more than 14 days ago (django-tasks-db's command)."""
    from django_tasks_db.models import DBTaskResult

    before = DBTaskResult.objects.count()
    call_command("prune_db_task_results", queue_name="*", min_age_days=TASK_RESULTS_KEPT_DAYS, verbosity=0)
    pruned = before - DBTaskResult.objects.count()
    return {"text": _("%(n)s résultat(s) de tâche de fond supprimé(s).") % {"n": pruned}, "pruned": pruned}


JOBS = [
    Job(
        "outbox_sweep",
        _l("Reprise des messages en attente"),
        every(5),
        "atelier.messaging.services.queue_due",
        adapt=_outbox_sweep,
        description=_l(
            "Remet en file les messages dont l'envoi a été interrompu ou n'a jamais été confié au service "
            "d'envoi (messaging.services.requeue_stuck et queue_due)."
        ),
    ),
    Job(
        "retention",
        _l("Anonymisation des clients sans contact (RGPD)"),
        daily(3, 30),
        "atelier.customers.retention.run_retention",
        adapt=_retention,
        description=_l(
            "Anonymise les fiches des clients sans contact depuis la durée de conservation du site ; les "
            "factures restent inchangées (10 ans)."
        ),
    ),
    Job(
        "prune_task_results",
        _l("Purge des résultats de tâches de fond"),
        daily(4, 15),
        prune_task_results,
        description=_l("Supprime les résultats des tâches de fond terminées depuis plus de 14 jours."),
    ),
]
