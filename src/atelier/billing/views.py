"""Billing screens: the dossier's billing actions, invoices and credit notes, receipts, the accounting page
(journal, closures), the manufacturers' report, the advice sheet, and the public tracking page."""

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from atelier.billing import (
    closures,
    deposits,
    documents,
    forms,
    handover,
    payments,
    plugins,
    refunds,
    selectors,
    services,
)
from atelier.billing.journal import journal_verify
from atelier.billing.models import AdviceSheet, Closure, Incident, Payment, Suggestion, TrackingLink
from atelier.core.choices import Role
from atelier.core.errors import AtelierError
from atelier.core.forms import call_service
from atelier.core.money import fr_amount
from atelier.core.pdf import pdf_response
from atelier.core.permissions import role_required
from atelier.quotes.choices import QuoteStatus
from atelier.repairs.choices import CaseStatus
from atelier.repairs.selectors import case_get

BILLING_READERS = (Role.ACCUEIL, Role.RESPONSABLE_SAV, Role.COMPTABLE)


@login_required
def case_billing(request, pk, *, failed: str = "", failed_form=None, status=200):
    """The billing section of a dossier on its own page (also where a refused action is shown again)."""
    case = case_get(user=request.user, pk=pk)
    section = plugins.dossier_section(request, case, failed=failed, failed_form=failed_form)
    return render(
        request,
        "billing/case_billing.html",
        {"nav": "repairs", "case": case, "section": section, "failed": failed},
        status=status,
    )


def _simple(form_class, service, success, *, extra=None, form_kwargs=None):
    """A dossier action: a form whose cleaned data go to a service; refusal → the page again, status 400."""

    def run(request, case):
        kwargs = form_kwargs(case) if form_kwargs else {}
        form = form_class(request.POST, auto_id=f"id_{request.action}_%s", **kwargs)
        if form.is_valid():
            data = dict(form.cleaned_data)
            if extra:
                data = extra(request, case, form)
            done = call_service(form, service, case=case, actor=request.user, **data)
            if done is not None:
                return success(request, case, done)
        return form

    return run


def _issued(request, case, invoice):
    messages.success(request, _("Facture %(n)s émise.") % {"n": invoice.number})
    return redirect("billing:invoice", pk=invoice.pk)


def _paid(request, case, taken):
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
    messages.success(request, text)
    if request.POST.get("receipt"):
        return redirect("billing:receipt", pk=taken[0].pk)
    return redirect("repairs:detail", pk=case.pk)


def _refunded(request, case, refund):
    messages.success(
        request,
        _("Remboursement de %(a)s € enregistré (%(m)s).")
        % {"a": fr_amount(-refund.amount), "m": refund.get_method_display().lower()},
    )
    return redirect("repairs:detail", pk=case.pk)


def _back(text):
    def done(request, case, _result):
        messages.success(request, text)
        return redirect("repairs:detail", pk=case.pk)

    return done


class _IssueForm(django_forms.Form):
    pass


def _payment_kwargs(deposit):
    def extra(request, case, form):
        return {**form.service_kwargs(), "deposit": deposit}

    return extra


ACTIONS = {
    "issue": _simple(_IssueForm, services.invoice_issue, _issued),
    "payment": _simple(forms.PaymentForm, payments.payment_take, _paid, extra=_payment_kwargs(False)),
    "deposit": _simple(forms.PaymentForm, payments.payment_take, _paid, extra=_payment_kwargs(True)),
    "refund": _simple(forms.RefundForm, refunds.refund_make, _refunded),
    "anomaly": _simple(forms.AnomalyForm, payments.anomaly_record, _back(_("Anomalie enregistrée."))),
    "unpaid": _simple(
        forms.UnpaidForm,
        payments.unpaid_record,
        _back(_("Reste dû enregistré.")),
        form_kwargs=lambda case: {"case": case},
    ),
    "handback": _simple(
        forms.HandBackForm, handover.hand_back_record, _back(_("Appareil rendu : signature enregistrée."))
    ),
    "incident": _simple(
        forms.IncidentForm, handover.incident_record, _back(_("Remontée pour le fabricant enregistrée."))
    ),
}
FAILED_FORM = {"deposit": "payment"}


