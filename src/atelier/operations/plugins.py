"""What operations adds to the home page (registered in OperationsConfig.ready): for the manager, the jobs whose
last run failed (a broken journal found by the nightly check among them) and a worker that stopped beating."""

from django.urls import reverse
from django.utils.translation import gettext as _

from atelier.core.access import may
from atelier.operations import selectors
from atelier.operations.registry import all_jobs


def home_panels(user) -> list[dict]:
    if not may(user, "operations.view"):
        return []
    page = reverse("operations:overview")
    jobs = all_jobs()
    failed = [run for run in selectors.last_runs(selectors.runs_visible_to(user)) if run.outcome == "erreur"]
    links = [
        {
            "url": page,
            "text": f"{jobs[run.job].label if run.job in jobs else run.job} · {run.text}"[:200],
            "badge": _("en erreur"),
        }
        for run in sorted(failed, key=lambda r: r.started_at, reverse=True)
    ]
    worker = selectors.worker_health()
    if worker["status"] != "ok":
        links.insert(
            0,
            {
                "url": page,
                "text": _("Service d'envoi et tâches de fond (atelier worker)"),
                "badge": _("jamais vu") if worker["status"] == "absent" else _("dégradé"),
            },
        )
    return [
        {
            "key": "operations_problems",
            "title": _("Tâches planifiées : à voir"),
            "links": links,
            "count": len(links),
            "empty": _("Les tâches planifiées se sont bien passées."),
        }
    ]
