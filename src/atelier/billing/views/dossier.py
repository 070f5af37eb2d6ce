"""The dossier's billing actions: issue the invoice, take a payment or a deposit, refund, record an anomaly
or an unpaid balance, hand the appliance back, report an incident, answer an offer, tell the customer.

Each is a `core.actions.Action`; a refusal shows the billing section again with the French reason and the
refusal's status (400 input, 403 role, 409 state), nothing written; messages to the customer are queued in the
outbox (messaging), never sent inside the request."""

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from atelier.billing import documents, forms, handover, payments, plugins, refunds, services
from atelier.billing.models import AdviceSheet, Suggestion
from atelier.core.access import step_required
from atelier.core.actions import Action, run_action
from atelier.core.money import fr_amount
from atelier.core.pdf import pdf_response
from atelier.messaging.services import outcome_text
from atelier.repairs.selectors import case_get


@step_required("repairs.view")
def case_billing(request, pk, *, failed: str = "", failed_form=None, status=200):
    """The billing section of a dossier on its own page (also where a refused action is shown again)."""
    case = case_get(user=request.user, pk=pk)
    return _billing_page(request, case, failed=failed, failed_form=failed_form, status=status)


def _billing_page(request, case, *, failed: str = "", failed_form=None, status=200):
    if failed_form is not None:  # the reason on top too: some actions (issue, notify…) have no visible form
        for error in failed_form.non_field_errors():
            messages.error(request, error)
    section = plugins.dossier_section(request, case, failed=failed, failed_form=failed_form)
    return render(
        request,
        "billing/case_billing.html",
        {"nav": "repairs", "case": case, "section": section, "failed": failed},
        status=status,
    )


def _to_dossier(case):
    return reverse("repairs:detail", args=[case.pk])


class _ButtonForm(django_forms.Form):
    """A button without fields: the object and the user say everything."""


def _paid(taken):
    total = sum(p.amount for p in taken)
    change = max(p.change_given for p in taken)
    deposit = taken[0].invoice if taken[0].invoice and taken[0].invoice.is_deposit else None
    if deposit is not None:
        text = _("Acompte de %(t)s € enregistré : facture d'acompte %(n)s émise.") % {
            "t": fr_amount(total),
            "n": deposit.number,
        }
    else:
        text = _("Paiement de %(t)s € enregistré.") % {"t": fr_amount(total)}
    if change:
        text += " " + _("Monnaie à rendre : %(c)s €.") % {"c": fr_amount(change)}
    if deposit is not None:  # the message offers the deposit invoice's PDF (escaped text, safe link)
        text = format_html(
            '{} <a href="{}" target="_blank" id="deposit-invoice-pdf">{}</a>',
            text,
            reverse("billing:invoice_pdf", args=[deposit.pk]),
            _("Facture d'acompte %(n)s (PDF)") % {"n": deposit.number},
        )
    return text


def _after_payment(request, case, taken):
    if request.POST.get("receipt"):
        return reverse("billing:receipt", args=[taken[0].pk])
    return _to_dossier(case)


def _payment(deposit: bool) -> Action:
    """« payment » and « deposit » share one form (ids id_pay_…, shown again as « pay »)."""
    return Action(
        forms.PaymentForm,
        payments.payment_take,
        _paid,
        data=lambda request, case, form: {**form.service_kwargs(), "deposit": deposit},
        next=_after_payment,
        form_name="pay",
    )


