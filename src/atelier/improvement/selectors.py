"""Reads of improvement, always through `visible_to` (another site's object is 404)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from atelier.core.params import as_id
from atelier.core.scoping import visible_or_404
from atelier.improvement import indicators
from atelier.improvement.choices import ActionStatus, FollowUp, Indicator
from atelier.improvement.models import ImprovementAction, SurveyAnswer

FIGURES_DAYS = 90  # the survey figures on the pages: the last three months


def action_list(*, user, status: str = "", site: str = ""):
    actions = ImprovementAction.objects.visible_to(user).select_related("site", "owner", "proposed_by")
    if status in ActionStatus.values:
        actions = actions.filter(status=status)
    if (site_id := as_id(site)) is not None:
        actions = actions.filter(site_id=site_id)
    return actions


def action_get(*, user, pk) -> ImprovementAction:
    return visible_or_404(
        ImprovementAction.objects.select_related("site", "owner", "proposed_by", "decided_by"), user, pk=pk
    )


def answer_list(*, user, follow_up: str = "", low: bool = False):
    answers = SurveyAnswer.objects.visible_to(user).select_related("case", "site", "follow_up_by")
    if follow_up in FollowUp.values and follow_up:
        answers = answers.filter(follow_up=follow_up)
    if low:
        answers = answers.exclude(follow_up=FollowUp.AUCUN)
    return answers


def survey_figures(*, site, today: datetime.date | None = None) -> dict:
    """NPS, share of satisfied customers and number of answers over the last FIGURES_DAYS of one site."""
    today = today or timezone.localdate()
    start = today - datetime.timedelta(days=FIGURES_DAYS - 1)
    low, high = indicators.bounds(start, today)
    return {
        "site": site,
        "start": start,
        "end": today,
        "answers": SurveyAnswer.objects.filter(site=site, answered_at__gte=low, answered_at__lt=high).count(),
        "nps": indicators.measure(Indicator.NPS, site=site, start=start, end=today),
        "satisfaction": indicators.measure(Indicator.SATISFACTION, site=site, start=start, end=today),
        "to_follow": SurveyAnswer.objects.filter(site=site, follow_up=FollowUp.A_TRAITER).count(),
    }
