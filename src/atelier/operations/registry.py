"""The periodic jobs, as data: each app declares its own in `atelier/<app>/jobs.py` (`JOBS = [Job(...)]`, read
like the apps' steps), and the jobs whose code belongs to an area built elsewhere are declared here by the
dotted path of their function, resolved when they run: a job whose function is missing is « non disponible »
(`atelier scheduler --list`), never an import error at start-up.

A job's function (or its `adapt`) takes keyword arguments: `now` (an aware datetime) and, for a job `per_site`,
`site`; it returns a dict whose `text` says in French what it did (kept in `JobRun.summary`, logged).
"""

from __future__ import annotations

import datetime
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Schedule:
    """Daily at `daily_at` (the server's time zone, Europe/Paris), or every `every_minutes` minutes."""

    daily_at: datetime.time | None = None
    every_minutes: int | None = None

    def period(self, now: datetime.datetime) -> str | None:
        """The period `now` falls in, or None when the job is not due yet today (a daily job before its hour).

        A job runs once per period: a scheduler started late runs the day's job at once (catching up), and a
        second scheduler finds the period taken."""
        local = timezone.localtime(now)
        if self.daily_at is not None:
            if local.time() < self.daily_at:
                return None
            return local.date().isoformat()
        minutes = self.every_minutes or 1
        slot = (local.hour * 60 + local.minute) // minutes * minutes
        return f"{local.date().isoformat()}T{slot // 60:02d}:{slot % 60:02d}"

    @property
    def label(self) -> str:
        if self.daily_at is not None:
            return str(_("chaque jour à %(h)s") % {"h": self.daily_at.strftime("%H:%M")})
        return str(_("toutes les %(n)s minutes") % {"n": self.every_minutes})


def daily(hour: int, minute: int = 0) -> Schedule:
    return Schedule(daily_at=datetime.time(hour, minute))


def every(minutes: int) -> Schedule:
    return Schedule(every_minutes=minutes)


@dataclass(frozen=True)
class Job:
    name: str  # the code: `atelier scheduler --job NAME`, JobRun.job
    label: str  # French, shown on the page
    schedule: Schedule
    function: str | Callable  # a callable, or the dotted path of one (resolved at run time)
    per_site: bool = False  # run once per active site (and « Lancer maintenant » for one site)
    description: str = ""
    step: str = "operations.run"  # the step « Lancer maintenant » needs
    # for a function declared by path whose signature is another area's: adapt(function, now=…[, site=…]) → dict
    adapt: Callable | None = None

    def resolve(self) -> Callable | None:
        """The job's function, or None when its module or attribute does not exist (yet)."""
        if callable(self.function):
            return self.function
        module_path, _dot, attribute = self.function.rpartition(".")
        try:
            module = importlib.import_module(module_path)
        except ImportError:
            return None
        return getattr(module, attribute, None)

    @property
    def available(self) -> bool:
        return self.resolve() is not None


@cache
def all_jobs() -> dict[str, Job]:
    """Every app's jobs (its `jobs.JOBS`), then the ones declared by path in operations.jobs, by name."""
    jobs: dict[str, Job] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("atelier."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.jobs")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.jobs":
                raise
            continue
        for job in module.JOBS:
            if job.name in jobs:
                raise ValueError(f"Job declared twice: {job.name}")
            jobs[job.name] = job
    return jobs


def job(name: str) -> Job | None:
    return all_jobs().get(name)
