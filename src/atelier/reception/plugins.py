"""What the reception adds to other apps' screens (registered in ReceptionConfig.ready())."""

from django.urls import reverse
from django.utils.translation import gettext as _

from atelier.core.access import may
from atelier.reception import selectors
from atelier.reception.models import Complaint


def home_panels(user) -> list[dict]:
    """The manager sees every complaint not yet handled, until it is."""
    if not may(user, "reception.complaint_close"):
        return []
    open_complaints = selectors.complaints_open(user)
    shown = list(open_complaints[:10])
    return [
        {
            "key": "complaints",
            "title": _("Mécontentements à traiter"),
            "links": [
                {
                    "url": reverse("reception:complaint_detail", args=[c.pk]),
                    "text": f"{c.created_at:%d/%m %H:%M} · {c.get_cause_display()} · "
                    + str(c.customer or (c.ticket and _("ticket %(code)s") % {"code": c.ticket.code}) or ""),
                    "badge": _("responsable appelé") if c.manager_called else "",
                }
                for c in shown
            ],
            "count": len(shown) if len(shown) < 10 else open_complaints.count(),
            "empty": _("Aucun mécontentement en attente."),
        }
    ]


def _complaints_section(complaints: list[Complaint], new_url: str, title: str) -> dict:
    return {
        "template": "reception/_complaints_section.html",
        "complaints": complaints,
        "new_url": new_url,
        "title": title,
    }


def customer_section(request, customer) -> dict:
    complaints = list(customer.complaints.select_related("created_by", "case").order_by("-created_at", "-pk"))
    return _complaints_section(
        complaints, reverse("reception:complaint_create") + f"?client={customer.pk}", _("Mécontentements")
    )


def case_section(request, case) -> dict:
    complaints = list(case.complaints.select_related("created_by").order_by("-created_at", "-pk"))
    return _complaints_section(
        complaints, reverse("reception:complaint_create") + f"?dossier={case.pk}", _("Mécontentements")
    )


def home_actions(user) -> list[dict]:
    from atelier.repairs.extensions import URGENT

    if not may(user, "reception.complaint_close"):
        return []
    return [
        {
            "key": "complaints",
            "label": _("Mécontentements de clients à traiter"),
            "count": selectors.complaints_open(user).count(),
            "urgency": URGENT,
            "url": reverse("reception:complaints"),
        }
    ]
