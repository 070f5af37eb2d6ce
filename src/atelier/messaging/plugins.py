"""What messaging adds to the dossier page (its message thread) and to the customer file (their messages).

The dossier's section is also its own small page (views.case_thread) so that it can be loaded on demand."""

from atelier.core.access import may
from atelier.messaging import selectors
from atelier.messaging.choices import Direction, State
from atelier.messaging.forms import ReplyForm


def thread_context(request, case, *, form=None) -> dict:
    user = request.user
    messages = selectors.case_thread(user, case)
    can_write = may(user, "messaging.write", site=case.site)
    reply_form = form
    if can_write and reply_form is None:
        reply_form = ReplyForm(customer=case.customer, auto_id="id_reply_%s")
    last_inbound = next((m for m in messages if m.direction == Direction.IN), None)
    return {
        "template": "messaging/_dossier_section.html",
        "case": case,
        "messages": messages,
        "can_write": can_write,
        "reply_form": reply_form if can_write and reply_form.fields["channel"].choices else None,
        "last_inbound": last_inbound,
        "resendable": (State.FAILED, State.REFUSED),
    }


def dossier_section(request, case):
    if not may(request.user, "messaging.read", site=case.site):
        return None
    return thread_context(request, case)


def customer_section(request, customer):
    if not may(request.user, "messaging.read", site=customer.site):
        return None
    messages = selectors.customer_messages(request.user, customer)
    if not messages:
        return None
    return {"template": "messaging/_customer_messages.html", "messages": messages}