ACTIONS = {
    "issue": Action(
        _ButtonForm,
        services.invoice_issue,
        lambda invoice: _("Facture %(n)s émise.") % {"n": invoice.number},
        next=lambda request, case, invoice: reverse("billing:invoice", args=[invoice.pk]),
    ),
    "payment": _payment(False),
    "deposit": _payment(True),
    "refund": Action(
        forms.RefundForm,
        refunds.refund_make,
        lambda refund: (
            _("Remboursement de %(a)s € enregistré (%(m)s).")
            % {"a": fr_amount(-refund.amount), "m": refund.get_method_display().lower()}
        ),
    ),
    "anomaly": Action(forms.AnomalyForm, payments.anomaly_record, _("Anomalie enregistrée.")),
    "unpaid": Action(
        forms.UnpaidForm,
        payments.unpaid_record,
        _("Reste dû enregistré."),
        form_kwargs=lambda request, case: {"case": case},
    ),
    "handback": Action(
        forms.HandBackForm, handover.hand_back_record, _("Appareil rendu : signature enregistrée.")
    ),
    "incident": Action(
        forms.IncidentForm, handover.incident_record, _("Remontée pour le fabricant enregistrée.")
    ),
}


@require_POST
@login_required
def case_action(request, pk, action):
    case = case_get(user=request.user, pk=pk)
    return run_action(request, case, action, ACTIONS, show_again=_billing_page, done=_to_dossier)


class OfferAnswerForm(django_forms.Form):
    answer = django_forms.ChoiceField(
        choices=[("oui", _("Le client accepte")), ("non", _("Le client refuse"))]
    )


def _offered(offer):
    return _("« %(d)s » : %(a)s.") % {
        "d": offer.designation,
        "a": _("accepté") if offer.accepted else _("refusé"),
    }


@require_POST
@login_required
def offer_answer(request, pk, suggestion_pk):
    case = case_get(user=request.user, pk=pk)
    suggestion = get_object_or_404(Suggestion, pk=suggestion_pk)
    action = Action(
        OfferAnswerForm,
        handover.offer_record,
        _offered,
        data=lambda request, case, form: {
            "suggestion": suggestion,
            "accepted": form.cleaned_data["answer"] == "oui",
        },
    )
    return run_action(request, case, "offer", {"offer": action}, show_again=_billing_page, done=_to_dossier)


def _told(done_text):
    """« Appareil prêt. Message mis en file : E-mail (en file), SMS (non envoyé : …) »: never « envoyé » before
    the worker has sent it (the dossier's thread shows each message's state as it changes)."""
    return lambda messages: f"{done_text} {outcome_text(messages)}"


def _with_base_url(request, case, form):
    return {"base_url": request.build_absolute_uri("/")}


CUSTOMER_MESSAGES = {
    # « Prévenir le client », « Relancer le client », « Envoyer le lien de suivi au client »
    "notify": Action(_ButtonForm, handover.notify_ready, _told(_("Appareil prêt.")), data=_with_base_url),
    "reminder": Action(
        _ButtonForm,
        handover.payment_reminder_send,
        _told(_("Relance de paiement.")),
        data=_with_base_url,
    ),
    "tracking_send": Action(
        _ButtonForm,
        handover.tracking_link_send,
        _told(_("Lien de suivi.")),
        data=_with_base_url,
    ),
    "advice_send": Action(
        _ButtonForm,
        handover.advice_email,
        _("Fiche conseils : e-mail au client mis en file (son état est sur le dossier)."),
    ),
}


def _customer_message(name):
    """A POST that writes to the customer (e-mail and SMS, tracking link inside): the success names the
    channels used; a refusal is shown on the billing section with its status."""

    @require_POST
    @login_required
    def view(request, pk):
        case = case_get(user=request.user, pk=pk)
        return run_action(request, case, name, CUSTOMER_MESSAGES, show_again=_billing_page, done=_to_dossier)

    view.__name__ = name
    return view


notify = _customer_message("notify")
payment_reminder = _customer_message("reminder")
tracking_send = _customer_message("tracking_send")
advice_send = _customer_message("advice_send")


@login_required
def advice_pdf(request, pk):
    case = case_get(user=request.user, pk=pk)
    sheet = AdviceSheet.objects.filter(family=case.appliance.family).first()
    if sheet is None:
        raise Http404
    return pdf_response(documents.advice_pdf(sheet, case), f"conseils-{case.number}")