@require_POST
@login_required
def case_action(request, pk, action):
    case = case_get(user=request.user, pk=pk)
    if action not in ACTIONS:
        raise Http404
    request.action = "pay" if action in ("payment", "deposit") else action
    outcome = ACTIONS[action](request, case)
    if isinstance(outcome, HttpResponse):
        return outcome
    status = 403 if any("rôle" in str(e) for e in outcome.non_field_errors()) else 400
    for error in outcome.non_field_errors():
        messages.error(request, error)
    case.refresh_from_db()
    return case_billing(
        request, case.pk, failed=FAILED_FORM.get(action, action), failed_form=outcome, status=status
    )


@require_POST
@login_required
def offer_answer(request, pk, suggestion_pk):
    case = case_get(user=request.user, pk=pk)
    suggestion = get_object_or_404(Suggestion, pk=suggestion_pk)
    accepted = request.POST.get("answer") == "oui"
    try:
        handover.offer_record(case=case, actor=request.user, suggestion=suggestion, accepted=accepted)
    except AtelierError as exc:
        messages.error(request, exc.message)
        return case_billing(request, case.pk, status=exc.status_code)
    messages.success(
        request,
        _("« %(d)s » : %(a)s.")
        % {"d": suggestion.designation, "a": _("accepté") if accepted else _("refusé")},
    )
    return redirect("repairs:detail", pk=case.pk)


def _customer_message(service, done_text):
    """A POST that sends the customer e-mail and SMS through a handover service (tracking link inside); the
    refusal is shown on the billing section with its status, the success names the channels used."""

    @require_POST
    @login_required
    def view(request, pk):
        case = case_get(user=request.user, pk=pk)
        try:
            sent = service(case=case, actor=request.user, base_url=request.build_absolute_uri("/"))
        except AtelierError as exc:
            messages.error(request, exc.message)
            return case_billing(request, case.pk, status=exc.status_code)
        messages.success(request, done_text % {"c": ", ".join(n.get_channel_display() for n in sent)})
        return redirect("repairs:detail", pk=case.pk)

    return view


# « Prévenir le client », « Relancer le client », « Envoyer le lien de suivi au client »
notify = _customer_message(handover.notify_ready, gettext_lazy("Client prévenu (%(c)s)."))
payment_reminder = _customer_message(handover.payment_reminder_send, gettext_lazy("Relance envoyée (%(c)s)."))
tracking_send = _customer_message(
    handover.tracking_link_send, gettext_lazy("Lien de suivi envoyé au client (%(c)s).")
)


@require_POST
@login_required
def advice_send(request, pk):
    case = case_get(user=request.user, pk=pk)
    try:
        handover.advice_email(case=case, actor=request.user)
    except AtelierError as exc:
        messages.error(request, exc.message)
        return case_billing(request, case.pk, status=exc.status_code)
    messages.success(request, _("Fiche conseils envoyée par e-mail."))
    return redirect("repairs:detail", pk=case.pk)


@login_required
def advice_pdf(request, pk):
    case = case_get(user=request.user, pk=pk)
    sheet = AdviceSheet.objects.filter(family=case.appliance.family).first()
    if sheet is None:
        raise Http404
    return pdf_response(documents.advice_pdf(sheet, case), f"conseils-{case.number}")


@role_required(*BILLING_READERS)
def invoice_detail(request, pk):
    invoice = selectors.invoice_get(user=request.user, pk=pk)
    return _render_invoice(request, invoice)


def _render_invoice(request, invoice, *, form=None, status=200):
    return render(
        request,
        "billing/invoice_detail.html",
        {
            **documents.document_context(invoice),
            "nav": "billing",
            "deducted_on": deposits.deducted_on(invoice) if invoice.is_deposit else None,
            "payments": list(invoice.payments.all()) if invoice.is_deposit else [],
            "credit_notes": list(invoice.credit_notes.all()),
            "remaining": selectors.invoice_remaining(invoice),
            "credit_form": form or forms.CreditNoteForm(auto_id="id_credit_%s"),
            "can_credit": not invoice.is_credit_note
            and (request.user.is_superuser or request.user.has_role(Role.COMPTABLE, Role.RESPONSABLE_SAV)),
        },
        status=status,
    )


