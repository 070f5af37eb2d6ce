"""What disputes add to other screens: a section on the dossier page (loaded on demand, like every app's) and a
placeholder on the customer file that loads the customer's disputes on its own (htmx)."""

from django.utils import timezone

from atelier.core.access import may
from atelier.disputes.selectors import disputes_of_case, disputes_of_customer, mediator_of


def dossier_section(request, case):
    if not may(request.user, "disputes.view", site=case.site_id):
        return None
    return case_disputes_context(request, case)


def case_disputes_context(request, case) -> dict:
    user = request.user
    return {
        "template": "disputes/_case_disputes.html",
        "case": case,
        "disputes": disputes_of_case(case),
        "today": timezone.localdate(),
        "can_open": may(user, "disputes.handle", case.site_id),
        "can_pack": may(user, "disputes.evidence", case.site_id),
        "no_mediator": may(user, "disputes.decide", case.site_id) and mediator_of(case.site_id) is None,
    }


def customer_section(request, customer):
    if not may(request.user, "disputes.view", site=customer.site_id):
        return None
    return {"template": "disputes/_customer_disputes_lazy.html", "customer": customer}


def customer_disputes_context(request, customer) -> dict:
    return {
        "template": "disputes/_customer_disputes.html",
        "customer": customer,
        "disputes": disputes_of_customer(customer),
        "today": timezone.localdate(),
        "can_open": may(request.user, "disputes.handle", customer.site_id),
    }
