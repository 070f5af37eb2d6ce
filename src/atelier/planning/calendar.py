"""A technician's validated visits as an iCalendar feed (RFC 5545, `icalendar` package)."""

import datetime

from django.utils import timezone
from icalendar import Calendar, Event

from atelier.planning import selectors


def feed(profile, *, since: datetime.date) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Atelier SAV//Planification//FR")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"Interventions · {profile}")
    for stop in selectors.technician_feed(profile, since):
        case = stop.visit.order.case
        customer = case.customer
        event = Event()
        event.add(
            "uid", f"atelier-visite-{stop.visit_id}-{stop.route.plan.day:%Y%m%d}@{stop.route.plan.site.code}"
        )
        event.add("dtstamp", timezone.now())
        event.add("dtstart", stop.start)
        event.add("dtend", stop.end)
        event.add(
            "summary", f"{case.number} · {customer.display_name} · {case.appliance.get_family_display()}"
        )
        event.add(
            "location",
            ", ".join(p for p in (customer.address, f"{customer.postcode} {customer.city}".strip()) if p),
        )
        needs = customer.accessibility_needs
        lines = [
            "Arrivée annoncée : {}–{}".format(
                timezone.localtime(stop.arrival_from).strftime("%H:%M"),
                timezone.localtime(stop.arrival_to).strftime("%H:%M"),
            ),
            stop.visit.order.work_to_do,
        ]
        if needs:
            lines.append("Accessibilité : " + ", ".join(str(n) for n in needs))
        event.add("description", "\n".join(lines))
        cal.add_component(event)
    return cal.to_ical()
