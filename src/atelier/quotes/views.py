"""Quote screens: solutions of a dossier, the quote with its versions and decisions, the repair order, PDFs."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from atelier.core.forms import call_service
from atelier.core.pdf import pdf_response
from atelier.quotes import decisions, documents, forms, orders, selectors, services
from atelier.quotes.choices import QuoteStatus
from atelier.quotes.models import QuoteLine, Solution
from atelier.repairs.selectors import case_get


@login_required
def solution_create(request, case_pk):
    case = case_get(user=request.user, pk=case_pk)
    form = forms.SolutionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            done = call_service(
                form, services.solution_create, case=case, actor=request.user, **form.service_kwargs()
            )
            if done:
                messages.success(request, _("Solution « %(t)s » ajoutée.") % {"t": done.title})
                return redirect("repairs:detail", pk=case.pk)
        status = 400
    return render(
        request, "quotes/solution_form.html", {"nav": "repairs", "case": case, "form": form}, status=status
    )


@require_POST
@login_required
def quote_create(request, solution_pk):
    solution = get_object_or_404(
        Solution.objects.select_related("case").filter(case__site__in=request.user.visible_sites()),
        pk=solution_pk,
    )
    form = forms.QuoteCreateForm(request.POST)
    form.is_valid()
    quote = call_service(
        form, services.quote_create, case=solution.case, actor=request.user, solution=solution
    )
    if quote is None:
        for error in form.non_field_errors():
            messages.error(request, error)
        return redirect("repairs:detail", pk=solution.case_id)
    messages.success(request, _("Devis version %(v)s préparé.") % {"v": quote.version})
    return redirect("quotes:detail", pk=quote.pk)


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
                },
            ),
        ),
        "bonus": pick("bonus", lambda: forms.BonusForm(auto_id="id_bonus_%s", initial={"apply": True})),
        "send": pick("send", lambda: forms.SendForm(auto_id="id_send_%s", initial={"channel": "papier"})),
        "accept": pick("accept", lambda: forms.AcceptForm(auto_id="id_accept_%s")),
        "refuse": pick("refuse", lambda: forms.RefuseForm(auto_id="id_refuse_%s")),
        "order": pick("order", lambda: forms.RepairOrderForm(auto_id="id_order_%s", user=request.user)),
    }


# The quote's state in which each action's form is on the page.
SHOWN_IN = {
    "line": "brouillon",
    "update": "brouillon",
    "bonus": "brouillon",
    "send": "brouillon",
    "accept": "envoye",
    "refuse": "envoye",
    "order": "accepte",
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
        },
        status=status,
    )


@login_required
def quote_detail(request, pk):
    return _render(request, selectors.quote_get(user=request.user, pk=pk))


ACTIONS = {
    # name: (form class, service, success message)
    "line": (forms.LineForm, services.quote_add_line, _("Ligne ajoutée.")),
    "update": (forms.QuoteUpdateForm, services.quote_update, _("Devis mis à jour.")),
    "bonus": (forms.BonusForm, services.quote_set_bonus, _("Bonus réparation mis à jour.")),
    "send": (forms.SendForm, services.quote_send, _("Devis envoyé : le dossier passe à « Devis envoyé ».")),
    "accept": (
        forms.AcceptForm,
        decisions.quote_accept,
        _("Devis accepté : le dossier passe à « Accepté »."),
    ),
    "refuse": (forms.RefuseForm, decisions.quote_refuse, _("Refus enregistré.")),
}


@require_POST
@login_required
def quote_action(request, pk, action):
    """One action on a quote; a refusal shows the quote again with the French reason, nothing written."""
    quote = selectors.quote_get(user=request.user, pk=pk)
    if action == "order":
        form = forms.RepairOrderForm(request.POST, auto_id="id_order_%s", user=request.user)
        if form.is_valid():
            order = call_service(
                form, orders.repair_order_create, quote=quote, actor=request.user, **form.cleaned_data
            )
            if order:
                messages.success(request, _("Ordre de réparation %(n)s établi.") % {"n": order.number})
                return redirect("quotes:order", pk=order.pk)
        quote.refresh_from_db()
        return _render(request, quote, failed=action, failed_form=form, status=400)
    if action not in ACTIONS:
        raise Http404
    form_class, service, success = ACTIONS[action]
    form = form_class(request.POST, auto_id=f"id_{action}_%s")
    if form.is_valid() and call_service(form, service, quote=quote, actor=request.user, **form.cleaned_data):
        messages.success(request, success)
        return redirect("quotes:detail", pk=quote.pk)
    quote.refresh_from_db()
    return _render(request, quote, failed=action, failed_form=form, status=400)


@require_POST
@login_required
def line_remove(request, pk):
    line = get_object_or_404(
        QuoteLine.objects.select_related("quote__case__site").filter(
            quote__case__site__in=request.user.visible_sites()
        ),
        pk=pk,
    )
    form = forms.QuoteCreateForm(request.POST)
    form.is_valid()
    if call_service(form, services.quote_remove_line, line=line, actor=request.user):
        messages.success(request, _("Ligne retirée."))
    for error in form.non_field_errors():
        messages.error(request, error)
    return redirect("quotes:detail", pk=line.quote_id)


@login_required
def quote_pdf(request, pk):
    quote = selectors.quote_get(user=request.user, pk=pk)
    name = quote.number or f"devis-{quote.case.number}-v{quote.version}-brouillon"
    return pdf_response(documents.quote_pdf(quote), name)


@login_required
def order_detail(request, pk):
    order = selectors.repair_order_get(user=request.user, pk=pk)
    return render(
        request,
        "quotes/order_detail.html",
        {
            "nav": "repairs",
            "order": order,
            "case": order.case,
            "parts": list(order.parts.select_related("part")),
        },
    )


@login_required
def order_pdf(request, pk):
    order = selectors.repair_order_get(user=request.user, pk=pk)
    return pdf_response(documents.repair_order_pdf(order), order.number)