@require_POST
@role_required(Role.COMPTABLE, Role.RESPONSABLE_SAV)
def credit_note(request, pk):
    invoice = selectors.invoice_get(user=request.user, pk=pk)
    form = forms.CreditNoteForm(request.POST, auto_id="id_credit_%s")
    if form.is_valid():
        note = call_service(
            form, services.credit_note_issue, invoice=invoice, actor=request.user, **form.cleaned_data
        )
        if note:
            messages.success(request, _("Avoir %(n)s émis.") % {"n": note.number})
            return redirect("billing:invoice", pk=note.pk)
    return _render_invoice(request, invoice, form=form, status=400)


@role_required(*BILLING_READERS)
def invoice_pdf(request, pk):
    invoice = selectors.invoice_get(user=request.user, pk=pk)
    return pdf_response(documents.invoice_pdf(invoice), invoice.number)


@role_required(*BILLING_READERS)
def invoice_facturx(request, pk):
    invoice = selectors.invoice_get(user=request.user, pk=pk)
    if not invoice.is_business:
        raise Http404
    return pdf_response(documents.facturx_pdf(invoice), f"{invoice.number}-facturx")


@role_required(*BILLING_READERS)
def receipt(request, pk):
    first = get_object_or_404(
        Payment.objects.select_related("case", "case__site", "case__customer").filter(
            site__in=request.user.visible_sites()
        ),
        pk=pk,
    )
    batch = list(
        Payment.objects.filter(case=first.case, at=first.at).select_related("invoice", "received_by")
    )
    return pdf_response(documents.receipt_pdf(batch), f"recu-{first.case.number}-{first.pk}")


@role_required(*BILLING_READERS)
def accounting(request):
    """Invoices and credit notes, closures, the journal's check: the accountant's page."""
    form = forms.ClosureForm(auto_id="id_closure_%s", user=request.user)
    return _render_accounting(request, form)


def _render_accounting(request, form, status=200):
    sites = request.user.visible_sites()
    return render(
        request,
        "billing/accounting.html",
        {
            "nav": "billing",
            "invoices": selectors.invoices_for(request.user)[:50],
            "closures": Closure.objects.filter(site__in=sites).select_related("site")[:30],
            "verdict": journal_verify()
            if request.user.has_role(Role.COMPTABLE) or request.user.is_superuser
            else None,
            "form": form,
            "can_close": request.user.is_superuser or request.user.has_role(Role.COMPTABLE),
        },
        status=status,
    )


@require_POST
@role_required(Role.COMPTABLE)
def closure_create(request):
    form = forms.ClosureForm(request.POST, auto_id="id_closure_%s", user=request.user)
    if form.is_valid():
        done = call_service(form, closures.closure_run, actor=request.user, **form.cleaned_data)
        if done:
            messages.success(request, _("Clôture enregistrée : %(c)s.") % {"c": done})
            return redirect("billing:accounting")
    return _render_accounting(request, form, status=400)


@role_required(*BILLING_READERS)
def closure_pdf(request, pk):
    closure = get_object_or_404(
        Closure.objects.filter(site__in=request.user.visible_sites()).select_related("site", "closed_by"),
        pk=pk,
    )
    return pdf_response(
        documents.closure_pdf(closure), f"cloture-{closure.site.code}-{closure.period}-{closure.start}"
    )


@role_required(Role.RESPONSABLE_SAV, Role.TECHNICIEN, Role.MAGASINIER, Role.COMPTABLE)
def incidents_report(request):
    incidents = Incident.objects.filter(case__site__in=request.user.visible_sites())
    brands = incidents.values("brand").annotate(n=Count("pk")).order_by("-n", "brand")
    rows = {}
    for incident in incidents.select_related("case").order_by("brand", "-at"):
        rows.setdefault(incident.brand, []).append(incident)
    return render(
        request,
        "billing/incidents.html",
        {"nav": "billing", "brands": [(b["brand"], b["n"], rows[b["brand"]]) for b in brands]},
    )


# ---------------------------------------------------------------- public tracking page (no login)


def _link(token: str) -> TrackingLink | None:
    """The live link of this token, or None when unknown or expired (both answer the same French 404)."""
    link = (
        TrackingLink.objects.select_related("case", "case__site", "case__appliance")
        .filter(token=token)
        .first()
    )
    if link is None or link.expires_at <= timezone.now():
        return None
    return link


