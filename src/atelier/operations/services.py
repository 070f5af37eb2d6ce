"""Running the periodic jobs and recording the background processes' heartbeats.

`job_run` is the one way a job runs (scheduler, `--job`, « Lancer maintenant »): it first inserts the run's row,
whose key (job, site, period) is unique, in its own transaction; a second scheduler inserting the same key gets
an IntegrityError and leaves the period to the first. The job then runs in one transaction: a failure rolls back
its work and is recorded (outcome « erreur », the exception), never raised to the loop.
"""

from __future__ import annotations

import datetime
import logging
import os
import socket
import traceback
import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.core.access import require_step
from atelier.core.errors import AtelierError, PermissionRefused
from atelier.core.models import Site
from atelier.operations.choices import Outcome, Trigger
from atelier.operations.models import Heartbeat, JobRun
from atelier.operations.registry import Job, all_jobs

logger = logging.getLogger("atelier.operations")


def _key(job: Job, site, period: str) -> str:
    return f"{job.name}:{site.pk if site else '*'}:{period}"


def job_run(
    job: Job,
    *,
    site: Site | None = None,
    now: datetime.datetime | None = None,
    trigger: str = Trigger.SCHEDULE,
    actor=None,
) -> JobRun | None:
    """Run `job` (for `site` when it is per site) and record it; None when its period is already taken (or not
    due yet). A manual run is not bound to a period: it runs now, whatever ran before (jobs are idempotent)."""
    now = now or timezone.now()
    if trigger == Trigger.SCHEDULE:
        period = job.schedule.period(now)
        if period is None:
            return None
        key = _key(job, site, period)
    else:
        period = _("manuel")
        key = _key(job, site, f"manuel-{uuid.uuid4().hex}")
    try:
        with transaction.atomic():
            run = JobRun.objects.create(
                job=job.name,
                site=site,
                period=period,
                key=key,
                trigger=trigger,
                triggered_by=actor,
                started_at=timezone.now(),
            )
    except IntegrityError:
        logger.debug("job %s (%s) période %s : déjà lancée ailleurs", job.name, site or "*", period)
        return None
    function = job.resolve()
    try:
        if function is None:
            raise AtelierError(_("Tâche non disponible : %(f)s est introuvable.") % {"f": job.function})
        kwargs = {"now": now, "site": site} if job.per_site else {"now": now}
        with transaction.atomic():
            summary = (job.adapt(function, **kwargs) if job.adapt else function(**kwargs)) or {}
    except Exception as exc:  # recorded and logged: one failing job never stops the scheduler's loop
        logger.exception("job %s (%s) en erreur", job.name, site or "*")
        run.outcome = Outcome.ERROR
        run.error = f"{exc}"[:2000] or type(exc).__name__
        run.summary = {"traceback": traceback.format_exc()[-4000:]}
    else:
        run.outcome = Outcome.OK
        run.summary = _jsonable(summary)
        logger.info("job %s (%s) : %s", job.name, site or "*", run.summary.get("text", run.summary))
    run.finished_at = timezone.now()
    run.save(update_fields=["outcome", "error", "summary", "finished_at"])
    return run


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, int | float | bool | str) or value is None:
        return value
    return str(value)


def sites_for(job: Job) -> list[Site | None]:
    """The sites a job runs for: every active site when it is per site, else [None] (all at once)."""
    if job.per_site:
        return list(Site.objects.filter(is_active=True).order_by("code"))
    return [None]


def run_due(*, now: datetime.datetime | None = None, only: str | None = None) -> list[JobRun]:
    """One pass of the scheduler: every available job whose period has come and is not taken yet."""
    now = now or timezone.now()
    due: list[tuple[Job, Site | None, str]] = []
    active: list[Site | None] | None = None  # read once, for the first job per site
    for job in all_jobs().values():
        if only is not None and job.name != only:
            continue
        period = job.schedule.period(now)
        if period is None:
            continue
        if not job.available:
            logger.debug("job %s non disponible (%s)", job.name, job.function)
            continue
        if job.per_site and active is None:
            active = sites_for(job)
        for site in (active or []) if job.per_site else [None]:
            due.append((job, site, _key(job, site, period)))
    # the periods already done, in one query: a pass every 30 s does not try to insert them again
    taken = set(JobRun.objects.filter(key__in=[key for *_, key in due]).values_list("key", flat=True))
    runs: list[JobRun] = []
    for job, site, key in due:
        if key not in taken and (run := job_run(job, site=site, now=now)) is not None:
            runs.append(run)
    return runs


def job_run_now(*, actor, name: str, site: Site | None = None) -> list[JobRun]:
    """« Lancer maintenant » from the page or the API: a per-site job for one of the actor's sites, a job for
    all sites only by someone who sees every active site (the shop's manager, or the chain's)."""
    job = all_jobs().get(name)
    if job is None:
        raise AtelierError(_("Tâche inconnue : %(n)s.") % {"n": name})
    if not job.available:
        raise AtelierError(_("La tâche « %(l)s » n'est pas disponible sur ce serveur.") % {"l": job.label})
    if job.per_site:
        if site is None:
            raise AtelierError(_("Choisissez le site."), field="site")
        require_step(actor, job.step, site=site)
        sites: list[Site | None] = [site]
    else:
        require_step(actor, job.step)
        every_site = set(Site.objects.filter(is_active=True).values_list("pk", flat=True))
        if not every_site <= set(actor.visible_site_ids):
            raise PermissionRefused(
                _("Cette tâche porte sur tous les sites : seul un responsable de tous les sites la lance.")
            )
        sites = [None]
    runs = [job_run(job, site=s, trigger=Trigger.MANUAL, actor=actor) for s in sites]
    return [run for run in runs if run is not None]  # a manual run has no period to find taken: all are here


def heartbeat_beat(name: str, *, at: datetime.datetime | None = None) -> None:
    """Write the process's sign of life (one row per process name, updated in place)."""
    values = {"at": at or timezone.now(), "pid": os.getpid(), "host": socket.gethostname()[:120]}
    if Heartbeat.objects.filter(name=name).update(**values):
        return
    try:
        with transaction.atomic():
            Heartbeat.objects.create(name=name, **values)
    except IntegrityError:  # another process created it between the update and the insert
        Heartbeat.objects.filter(name=name).update(**values)
