"""The scheduler's runner: once per period, errors recorded, manual runs, the command's --list and --job, the
heartbeats, /healthz."""

import datetime
import io
import threading
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection, connections

from atelier.operations import registry, services
from atelier.operations.models import Heartbeat, JobRun
from atelier.operations.registry import Job, daily, every
from atelier.operations.selectors import worker_health

PARIS = ZoneInfo("Europe/Paris")
MORNING = datetime.datetime(2026, 3, 10, 7, 0, tzinfo=PARIS)


@pytest.fixture
def fake_jobs(monkeypatch):
    """Two jobs of the test's own, in place of the registry: a daily one at 06:00 that counts its calls, and
    one every 15 minutes that fails."""
    calls = []

    def counted(*, now):
        calls.append(now)
        return {"text": "fait", "n": len(calls)}

    def broken(*, now):
        raise ValueError("plus de papier")

    jobs = {
        "counted": Job("counted", "Compter", daily(6), counted),
        "broken": Job("broken", "Casser", every(15), broken),
    }
    monkeypatch.setattr(services, "all_jobs", lambda: jobs)
    return calls


def test_a_daily_job_runs_once_a_day_from_its_hour(db, fake_jobs):
    assert services.run_due(now=MORNING.replace(hour=5, minute=59), only="counted") == []
    first = services.run_due(now=MORNING, only="counted")
    again = services.run_due(now=MORNING.replace(hour=23), only="counted")
    tomorrow = services.run_due(now=MORNING + datetime.timedelta(days=1), only="counted")
    assert [(r.job, r.period, r.outcome, r.summary) for r in first + again + tomorrow] == [
        ("counted", "2026-03-10", "ok", {"text": "fait", "n": 1}),
        ("counted", "2026-03-11", "ok", {"text": "fait", "n": 2}),
    ]
    assert len(fake_jobs) == 2
    assert JobRun.objects.count() == 2


def test_a_failing_job_is_recorded_and_its_period_taken(db, fake_jobs):
    (run,) = services.run_due(now=MORNING.replace(minute=20), only="broken")
    assert (run.period, run.outcome, run.error, run.text) == (
        "2026-03-10T07:15",
        "erreur",
        "plus de papier",
        "plus de papier",
    )
    assert "ValueError" in run.summary["traceback"]
    assert services.run_due(now=MORNING.replace(minute=29), only="broken") == []
    assert [r.period for r in services.run_due(now=MORNING.replace(minute=30), only="broken")] == [
        "2026-03-10T07:30"
    ]


def test_a_job_declared_by_a_missing_path_is_not_available(db, monkeypatch, responsable):
    missing = Job("missing", "Absente", daily(1), "atelier.nowhere.run")
    monkeypatch.setattr(services, "all_jobs", lambda: {"missing": missing})
    assert (missing.available, services.run_due(now=MORNING)) == (False, [])
    from atelier.core.errors import AtelierError

    with pytest.raises(AtelierError, match="La tâche « Absente » n'est pas disponible sur ce serveur."):
        services.job_run_now(actor=responsable, name="missing")


def test_a_manual_run_runs_even_when_the_period_was_done(db, fake_jobs, responsable):
    services.run_due(now=MORNING, only="counted")
    (run,) = services.job_run_now(actor=responsable, name="counted")
    assert (run.trigger, run.triggered_by, run.period, run.summary["n"]) == (
        "manuel",
        responsable,
        "manuel",
        2,
    )


def test_a_job_for_all_sites_is_not_launched_by_the_manager_of_one(db, fake_jobs, responsable, other_site):
    from atelier.core.errors import PermissionRefused

    with pytest.raises(PermissionRefused, match="seul un responsable de tous les sites la lance"):
        services.job_run_now(actor=responsable, name="counted")


def test_every_app_declares_its_jobs_in_the_registry(db):
    registry.all_jobs.cache_clear()
    jobs = registry.all_jobs()
    assert sorted(jobs) == [
        "auto_close",
        "indicators_network",
        "indicators_refresh",
        "journal_check",
        "journal_closures",
        "outbox_sweep",
        "payment_reminders",
        "prune_task_results",
        "quote_expiry",
        "retention",
        "survey_invitations",
        "tool_sweep",
        "visit_reminders",
    ]
    assert {n for n, j in jobs.items() if j.per_site} == {
        "auto_close",
        "indicators_refresh",
        "journal_closures",
        "payment_reminders",
        "quote_expiry",
        "survey_invitations",
        "tool_sweep",
        "visit_reminders",
    }