def _not_found(request):
    return render(request, "billing/tracking_404.html", status=404)


def tracking(request, token):
    link = _link(token)
    if link is None:
        return _not_found(request)
    return _render_tracking(request, link)


def _coming_visit(case):
    """The technician's coming visit with the arrival window the customer was given, if one is planned."""
    from atelier.planning.selectors import announced_visit

    if case.status != CaseStatus.PLANIFIE:
        return None
    stop = announced_visit(case)
    return stop if stop is not None and stop.arrival_to >= timezone.now() else None


def _awaiting_quote(case):
    """The quote the customer may accept or refuse now: the latest version sent."""
    return case.quotes.filter(status=QuoteStatus.ENVOYE).order_by("-version").first()


def _render_tracking(request, link, *, failed: str = "", failed_form=None, failed_quote=None, status=200):
    case = link.case
    quote = _awaiting_quote(case)
    expired = quote is not None and quote.valid_until < timezone.localdate()
    shown = quote is not None and not expired  # the decision forms are on the page
    if failed_form is not None and not (shown and failed_quote.pk == quote.pk):
        for error in failed_form.non_field_errors():  # the form is not on the page any more: say why on top
            messages.error(request, error)
    return render(
        request,
        "billing/tracking.html",
        {
            "case": case,
            "site": case.site,
            "link": link,
            "quote": quote,
            "quote_expired": expired,
            "decided": case.quotes.filter(status__in=(QuoteStatus.ACCEPTE, QuoteStatus.REFUSE))
            .order_by("-version")
            .first(),
            "accept_form": failed_form
            if failed == "accept"
            else forms.OnlineAcceptForm(auto_id="id_accept_%s"),
            "refuse_form": failed_form
            if failed == "refuse"
            else forms.OnlineRefuseForm(auto_id="id_refuse_%s"),
            "failed": failed,
            "invoices": list(case.invoices.all()),
            "visit": _coming_visit(case),
            "steps": list(case.events.filter(kind="transition").order_by("at").values("at", "to_status")),
            "statuses": dict(case._meta.get_field("status").choices),
        },
        status=status,
    )


def _tracking_decision(request, token, name, form_class, service, success):
    """The customer's decision on the quote they read (its pk is posted): refused → the page again, nothing
    written, the French reason shown; an unknown or expired link, or a quote not of this dossier → 404."""
    link = _link(token)
    posted = request.POST.get("quote", "")
    quote = (
        link.case.quotes.exclude(status=QuoteStatus.BROUILLON).filter(pk=int(posted)).first()
        if link is not None and posted.isdecimal()
        else None
    )
    if quote is None:
        return _not_found(request)
    form = form_class(request.POST, auto_id=f"id_{name}_%s")
    if form.is_valid() and call_service(form, service, quote=quote, **form.service_kwargs()):
        messages.success(request, success % {"n": quote.number})
        return redirect("billing_public:tracking", token=link.token)
    return _render_tracking(request, link, failed=name, failed_form=form, failed_quote=quote, status=400)


@require_POST
def tracking_accept(request, token):
    from atelier.quotes.decisions import quote_accept_online

    return _tracking_decision(
        request,
        token,
        "accept",
        forms.OnlineAcceptForm,
        quote_accept_online,
        _("Merci : vous avez accepté le devis %(n)s. Nous vous recontactons pour la suite de la réparation."),
    )


@require_POST
def tracking_refuse(request, token):
    from atelier.quotes.decisions import quote_refuse_online

    return _tracking_decision(
        request,
        token,
        "refuse",
        forms.OnlineRefuseForm,
        quote_refuse_online,
        _("Votre refus du devis %(n)s est enregistré. Nous vous recontactons."),
    )


def tracking_invoice(request, token, pk):
    link = _link(token)
    invoice = link and link.case.invoices.filter(pk=pk).first()
    if invoice is None:
        return _not_found(request)
    return pdf_response(documents.invoice_pdf(invoice), invoice.number)


def tracking_quote(request, token):
    from atelier.quotes.documents import quote_pdf

    link = _link(token)
    quote = link and _awaiting_quote(link.case)
    if quote is None:
        return _not_found(request)
    return pdf_response(quote_pdf(quote), quote.number)
