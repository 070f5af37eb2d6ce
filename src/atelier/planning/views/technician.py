"""The technician's side: his day on a tablet, the printable day sheet, the private iCal feed."""

import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from atelier.core.access import may, step_required
from atelier.core.errors import PermissionRefused
from atelier.core.models import User
from atelier.planning import calendar, selectors
from atelier.planning.models import TechnicianProfile
from atelier.planning.views.common import read_day


@step_required("planning.my_day")
def my_day(request):
    day = read_day(request.GET.get("jour"))
    route, stops = selectors.technician_day(request.user, day)
    profile = TechnicianProfile.objects.filter(user=request.user).first()
    return render(
        request,
        "planning/my_day.html",
        {
            "nav": "my_day",
            "day": day,
            "route": route,
            "stops": stops,
            "profile": profile,
            "previous": day - datetime.timedelta(days=1),
            "following": day + datetime.timedelta(days=1),
            "next_planned": None if stops else selectors.next_planned_day(request.user, day),
        },
    )


def _sheet_user(request, pk: int) -> User:
    """His own sheet for a technician; any technician's of their sites for those who read the planning."""
    user = request.user
    if user.pk == pk and may(user, "planning.my_day"):
        return user
    if not may(user, "planning.view"):
        if may(user, "planning.my_day"):
            raise Http404  # another technician's sheet
        raise PermissionDenied(PermissionRefused().message)
    return selectors.technician_get(user, pk)


@login_required
def day_sheet(request, pk, day):
    technician = _sheet_user(request, pk)
    try:
        date = datetime.date.fromisoformat(day)
    except ValueError:
        raise Http404 from None
    route, stops = selectors.technician_day(technician, date)
    return render(
        request,
        "planning/day_sheet.html",
        {"technician": technician, "day": date, "route": route, "stops": stops},
    )


def ical_feed(request, token):
    """Private feed: whoever has the unguessable link reads the technician's validated visits (no login)."""
    profile = get_object_or_404(
        TechnicianProfile.objects.select_related("user"), ical_token=token, is_active=True
    )
    body = calendar.feed(profile, since=timezone.localdate() - datetime.timedelta(days=14))
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")
