"""Home panels of the planning (registered in PlanningConfig.ready through repairs.extensions)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.core.access import may
from atelier.planning import selectors


def home_panel(user):
    panels = []
    if may(user, "planning.my_day"):
        _route, stops = selectors.technician_day(user, timezone.localdate())
        panels.append(
            {
                "key": "planning_my_day",
                "title": _("Mes visites du jour"),
                "links": [
                    {
                        "url": reverse("planning:my_day") + f"#visite-{s.visit_id}",
                        "text": f"{s.visit.order.case.number} · {s.visit.order.case.customer.display_name}",
                        "badge": timezone.localtime(s.start).strftime("%H:%M"),
                    }
                    for s in stops
                ],
                "count": len(stops),
                "empty": _("Aucune visite planifiée aujourd'hui."),
            }
        )
    if may(user, "planning.view"):
        panels.append(
            {
                "key": "planning_day",
                "title": _("Planification des visites"),
                "links": [
                    {"url": reverse("planning:day"), "text": _("Plan du jour"), "badge": ""},
                    {"url": reverse("planning:visits"), "text": _("Visites à planifier"), "badge": ""},
                    {"url": reverse("planning:technicians"), "text": _("Techniciens"), "badge": ""},
                ],
                "count": 3,
                "empty": "",
            }
        )
    return panels


def dossier_section(request, case):
    """On the dossier page: the validated home visit (technician, time, the arrival window told the customer)."""
    stop = selectors.announced_visit(case)
    if stop is None:
        return None
    return {"template": "planning/_dossier_section.html", "stop": stop}


def home_actions(user) -> list[dict]:
    """Bench jobs that will miss their promised date unless something changes (parts late, no room before the
    promise): said before they miss it, with a link to the workshop week that tells why."""
    from atelier.repairs.extensions import URGENT

    at_risk = selectors.workshop_at_risk(user)
    if not at_risk:
        return []
    return [
        {
            "key": "workshop_at_risk",
            "label": _("Travaux d'atelier dont le délai promis est menacé"),
            "count": len(at_risk),
            "urgency": URGENT,
            "url": reverse("planning:workshop"),
        }
    ]
