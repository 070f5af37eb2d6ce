"""The accountant's page (invoices, closures, the journal's check), closures and their PDF, and the
manufacturers' report."""

import datetime

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from atelier.billing import closures, documents, forms, selectors, services_bonus, services_rules
from atelier.billing.choices import PeriodKind
from atelier.billing.models import BonusClaim, ClosingRulesStart, Closure, Incident
from atelier.billing.verify import journal_verify_incremental, last_full_checks
from atelier.core.access import may, step_required
from atelier.core.actions import Action, run_action
from atelier.core.listing import Column, SortableList
from atelier.core.params import as_id
from atelier.core.pdf import pdf_response
from atelier.core.scoping import visible_or_404

INVOICE_COLUMNS = SortableList(
    Column("number", _("N°"), "number"),
    Column("kind", _("Type"), "kind"),
    Column("issued_at", _("Date"), "issued_at"),
    Column("case", _("Dossier"), "case__number"),
    Column("customer", _("Client")),
    Column("total", _("TTC"), "total_ttc", css="nowrap"),
    default="-issued_at",
)
INVOICES_SHOWN = 50


def _invoices(request) -> tuple[list, dict]:
    """The invoice table: filtered by type, site and issue dates (ranges), sorted by its headers, 50 rows."""
    from atelier.billing.choices import DocumentKind
    from atelier.repairs.home import day_range

    qs = selectors.invoices_for(request.user)
    get = request.GET
    filters = {"kind": get.get("kind", ""), "site": get.get("site", ""), "du": "", "au": ""}
    if filters["kind"] in DocumentKind.values:
        qs = qs.filter(kind=filters["kind"])
    if (site_id := as_id(filters["site"])) is not None:
        qs = qs.filter(site_id=site_id)
    for param, lookup, edge in (("du", "issued_at__gte", 0), ("au", "issued_at__lt", 1)):
        try:
            day = datetime.date.fromisoformat(get.get(param, ""))
        except ValueError:
            continue
        filters[param] = day.isoformat()
        qs = qs.filter(**{lookup: day_range(day)[edge]})
    sorting = INVOICE_COLUMNS.sorting(request)
    context = {
        "invoice_headers": sorting.headers,
        "invoice_filters": filters,
        "invoice_sort": "" if sorting.is_default else sorting.value,
        "invoice_kinds": DocumentKind.choices,
    }
    return list(sorting.apply(qs)[:INVOICES_SHOWN]), context


@step_required("billing.read")
def accounting(request):
    """Invoices and credit notes, closures, the journal's check: the accountant's page."""
    return _render_accounting(request)


def _render_accounting(request, _page=None, *, failed=None, failed_form=None, status=200):
    invoices, invoice_context = _invoices(request)
    return render(
        request,
        "billing/accounting.html",
        {
            "nav": "billing",
            "invoices": invoices,
            **invoice_context,
            "closures": _with_covers(
                list(Closure.objects.visible_to(request.user).select_related("site")[:30])
            ),
            **_journal_context(request),
            "form": failed_form
            if failed_form is not None and failed not in MONEY_FORMS
            else forms.ClosureForm(auto_id="id_closure_%s", user=request.user),
            "can_close": may(request.user, "billing.closure"),
            **_money_context(request, failed, failed_form),
        },
        status=status,
    )


def _journal_context(request) -> dict:
    """The journal's check, for those who close: incremental from each site's checkpoint (what was written
    since the last check), and when the last full check ran with its verdict (what came before is its job)."""
    if not may(request.user, "billing.closure"):
        return {"verdict": None}
    sites = list(request.user.visible_sites())
    return {
        "verdict": journal_verify_incremental(sites, by=request.user),
        "full_checks": last_full_checks(sites),
    }


def _with_covers(shown: list[Closure]) -> list[Closure]:
    """Each monthly / yearly closure told how many days / months it covers: one query for the whole list."""
    wide = [c for c in shown if c.period != PeriodKind.JOUR]
    if not wide:
        return shown
    rows = Closure.objects.filter(
        site_id__in={c.site_id for c in wide},
        period__in=[PeriodKind.JOUR, PeriodKind.MOIS],
        start__gte=min(c.start for c in wide),
        end__lte=max(c.end for c in wide),
    ).values_list("site_id", "period", "start")
    for closure in wide:
        sub = PeriodKind.JOUR if closure.period == PeriodKind.MOIS else PeriodKind.MOIS
        n = sum(
            1
            for site_id, period, start in rows
            if (site_id, period) == (closure.site_id, sub) and closure.start <= start <= closure.end
        )
        text = ngettext("%(n)d journée clôturée", "%(n)d journées clôturées", n)
        if sub == PeriodKind.MOIS:
            text = ngettext("%(n)d mois clôturé", "%(n)d mois clôturés", n)
        closure.covers = text % {"n": n}
    return shown


