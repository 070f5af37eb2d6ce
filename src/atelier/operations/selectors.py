"""Reads of the operations page, the API and /healthz."""

from __future__ import annotations

import datetime

from django.db.models import Max, Q
from django.utils import timezone

from atelier.core.access import sites_allowing
from atelier.core.scoping import site_ids_for
from atelier.operations.models import Heartbeat, JobRun
from atelier.operations.registry import all_jobs

# a process beats every 30 s: four missed beats and it is reported « dégradé »
STALE_AFTER_SECONDS = 120


def _beat(name: str, now: datetime.datetime) -> dict:
    beat = Heartbeat.objects.filter(name=name).first()
    if beat is None:
        return {"status": "absent", "last_heartbeat": None, "age_seconds": None}
    age = max(int((now - beat.at).total_seconds()), 0)
    return {
        "status": "ok" if age <= STALE_AFTER_SECONDS else "degrade",
        "last_heartbeat": beat.at.isoformat(),
        "age_seconds": age,
        "host": beat.host,
        "pid": beat.pid,
    }


def worker_health(now: datetime.datetime | None = None) -> dict:
    """The worker's last heartbeat for /healthz: status « ok », « degrade » (older than 2 minutes) or
    « absent » (never seen). Reported, not enforced: the web's liveness does not depend on the worker."""
    return _beat("worker", now or timezone.now())


def scheduler_health(now: datetime.datetime | None = None) -> dict:
    """The scheduler's last heartbeat and each job's last run (start, outcome), for /healthz."""
    health = _beat("scheduler", now or timezone.now())
    health["jobs"] = {
        run.job: {"at": run.started_at.isoformat(), "outcome": run.outcome}
        for run in last_runs(JobRun.objects)
    }
    return health


def last_runs(queryset) -> list[JobRun]:
    """The latest run of each job in `queryset` (two queries)."""
    latest = queryset.values("job").annotate(last=Max("pk")).values_list("last", flat=True)
    return list(JobRun.objects.filter(pk__in=list(latest)).select_related("site"))


def runs_visible_to(user):
    """Runs of the user's sites where they may see this page, and runs for all sites."""
    sites = set(site_ids_for(user)) & set(sites_allowing(user, "operations.view"))
    return JobRun.objects.filter(Q(site__in=sites) | Q(site__isnull=True)).select_related(
        "site", "triggered_by"
    )


def job_overview(user) -> list[dict]:
    """Every job with its schedule, availability and its last run the user may see (per site ones: the latest
    of their sites)."""
    last = {run.job: run for run in last_runs(runs_visible_to(user))}
    return [
        {"job": job, "available": job.available, "last": last.get(job.name)}
        for job in sorted(all_jobs().values(), key=lambda j: j.label)
    ]


def worker_check() -> dict:
    """/healthz's « worker » check (core.health): « degraded » while the worker is not beating (customers'
    messages and PDFs wait); the web keeps answering 200, restarting it would not bring the worker back."""
    return _failing_unless_ok(worker_health())


def scheduler_check() -> dict:
    """/healthz's « scheduler » check: its heartbeat and each job's last run; « degraded » while it is silent."""
    return _failing_unless_ok(scheduler_health())


def _failing_unless_ok(report: dict) -> dict:
    from atelier.core.health import CheckFailed

    if report["status"] != "ok":
        raise CheckFailed(report)
    return report
