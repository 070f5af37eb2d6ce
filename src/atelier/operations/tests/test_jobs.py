"""The jobs declared by operations itself: the outbox sweeper and the retention job (functions of other areas,
resolved by their path when they run), the nightly journal check, the pruning of task results."""

import datetime
import sys
import types

import pytest
from django.utils import timezone

from atelier.billing import verify
from atelier.operations.registry import all_jobs
from atelier.operations.services import job_run


def test_the_outbox_sweeper_calls_both_functions_of_the_outbox(db, monkeypatch):
    from atelier.messaging import services as messaging

    seen = []
    monkeypatch.setattr(
        messaging, "requeue_stuck", lambda now=None: seen.append(("stuck", now)) or 2, raising=False
    )
    monkeypatch.setattr(
        messaging, "queue_due", lambda now=None: seen.append(("due", now)) or 3, raising=False
    )
    job = all_jobs()["outbox_sweep"]
    assert job.available
    run = job_run(job, now=timezone.now())
    assert (run.outcome, run.summary) == (
        "ok",
        {"text": "2 envoi(s) interrompu(s) repris, 3 message(s) remis en file.", "requeued": 2, "queued": 3},
    )
    assert [name for name, _ in seen] == ["stuck", "due"]


def test_the_retention_job_passes_todays_date_and_counts_every_site(db, monkeypatch):
    days = []
    fake = types.ModuleType("atelier.customers.retention")
    fake.run_retention = lambda *, today=None, dry_run=False: days.append(today) or {1: 2, 2: 1}
    monkeypatch.setitem(sys.modules, "atelier.customers.retention", fake)
    at = datetime.datetime(2026, 3, 10, 2, 30, tzinfo=datetime.UTC)  # 03:30 in Paris
    run = job_run(all_jobs()["retention"], now=at)
    assert (run.outcome, run.summary["text"], days) == (
        "ok",
        "3 fiche(s) client anonymisée(s).",
        [datetime.date(2026, 3, 10)],
    )


def test_a_broken_journal_makes_the_nightly_check_an_error_for_the_manager(db, monkeypatch):
    broken = verify.Verdict(
        False, 12, "site PAR1 : écriture n° 4 manquante", ["site PAR1 : écriture n° 4 manquante", "b"]
    )
    monkeypatch.setattr(verify, "journal_verify", lambda **kw: broken)
    run = job_run(all_jobs()["journal_check"], now=timezone.now().replace(hour=3))
    assert (run.outcome, run.error) == (
        "erreur",
        "Journal rompu : site PAR1 : écriture n° 4 manquante (2 problème(s) ; « atelier journal verify » les liste).",
    )


def test_the_journal_check_of_a_sound_journal_is_dated_on_the_accountant_s_page(site):
    from atelier.billing.models import JournalCheckpoint

    run = job_run(all_jobs()["journal_check"], now=timezone.now().replace(hour=3))
    assert (run.outcome, run.text) == ("ok", "Journal vérifié : 0 écriture(s), aucun problème.")
    checkpoint = JournalCheckpoint.objects.get(site=site)  # what /facturation/ shows as the last full check
    assert (checkpoint.full_ok, checkpoint.full_checked_at is not None) == (True, True)


@pytest.mark.django_db
def test_finished_task_results_older_than_two_weeks_are_pruned():
    from django_tasks_db.models import DBTaskResult

    from atelier.messaging.tasks import deliver_message

    old, recent, waiting = (deliver_message.enqueue(n) for n in (1, 2, 3))
    now = timezone.now()
    DBTaskResult.objects.filter(pk=old.id).update(
        status="SUCCESSFUL", finished_at=now - datetime.timedelta(days=15)
    )
    DBTaskResult.objects.filter(pk=recent.id).update(
        status="SUCCESSFUL", finished_at=now - datetime.timedelta(days=13)
    )
    run = job_run(all_jobs()["prune_task_results"], now=now.replace(hour=4, minute=30))
    assert (run.outcome, run.summary["pruned"]) == ("ok", 1)
    assert sorted(str(pk) for pk in DBTaskResult.objects.values_list("pk", flat=True)) == sorted(
        [str(recent.id), str(waiting.id)]
    )
