"""The technician's side: his day on a tablet, the printable day sheet, the private iCal feed."""

import datetime

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from atelier.core.choices import Role
from atelier.core.models import User
from atelier.core.permissions import role_required
from atelier.planning import calendar, selectors
from atelier.planning.models import TechnicianProfile
from atelier.planning.views.common import VIEWERS, read_day


@role_required(Role.TECHNICIEN)
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
    if request.user.pk == pk and request.user.has_role(Role.TECHNICIEN):
        return request.user
    if not (request.user.is_superuser or request.user.has_role(*VIEWERS)):
        raise Http404
    return selectors.technician_get(request.user, pk)


@role_required(Role.TECHNICIEN, *VIEWERS)
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
