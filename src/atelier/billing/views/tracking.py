"""The customer's public tracking page, reached without an account by an unguessable link (/suivi/<token>/):
the dossier's steps, the quote to accept or refuse, the invoices to download.

Every answer is private to the holder of the link: `Cache-Control: no-store` (no proxy nor browser keeps a
copy of the page, the quote or the invoice) and `Referrer-Policy: same-origin` (the token never leaves in a
Referer header to another site). An unknown, expired or replaced link (sending a new link revokes the previous
one) answers the same French 404 « Ce lien n'est plus valable », saying nothing of whether the token ever existed."""

from functools import wraps

from django.contrib import messages
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from atelier.billing import forms
from atelier.billing.models import TrackingLink
from atelier.billing.originals import original_pdf
from atelier.core.actions import Action, run_action
from atelier.core.params import as_id
from atelier.core.pdf import pdf_response
from atelier.quotes import decisions
from atelier.quotes.choices import QuoteStatus
from atelier.repairs.choices import CaseStatus, EventKind


def private(view):
    """No copy kept anywhere, no token leaked to another site: on every answer of the public pages."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        # same-origin, not no-referrer: with no-referrer Chromium posts the customer's decision with
        # « Origin: null », which Django's CSRF check refuses
        response["Referrer-Policy"] = "same-origin"
        return response

    return wrapped


def _link(token: str) -> TrackingLink | None:
    """The live link of this token, or None when unknown, expired or revoked (all answer the same 404)."""
    link = (
        TrackingLink.objects.select_related("case", "case__site", "case__appliance")
        .filter(token=token)
        .first()
    )
    if link is None or not link.is_live():
        return None
    return link


def _not_found(request):
    return render(request, "billing/tracking_404.html", status=404)


@private
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


def _withdrawal_days() -> int | None:
    from atelier.core.errors import AtelierError
    from atelier.quotes.rules import withdrawal_days

    try:
        return withdrawal_days(timezone.localdate())
    except AtelierError:
        return None


def _awaiting_quote(case):
    """The quote the customer may accept or refuse now: the latest version sent (or expired, to say so)."""
    return (
        case.quotes.filter(status__in=(QuoteStatus.ENVOYE, QuoteStatus.EXPIRE)).order_by("-version").first()
    )


def _render_tracking(request, link, *, failed: str = "", failed_form=None, failed_quote=None, status=200):
    case = link.case
    quote = _awaiting_quote(case)
    expired = quote is not None and (
        quote.status == QuoteStatus.EXPIRE or quote.valid_until < timezone.localdate()
    )
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
            "invoices": list(case.invoices.filter(main_invoice__isnull=True)),
            "visit": _coming_visit(case),
            "steps": list(
                case.events.filter(kind=EventKind.TRANSITION).order_by("at").values("at", "to_status")
            ),
            "statuses": dict(case._meta.get_field("status").choices),
            "QuoteStatus": QuoteStatus,
            "withdrawal_days": _withdrawal_days(),
        },
        status=status,
    )


DECISIONS = {
    "accept": Action(
        forms.OnlineAcceptForm,
        decisions.quote_accept_online,
        lambda quote: (
            _(
                "Merci : vous avez accepté le devis %(n)s. Nous vous recontactons pour la suite de la réparation."
            )
            % {"n": quote.number}
        ),
        target="quote",
        actor=False,  # the customer has no account: the private link is the proof
    ),
    "refuse": Action(
        forms.OnlineRefuseForm,
        decisions.quote_refuse_online,
        lambda quote: (
            _("Votre refus du devis %(n)s est enregistré. Nous vous recontactons.") % {"n": quote.number}
        ),
        target="quote",
        actor=False,  # the customer has no account: the private link is the proof
    ),
}


def _tracking_decision(request, token, name):
    """The customer's decision on the quote they read (its pk is posted): refused → the page again, nothing
    written, the French reason shown; an unknown or expired link, or a quote not of this dossier → 404."""
    link = _link(token)
    posted = request.POST.get("quote", "")
    quote = (
        link.case.quotes.exclude(status=QuoteStatus.BROUILLON).filter(pk=quote_pk).first()
        if link is not None and (quote_pk := as_id(posted)) is not None
        else None
    )
    if quote is None:
        return _not_found(request)

    def show_again(request, quote, *, failed, failed_form, status):
        return _render_tracking(
            request, link, failed=failed, failed_form=failed_form, failed_quote=quote, status=status
        )

    return run_action(
        request,
        quote,
        name,
        DECISIONS,
        show_again=show_again,
        done=lambda quote: reverse("billing_public:tracking", args=[link.token]),
    )


@require_POST
@private
def tracking_accept(request, token):
    return _tracking_decision(request, token, "accept")


@require_POST
@private
def tracking_refuse(request, token):
    return _tracking_decision(request, token, "refuse")


@private
def tracking_invoice(request, token, pk):
    link = _link(token)
    invoice = link and link.case.invoices.filter(pk=pk, main_invoice__isnull=True).first()
    if invoice is None:
        return _not_found(request)
    return pdf_response(original_pdf(invoice), invoice.number)  # the stored original, as in the back office


@private
def tracking_quote(request, token):
    from atelier.quotes.documents import quote_pdf

    link = _link(token)
    quote = link and _awaiting_quote(link.case)
    if quote is None:
        return _not_found(request)
    return pdf_response(quote_pdf(quote), quote.number)
