"""What after-sales adds to other screens: the covers section of the dossier page (the same fragment as the
view aftersales:case, so it can be loaded on its own) and the covers and claims on the customer file."""

from django.utils import timezone

from atelier.aftersales.coverage import appliance_coverages
from atelier.core.access import may


def dossier_section(request, case):
    """The covers of the dossier's appliance, its claims; the dossier page loads it when it comes into view
    (repairs:section), like every other app's section."""
    from atelier.aftersales.views import case_covers_context

    if not may(request.user, "aftersales.view", site=case.site_id):
        return None
    return case_covers_context(request, case)


def customer_section(request, customer):
    """A placeholder loaded on its own (htmx), so the customer page pays no query for the covers."""
    if not may(request.user, "aftersales.view", site=customer.site_id):
        return None
    return {"template": "aftersales/_customer_covers_lazy.html", "customer": customer}


def customer_covers_context(request, customer) -> dict:
    """Every appliance of the customer with its covers today, and the customer's claims."""
    user = request.user
    appliances = list(customer.appliances.select_related("customer__site"))
    reports = appliance_coverages(appliances, timezone.localdate())
    return {
        "template": "aftersales/_customer_covers.html",
        "customer": customer,
        "rows": [{"appliance": a, "report": reports[a.pk]} for a in appliances],
        "claims": list(customer.claims.select_related("appliance", "claim_type")[:20]),
        "can_claim": may(user, "aftersales.claim", site=customer.site_id),
    }


def home_actions(user) -> list[dict]:
    """« Entretiens sous contrat à prévoir » on the home of whoever opens their dossiers."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from atelier.aftersales.maintenance import visits_due_count
    from atelier.repairs.extensions import WAITING

    if not may(user, "aftersales.contracts"):
        return []
    return [
        {
            "key": "maintenance_due",
            "label": _("Entretiens sous contrat à prévoir"),
            "count": visits_due_count(user),
            "urgency": WAITING,
            "url": reverse("aftersales:maintenance"),
        }
    ]
