"""The daily tool sweep as the scheduler runs it (operations job « tool_sweep »): per site, once per day."""

import datetime

import time_machine
from django.utils import timezone

from atelier.fieldwork.choices import ToolStatus
from atelier.fieldwork.tests.conftest import make_tool
from atelier.operations.models import JobRun
from atelier.operations.registry import all_jobs
from atelier.operations.services import job_run, run_due

DAY = datetime.timedelta(days=1)


def test_the_sweep_quarantines_each_sites_overdue_tools_once_a_day(
    site, other_site, kind_insulation, kind_pat
):
    today = timezone.localdate()
    mine = make_tool(site, kind_insulation, "CI-9", next_check_on=today - DAY)
    theirs = make_tool(other_site, kind_pat, "PAT-9", next_check_on=today - DAY)
    at_six = datetime.datetime.combine(today, datetime.time(6, 5), tzinfo=timezone.get_current_timezone())
    with time_machine.travel(at_six, tick=False):
        run = job_run(all_jobs()["tool_sweep"], site=site)
        assert (run.outcome, run.summary) == (
            "ok",
            {"text": "1 outil(s) mis en quarantaine pour contrôle échu.", "quarantined": 1},
        )
        assert job_run(all_jobs()["tool_sweep"], site=site) is None  # the day's run is done
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.status, theirs.status) == (ToolStatus.QUARANTAINE, ToolStatus.EN_SERVICE)
    with time_machine.travel(at_six + datetime.timedelta(hours=1), tick=False):
        runs = [r for r in run_due(only="tool_sweep")]
    assert [(r.site, r.summary["quarantined"]) for r in runs] == [(other_site, 1)]
    assert JobRun.objects.filter(job="tool_sweep").count() == 2
