"""{% tracking_survey link %}: the satisfaction survey's block on the public tracking page (billing's)."""

from django import template

register = template.Library()


@register.inclusion_tag("improvement/_tracking_survey.html", takes_context=True)
def tracking_survey(context, link):
    from atelier.improvement.views import survey_context

    return {
        **survey_context(link),
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
    }