def _closed_message(closure) -> str:
    message = _("Clôture enregistrée : %(c)s.") % {"c": closure}
    earlier = len(getattr(closure, "made", [])) - 1
    if earlier > 0:
        message += " " + ngettext(
            "Avec elle, dans l'ordre : %(n)d autre clôture (jour resté ouvert ou mois terminé).",
            "Avec elle, dans l'ordre : %(n)d autres clôtures (jours restés ouverts, mois terminés).",
            earlier,
        ) % {"n": earlier}
    return message


CLOSURE = {
    "closure": Action(
        forms.ClosureForm,
        closures.closure_run,
        _closed_message,
        target=None,
        form_kwargs=lambda request, page: {"user": request.user},
    )
}


@require_POST
@step_required("billing.closure")
def closure_create(request):
    return run_action(
        request,
        None,
        "closure",
        CLOSURE,
        show_again=_render_accounting,
        done=lambda page: reverse("billing:accounting"),
    )


# --- Money fixes (issue 14, point 7): repair bonus claims and the site's billing start date ----------------
MONEY_FORMS = ("billing_start", "bonus_claim")


def _money_context(request, failed, failed_form) -> dict:
    """The bonus claims to file and to withdraw, and the billing start form: comptable and responsable."""
    user = request.user
    if not may(user, "billing.money"):
        return {"can_money": False}
    start_form = failed_form if failed == "billing_start" and failed_form is not None else None
    return {
        "can_money": True,
        "claims_to_file": list(selectors.bonus_claims_to_file(user)[:50]),
        "claims_to_withdraw": list(selectors.bonus_claims_to_withdraw(user)[:50]),
        "start_form": start_form or forms.BillingStartForm(auto_id="id_start_%s", user=user),
        "starts": list(
            ClosingRulesStart.objects.visible_to(user).select_related("site").order_by("site__code")
        ),
    }


MONEY = {
    "billing_start": Action(
        forms.BillingStartForm,
        services_rules.billing_start_set,
        lambda start: (
            _("Début de facturation du site %(s)s : %(d)s.")
            % {"s": start.site.code, "d": start.since.strftime("%d/%m/%Y")}
        ),
        target=None,
        form_kwargs=lambda request, page: {"user": request.user},
    ),
}


def _show_again(request, obj=None, *, failed=None, failed_form=None, status=200):
    if failed_form is not None:  # a button has no field: its refusal is said on top of the page
        for error in failed_form.non_field_errors():
            messages.error(request, error)
    return _render_accounting(request, failed=failed, failed_form=failed_form, status=status)


@require_POST
@step_required("billing.money")
def billing_start(request):
    return run_action(
        request,
        None,
        "billing_start",
        MONEY,
        show_again=_show_again,
        done=lambda page: reverse("billing:accounting"),
    )


@require_POST
@step_required("billing.money")
def bonus_claim_mark(request, pk, state):
    claim = visible_or_404(BonusClaim.objects.select_related("invoice"), request.user, pk=pk)
    action = Action(
        forms.BonusClaimForm,
        services_bonus.bonus_claim_mark,
        lambda done: (
            _("Demande de bonus de la facture %(n)s : %(s)s.")
            % {"n": done.invoice.number, "s": done.get_state_display().lower()}
        ),
        target="claim",
        data=lambda request, claim, form: {"state": state},
    )
    return run_action(
        request,
        claim,
        "bonus_claim",
        {"bonus_claim": action},
        show_again=_show_again,
        done=lambda claim: reverse("billing:accounting"),
    )


@step_required("billing.read")
def closure_pdf(request, pk):
    closure = visible_or_404(Closure.objects.select_related("site", "closed_by"), request.user, pk=pk)
    return pdf_response(
        documents.closure_pdf(closure), f"cloture-{closure.site.code}-{closure.period}-{closure.start}"
    )


@step_required("billing.incidents_report")
def incidents_report(request):
    incidents = Incident.objects.visible_to(request.user)
    brands = incidents.values("brand").annotate(n=Count("pk")).order_by("-n", "brand")
    rows = {}
    for incident in incidents.select_related("case").order_by("brand", "-at"):
        rows.setdefault(incident.brand, []).append(incident)
    return render(
        request,
        "billing/incidents.html",
        {"nav": "billing", "brands": [(b["brand"], b["n"], rows[b["brand"]]) for b in brands]},
    )
