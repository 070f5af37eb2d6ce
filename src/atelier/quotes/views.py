"""Quote screens: solutions of a dossier, the quote with its versions and decisions, the repair order, PDFs.

Every write goes through `core.actions`: a form, a service, a message; a refusal shows the page again with
the French reason and the refusal's status (400 input, 403 role, 409 state), nothing written."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from atelier.core.access import step_required
from atelier.core.actions import Action, run_action
from atelier.core.pdf import pdf_response
from atelier.core.scoping import visible_or_404
from atelier.quotes import decisions, documents, forms, orders, selectors, services
from atelier.quotes.choices import AcceptanceContext, PartAction, QuoteStatus, SendChannel
from atelier.quotes.guarantee import repair_guarantee_terms
from atelier.quotes.models import QuoteLine, Solution
from atelier.repairs.choices import WorkLocation
from atelier.repairs.selectors import case_get
from atelier.stock.selectors import order_part_states


def _solution_page(request, case, *, failed=None, failed_form=None, status=200):
    form = failed_form if failed_form is not None else forms.SolutionForm()
    return render(
        request, "quotes/solution_form.html", {"nav": "repairs", "case": case, "form": form}, status=status
    )


SOLUTION = {
    "solution": Action(
        form=forms.SolutionForm,
        plain_ids=True,
        service=services.solution_create,
        success=lambda solution: _("Solution « %(t)s » ajoutée.") % {"t": solution.title},
    )
}


@step_required("quotes.write")
def solution_create(request, case_pk):
    case = case_get(user=request.user, pk=case_pk)
    if request.method != "POST":
        return _solution_page(request, case)
    return run_action(
        request,
        case,
        "solution",
        SOLUTION,
        show_again=_solution_page,
        done=lambda case: reverse("repairs:detail", args=[case.pk]),
    )


def _dossier_with_reason(request, solution, *, failed=None, failed_form=None, status=200):
    """The « Établir le devis » button has no form of its own: the reason goes on top of the dossier."""
    for error in failed_form.non_field_errors():
        messages.error(request, error)
    return redirect("repairs:detail", pk=solution.case_id)


QUOTE_CREATE = {
    "create": Action(
        form=forms.QuoteCreateForm,
        service=services.quote_create,
        success=lambda quote: _("Devis version %(v)s préparé.") % {"v": quote.version},
        target="solution",
        data=lambda request, solution, form: {"case": solution.case},
        next=lambda request, solution, quote: reverse("quotes:detail", args=[quote.pk]),
    )
}


@require_POST
@step_required("quotes.write")
def quote_create(request, solution_pk):
    solution = visible_or_404(Solution.objects.select_related("case"), request.user, pk=solution_pk)
    return run_action(
        request, solution, "create", QUOTE_CREATE, show_again=_dossier_with_reason, done=lambda s: None
    )


def _forms(request, quote, failed=None, failed_form=None) -> dict:
    def pick(name, factory):
        return failed_form if failed == name else factory()

    return {
        "line": pick("line", lambda: forms.LineForm(auto_id="id_line_%s")),
        "update": pick(
            "update",
            lambda: forms.QuoteUpdateForm(
                auto_id="id_update_%s",
                initial={
                    "valid_until": quote.valid_until,
                    "is_charged": quote.is_charged,
                    "charge_ht": quote.charge_ht,
                    "used_part_info": quote.used_part_info,
                    "used_part_exemption": quote.used_part_exemption_id,
                },
            ),
        ),
        "bonus": pick("bonus", lambda: forms.BonusForm(auto_id="id_bonus_%s", initial={"apply": True})),
        "send": pick(
            "send", lambda: forms.SendForm(auto_id="id_send_%s", initial={"channel": SendChannel.PAPIER})
        ),
        "accept": pick(
            "accept",
            lambda: forms.AcceptForm(
                auto_id="id_accept_%s",
                initial={
                    "context": AcceptanceContext.HORS_ETABLISSEMENT
                    if quote.case.location == WorkLocation.DOMICILE
                    else AcceptanceContext.COMPTOIR
                },
            ),
        ),
        "early_start": pick("early_start", lambda: forms.EarlyStartForm(auto_id="id_early_%s")),
        "refuse": pick("refuse", lambda: forms.RefuseForm(auto_id="id_refuse_%s")),
        "order": pick("order", lambda: forms.RepairOrderForm(auto_id="id_order_%s", user=request.user)),
    }


# The quote's state in which each action's form is on the page (None: never, the reason goes on top).
SHOWN_IN = {
    "line": QuoteStatus.BROUILLON,
    "update": QuoteStatus.BROUILLON,
    "bonus": QuoteStatus.BROUILLON,
    "send": QuoteStatus.BROUILLON,
    "accept": QuoteStatus.ENVOYE,
    "refuse": QuoteStatus.ENVOYE,
    "order": QuoteStatus.ACCEPTE,
    "early_start": QuoteStatus.ACCEPTE,
    "line_remove": None,
}


def _render(request, quote, *, failed=None, failed_form=None, status=200):
    from atelier.quotes.rules import bonus_check

    if failed and SHOWN_IN[failed] != quote.status:  # the form is not on the page: say why at the top
        for error in failed_form.non_field_errors():
            messages.error(request, error)

    lines, breakdown = selectors.quote_lines_with_breakdown(quote)
    versions = list(quote.case.quotes.order_by("-version"))
    return render(
        request,
        "quotes/quote_detail.html",
        {
            "nav": "repairs",
            "quote": quote,
            "case": quote.case,
            "lines": lines,
            "breakdown": breakdown,
            "versions": versions,
            "forms": _forms(request, quote, failed, failed_form),
            "failed": failed,
            "bonus": bonus_check(case=quote.case, total_ttc=quote.total_ttc, on=quote.issued_on),
            "order": getattr(quote, "repair_order", None) if quote.status == QuoteStatus.ACCEPTE else None,
            "QuoteStatus": QuoteStatus,
            "withdrawal": decisions.withdrawal_summary(quote),
            "repair_guarantee": repair_guarantee_terms(quote.case.site, quote.issued_on),
        },
        status=status,
    )


@step_required("repairs.view")
def quote_detail(request, pk):
    return _render(request, selectors.quote_get(user=request.user, pk=pk))


ACTIONS = {
    "line": Action(forms.LineForm, services.quote_add_line, _("Ligne ajoutée."), target="quote"),
    "update": Action(forms.QuoteUpdateForm, services.quote_update, _("Devis mis à jour."), target="quote"),
    "bonus": Action(
        forms.BonusForm, services.quote_set_bonus, _("Bonus réparation mis à jour."), target="quote"
    ),
    "send": Action(
        forms.SendForm,
        services.quote_send,
        lambda quote: (
            _(
                "Devis émis : le dossier passe à « Devis envoyé ». E-mail au client mis en file (son état est "
                "sur le dossier)."
            )
            if quote.sent_channel == SendChannel.EMAIL
            else _("Devis envoyé : le dossier passe à « Devis envoyé ».")
        ),
        target="quote",
    ),
    "accept": Action(
        forms.AcceptForm,
        decisions.quote_accept,
        _("Devis accepté : le dossier passe à « Accepté »."),
        target="quote",
    ),
    "refuse": Action(forms.RefuseForm, decisions.quote_refuse, _("Refus enregistré."), target="quote"),
    "early_start": Action(
        forms.EarlyStartForm,
        decisions.quote_record_early_start,
        _("Demande expresse du client notée : la réparation peut commencer."),
        target="quote",
    ),
    "order": Action(
        forms.RepairOrderForm,
        orders.repair_order_create,
        lambda order: _("Ordre de réparation %(n)s établi.") % {"n": order.number},
        target="quote",
        form_kwargs=lambda request, quote: {"user": request.user},
        next=lambda request, quote, order: reverse("quotes:order", args=[order.pk]),
    ),
}


def _to_quote(quote):
    return reverse("quotes:detail", args=[quote.pk])


@require_POST
@login_required
def quote_action(request, pk, action):
    """One action on a quote; a refusal shows the quote again with the French reason, nothing written."""
    quote = selectors.quote_get(user=request.user, pk=pk)
    return run_action(request, quote, action, ACTIONS, show_again=_render, done=_to_quote)


LINE_REMOVE = {
    "line_remove": Action(
        forms.QuoteCreateForm,
        services.quote_remove_line,
        _("Ligne retirée."),
        target="line",
        next=lambda request, line, quote: _to_quote(quote),
    )
}


@require_POST
@login_required
def line_remove(request, pk):
    line = visible_or_404(QuoteLine.objects.select_related("quote__case__site"), request.user, pk=pk)

    def show_again(request, line, **refusal):
        return _render(request, selectors.quote_get(user=request.user, pk=line.quote_id), **refusal)

    return run_action(request, line, "line_remove", LINE_REMOVE, show_again=show_again, done=None)


@login_required
def quote_pdf(request, pk):
    quote = selectors.quote_get(user=request.user, pk=pk)
    name = quote.number or f"devis-{quote.case.number}-v{quote.version}-brouillon"
    return pdf_response(documents.quote_pdf(quote), name)


@step_required("repairs.view")
@require_GET
def order_detail(request, pk):
    order = selectors.repair_order_get(user=request.user, pk=pk)
    return render(
        request,
        "quotes/order_detail.html",
        {
            "nav": "repairs",
            "order": order,
            "case": order.case,
            "parts": order_part_states(order),
            "PartAction": PartAction,
        },
    )


@step_required("repairs.view")
@require_GET
def order_pdf(request, pk):
    order = selectors.repair_order_get(user=request.user, pk=pk)
    return pdf_response(documents.repair_order_pdf(order), order.number)
