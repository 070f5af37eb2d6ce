"""« Tâches planifiées »: the jobs, their schedule and last runs, the background processes' heartbeats, and
« Lancer maintenant » per job (per site for the jobs that run per site)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from atelier.core.access import may, sites_allowing, step_required
from atelier.core.errors import AtelierError
from atelier.core.models import Site
from atelier.core.scoping import visible_or_404
from atelier.operations import selectors, services
from atelier.operations.registry import all_jobs

RECENT_RUNS = 30


@step_required("operations.view")
def overview(request):
    user = request.user
    return render(
        request,
        "operations/overview.html",
        {
            "nav": "operations",
            "jobs": selectors.job_overview(user),
            "runs": selectors.runs_visible_to(user)[:RECENT_RUNS],
            "worker": selectors.worker_health(),
            "scheduler": selectors.scheduler_health(),
            "may_run": may(user, "operations.run"),
            "run_sites": Site.objects.filter(pk__in=sites_allowing(user, "operations.run")).order_by("code"),
        },
    )


@require_POST
@step_required("operations.run")
def launch(request, name):
    job = all_jobs().get(name)
    if job is None:
        raise Http404
    site = visible_or_404(Site, request.user, pk=request.POST.get("site")) if job.per_site else None
    try:
        runs = services.job_run_now(actor=request.user, name=name, site=site)
    except AtelierError as exc:
        messages.error(request, exc.message)
        return redirect("operations:overview")
    for run in runs:
        if run.outcome == "ok":
            messages.success(request, _("« %(l)s » : %(t)s") % {"l": job.label, "t": run.text})
        else:
            messages.error(request, _("« %(l)s » en erreur : %(t)s") % {"l": job.label, "t": run.text})
    return redirect("operations:overview")