def test_list_says_schedule_availability_and_last_run(db, fake_jobs, monkeypatch):
    from atelier.operations.management.commands import scheduler

    monkeypatch.setattr(scheduler, "all_jobs", services.all_jobs)
    with time_machine.travel(MORNING, tick=False):
        services.run_due(only="counted")
    out = io.StringIO()
    call_command("scheduler", "--list", stdout=out)
    assert out.getvalue().splitlines() == [
        "counted · chaque jour à 06:00 · tous sites · disponible · dernière : 10/03/2026 07:00, Réussie",
        "broken · toutes les 15 minutes · tous sites · disponible · jamais lancée",
    ]


def test_job_option_runs_one_job_now(db, fake_jobs, monkeypatch):
    from atelier.operations.management.commands import scheduler

    monkeypatch.setattr(scheduler, "all_jobs", services.all_jobs)
    out = io.StringIO()
    call_command("scheduler", "--job", "counted", stdout=out)
    assert out.getvalue() == "counted (*) : Réussie · fait\n"
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Tâche inconnue : nope"):
        call_command("scheduler", "--job", "nope")


def test_heartbeat_is_one_row_per_process_updated_in_place(db):
    services.heartbeat_beat("worker", at=MORNING)
    services.heartbeat_beat("worker", at=MORNING + datetime.timedelta(seconds=30))
    beat = Heartbeat.objects.get()
    assert (beat.name, beat.at) == ("worker", MORNING + datetime.timedelta(seconds=30))
    assert worker_health(now=MORNING + datetime.timedelta(seconds=100))["status"] == "ok"
    assert worker_health(now=MORNING + datetime.timedelta(seconds=100))["age_seconds"] == 70
    assert worker_health(now=MORNING + datetime.timedelta(seconds=151))["status"] == "degrade"


def test_healthz_reports_the_worker_and_the_last_runs_and_stays_200(client, db, fake_jobs):
    assert client.get("/healthz").json()["worker"] == {
        "status": "absent",
        "last_heartbeat": None,
        "age_seconds": None,
    }
    with time_machine.travel(MORNING, tick=False):
        services.heartbeat_beat("worker")
        services.run_due(only="counted")
    with time_machine.travel(MORNING + datetime.timedelta(minutes=10), tick=False):
        response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200  # reported, not enforced: the web's liveness does not need the worker
    assert (body["status"], body["worker"]["status"], body["worker"]["age_seconds"]) == (
        "degraded",
        "degrade",
        600,
    )
    assert body["scheduler"]["status"] == "absent"
    assert body["scheduler"]["jobs"] == {"counted": {"at": "2026-03-10T06:00:00+00:00", "outcome": "ok"}}


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_thread_beats_at_start_on_its_own_connection():
    from atelier.operations.heartbeat import HeartbeatThread

    beat = HeartbeatThread("worker", every=3600)
    beat.start()
    beat.stop()
    beat.join(timeout=10)
    assert not beat.is_alive()
    assert Heartbeat.objects.get(name="worker").pid > 0


def test_the_worker_runs_db_worker_between_the_start_and_stop_of_its_heartbeat(db, monkeypatch):
    from atelier.operations.management.commands import worker

    events = []

    class Recorded:
        def __init__(self, name):
            events.append(("new", name))

        def start(self):
            events.append("start")

        def stop(self):
            events.append("stop")

        def join(self, timeout=None):
            events.append("join")

    monkeypatch.setattr(worker, "HeartbeatThread", Recorded)
    monkeypatch.setattr(
        worker.DbWorkerCommand, "handle", lambda self, *a, **options: events.append(("run", options["batch"]))
    )
    call_command("worker", "--batch", "--no-startup-delay")
    assert events == [("new", "worker"), "start", ("run", True), "stop", "join"]


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="two schedulers racing is a PostgreSQL matter; SQLite serialises writers",
)
@pytest.mark.django_db(transaction=True)
def test_two_schedulers_at_the_same_instant_run_a_job_once(monkeypatch):
    """Four schedulers on four real connections pass at the same instant: each period's job runs once, and the
    others find its row taken."""
    calls = []
    job = Job("counted", "Compter", daily(6), lambda *, now: calls.append(now) or {"text": "fait"})
    monkeypatch.setattr(services, "all_jobs", lambda: {"counted": job})
    barrier = threading.Barrier(4)
    got, errors = [], []

    def scheduler():
        try:
            barrier.wait()
            got.append(len(services.run_due(now=MORNING)))
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=scheduler) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(got) == [0, 0, 0, 1]
    assert len(calls) == 1
    assert JobRun.objects.filter(job="counted").count() == 1
