"""`atelier scheduler`: runs the periodic jobs at their times (operations.registry), each at most once per
period even with several schedulers running, and records each run (JobRun).

- no option: the loop; checks what is due every `--interval` seconds (30) and writes the « scheduler »
  heartbeat; SIGTERM or SIGINT ends it after the job in progress;
- `--once`: one pass (what is due now), then exits; for cron;
- `--job NAME [--site CODE]`: runs that job now, whatever its period (a run « lancée à la main »);
- `--list`: the jobs, their schedule, whether they are available on this server, their last run.
"""

import logging
import signal
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.core.models import Site
from atelier.operations.choices import Trigger
from atelier.operations.models import JobRun
from atelier.operations.registry import all_jobs
from atelier.operations.selectors import last_runs
from atelier.operations.services import heartbeat_beat, job_run, run_due, sites_for


class Command(BaseCommand):
    help = "Lance les tâches planifiées à leur heure (boucle), une passe (--once), une tâche (--job) ou la liste."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help=_("une seule passe, puis s'arrêter"))
        parser.add_argument("--job", metavar="NOM", help=_("lancer cette tâche maintenant"))
        parser.add_argument("--site", metavar="CODE", help=_("avec --job : le site (tous par défaut)"))
        parser.add_argument("--list", action="store_true", help=_("lister les tâches"))
        parser.add_argument(
            "--interval", type=float, default=30, help=_("secondes entre deux passes (30 par défaut)")
        )

    def handle(self, *args, **options):
        # what each job did goes to the log at INFO (the root logger is at WARNING): like db_worker's verbosity
        if options["verbosity"] >= 1 and not logging.getLogger("atelier.operations").level:
            logging.getLogger("atelier.operations").setLevel(logging.INFO)
        if options["list"]:
            return self.list_jobs()
        if options["job"]:
            return self.run_one(options["job"], options["site"])
        if options["once"]:
            return self.report(run_due())
        self.loop(options["interval"])

    def list_jobs(self):
        last = {run.job: run for run in last_runs(JobRun.objects)}
        for one in all_jobs().values():
            state = _("disponible") if one.available else _("non disponible")
            where = _("par site") if one.per_site else _("tous sites")
            run = last.get(one.name)
            seen = (
                _("dernière : %(d)s, %(o)s")
                % {
                    "d": timezone.localtime(run.started_at).strftime("%d/%m/%Y %H:%M"),
                    "o": run.get_outcome_display(),
                }
                if run
                else _("jamais lancée")
            )
            self.stdout.write(f"{one.name} · {one.schedule.label} · {where} · {state} · {seen}")

    def run_one(self, name, site_code):
        one = all_jobs().get(name)
        if one is None:
            raise CommandError(_("Tâche inconnue : %(n)s (voir --list).") % {"n": name})
        if not one.available:
            raise CommandError(_("Tâche non disponible : %(f)s est introuvable.") % {"f": one.function})
        sites = sites_for(one)
        if site_code:
            if not one.per_site:
                raise CommandError(_("La tâche %(n)s porte sur tous les sites : sans --site.") % {"n": name})
            found = Site.objects.filter(code=site_code).first()
            if found is None:
                raise CommandError(_("Site inconnu : %(c)s.") % {"c": site_code})
            sites = [found]
        runs = [job_run(one, site=s, trigger=Trigger.MANUAL) for s in sites]
        self.report(runs)
        if any(r.outcome == "erreur" for r in runs):
            raise CommandError(_("La tâche %(n)s a échoué.") % {"n": name})

    def report(self, runs):
        for run in runs:
            where = run.site.code if run.site else "*"
            self.stdout.write(f"{run.job} ({where}) : {run.get_outcome_display()} · {run.text}")

    def loop(self, interval):
        stopping = []

        def stop(signum, frame):
            stopping.append(signum)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write(_("Planificateur démarré (passe toutes les %(s)s s).") % {"s": interval})
        while not stopping:
            close_old_connections()
            heartbeat_beat("scheduler")
            self.report(run_due())
            close_old_connections()
            waited = 0.0
            while waited < interval and not stopping:  # wakes up every second to notice a signal
                time.sleep(min(1.0, interval - waited))
                waited += 1.0
        self.stdout.write(_("Planificateur arrêté."))
