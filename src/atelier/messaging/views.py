"""The dossier's message thread: its own small page (or fragment, for the dossier page's lazy loading), the
answer to the customer, « Renvoyer » for a failed message. Writes go through messaging.services."""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from atelier.core.access import step_required
from atelier.core.actions import Action, run_action
from atelier.core.scoping import visible_or_404
from atelier.messaging import plugins, services
from atelier.messaging.forms import ReplyForm
from atelier.messaging.models import Message
from atelier.repairs.selectors import case_get


def _thread_url(case) -> str:
    return reverse("repairs:detail", args=[case.pk]) + "#messages"


def _thread_page(request, case, *, failed="", failed_form=None, status=200):
    section = plugins.thread_context(request, case, form=failed_form)
    if request.headers.get("HX-Request"):  # the dossier page loads the section on demand: the fragment only
        return render(request, section["template"], {"section": section}, status=status)
    return render(
        request,
        "messaging/case_thread.html",
        {"nav": "repairs", "case": case, "section": section},
        status=status,
    )


@step_required("messaging.read")
def case_thread(request, pk):
    """The dossier's messages, outbound and inbound, newest first, with the form to answer the customer."""
    return _thread_page(request, case_get(user=request.user, pk=pk))


def _reply_data(request, case, form):
    in_reply_to = form.cleaned_data.get("in_reply_to")
    return {
        "customer": case.customer,
        "channel": form.cleaned_data["channel"],
        "body": form.cleaned_data["body"],
        "in_reply_to": visible_or_404(Message, request.user, pk=in_reply_to, case=case)
        if in_reply_to
        else None,
    }


ACTIONS = {
    "reply": Action(
        ReplyForm,
        services.message_reply,
        lambda message: services.outcome_text([message]),
        form_kwargs=lambda request, case: {"customer": case.customer},
        data=_reply_data,
    )
}


@require_POST
@step_required("messaging.write")
def case_reply(request, pk):
    case = case_get(user=request.user, pk=pk)
    return run_action(request, case, "reply", ACTIONS, show_again=_thread_page, done=_thread_url)


@require_POST
@step_required("messaging.write")
def message_resend(request, pk):
    from django.contrib import messages

    message = visible_or_404(Message.objects.select_related("site", "customer", "case"), request.user, pk=pk)
    again = services.message_resend(actor=request.user, message=message)
    messages.success(request, services.outcome_text([again]))
    if message.case_id:
        return redirect(_thread_url(message.case))
    return redirect("customers:detail", message.customer_id)
