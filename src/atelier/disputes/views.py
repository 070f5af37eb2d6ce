"""Screens of disputes: the list (filters, overdue flag), opening one from its source, the dispute page (facts,
timeline, letters, the mediator when due, the forms of each step), its letters and evidence pack as PDFs, and the
sections of the dossier page and the customer file."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from atelier.core.access import may, step_required
from atelier.core.actions import Action, run_action
from atelier.core.forms import call_service
from atelier.core.models import Site
from atelier.core.pdf import pdf_response
from atelier.core.scoping import visible_or_404
from atelier.customers.models import Customer
from atelier.disputes import evidence, selectors, services
from atelier.disputes.choices import DisputeSource, DisputeState
from atelier.disputes.forms import DecideForm, DisputeOpenForm, InstructForm, LetterForm, MediationForm
from atelier.disputes.models import DisputeLetter
from atelier.repairs.models import RepairCase

PAGE_SIZE = 200


@step_required("disputes.view")
@require_GET
def dispute_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("etat", "")
    if state not in DisputeState.values:
        state = ""
    site = request.GET.get("site", "")
    overdue = request.GET.get("en_retard") == "1"
    mine = request.GET.get("les_miens") == "1"
    today = timezone.localdate()
    disputes = selectors.dispute_list(
        user=request.user, state=state, site=site, overdue=overdue, mine=mine, today=today
    )
    sites = list(Site.objects.visible_to(request.user)) if len(request.user.visible_site_ids) > 1 else []
    missing = [
        s
        for s in Site.objects.visible_to(request.user)
        if may(request.user, "disputes.decide", s.pk) and selectors.mediator_of(s.pk) is None
    ]
    return render(
        request,
        "disputes/dispute_list.html",
        {
            "nav": "disputes",
            "disputes": disputes[:PAGE_SIZE],
            "states": DisputeState.choices,
            "state": state,
            "sites": sites,
            "site": site,
            "overdue": overdue,
            "mine": mine,
            "today": today,
            "no_mediator_sites": missing,
        },
    )


# ---------------------------------------------------------------- opening


def _source(request, params) -> dict:
    """The object a dispute is opened from (?mecontentement=, ?reclamation=, ?facture=, ?dossier=, ?client=),
    404 outside the user's sites."""
    from atelier.aftersales.models import Claim
    from atelier.billing.models import Invoice
    from atelier.reception.models import Complaint

    user = request.user
    if value := params.get("mecontentement"):
        complaint = visible_or_404(
            Complaint.objects.select_related("customer", "case__customer"), user, pk=value
        )
        return {
            "source": DisputeSource.MECONTENTEMENT,
            "complaint": complaint,
            "param": "mecontentement",
            "value": complaint.pk,
        }
    if value := params.get("reclamation"):
        claim = visible_or_404(Claim.objects.select_related("customer"), user, pk=value)
        return {
            "source": DisputeSource.RECLAMATION,
            "claim": claim,
            "param": "reclamation",
            "value": claim.pk,
        }
    if value := params.get("facture"):
        invoice = visible_or_404(Invoice.objects.select_related("case__customer"), user, pk=value)
        return {"source": DisputeSource.FACTURE, "invoice": invoice, "param": "facture", "value": invoice.pk}
    if value := params.get("dossier"):
        case = visible_or_404(RepairCase.objects.select_related("customer"), user, pk=value)
        return {"source": DisputeSource.COURRIER, "case": case, "param": "dossier", "value": case.pk}
    if value := params.get("client"):
        customer = visible_or_404(Customer, user, pk=value)
        return {
            "source": DisputeSource.COURRIER,
            "customer": customer,
            "param": "client",
            "value": customer.pk,
        }
    raise Http404


def _described(subject: dict) -> dict:
    """The customer and dossier shown on the form (what the service will derive)."""
    if "complaint" in subject:
        c = subject["complaint"]
        return {"customer": c.customer or (c.case.customer if c.case else None), "case": c.case}
    if "claim" in subject:
        return {
            "customer": subject["claim"].customer,
            "case": subject["claim"].new_case or subject["claim"].earlier_case,
        }
    if "invoice" in subject:
        invoice = subject["invoice"]
        if invoice.case_id is None:  # a second-life appliance sold outside any dossier: its buyer
            sale = getattr(invoice, "appliance_sale", None)
            return {"customer": sale.customer if sale is not None else None, "case": None}
        return {"customer": invoice.case.customer, "case": invoice.case}
    if "case" in subject:
        return {"customer": subject["case"].customer, "case": subject["case"]}
    return {"customer": subject["customer"], "case": None}


@step_required("disputes.handle")
def dispute_create(request: HttpRequest) -> HttpResponse:
    params = request.POST if request.method == "POST" else request.GET
    subject = _source(request, params)
    form = DisputeOpenForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            kwargs = {k: v for k, v in subject.items() if k not in ("param", "value")}
            dispute = call_service(
                form,
                services.dispute_open,
                actor=request.user,
                channel=data["channel"],
                summary=data["summary"],
                received_on=data["received_on"],
                **kwargs,
            )
            if dispute is not None:
                messages.success(request, _("Litige %(n)s ouvert.") % {"n": dispute.number})
                return redirect("disputes:detail", pk=dispute.pk)
        status = getattr(form, "refusal_status", 400)
    return render(
        request,
        "disputes/dispute_form.html",
        {"nav": "disputes", "form": form, "subject": subject, **_described(subject)},
        status=status,
    )


# ---------------------------------------------------------------- the dispute page


def _instruct_kwargs(request, dispute) -> dict:
    return {"site": dispute.site}


ACTIONS = {
    "instruct": Action(
        InstructForm,
        services.dispute_instruct,
        _("Litige instruit."),
        target="dispute",
        form_kwargs=_instruct_kwargs,
    ),
    "propose": Action(
        LetterForm,
        services.dispute_propose,
        _("Proposition envoyée au client (lettre jointe à l'e-mail)."),
        target="dispute",
    ),
    "mediation": Action(
        MediationForm,
        services.dispute_refer_mediation,
        _("Médiateur proposé par écrit au client."),
        target="dispute",
    ),
    "decide": Action(DecideForm, services.dispute_decide, _("Issue enregistrée."), target="dispute"),
}


def _page(request, dispute, *, failed=None, failed_form=None, status=200):
    user = request.user
    site_id = dispute.site_id
    settings = selectors.settings_of(site_id)
    mediator = selectors.mediator_of(site_id)
    today = timezone.localdate()

    def form(name, cls, **kwargs):
        return failed_form if failed == name else cls(auto_id=f"id_{name}_%s", **kwargs)

    timeline = sorted(
        [
            {"at": e.at, "who": e.actor, "label": e.label, "note": e.note}
            for e in dispute.events.select_related("actor")
        ],
        key=lambda r: r["at"],
    )
    return render(
        request,
        "disputes/dispute_detail.html",
        {
            "nav": "disputes",
            "dispute": dispute,
            "timeline": timeline,
            "letters": list(dispute.letters.select_related("sent_by", "message")),
            "today": today,
            "overdue": dispute.is_overdue(today),
            "mediation_due": dispute.mediation_due(settings, today),
            "mediation_due_on": dispute.mediation_due_on(settings),
            "mediator": mediator,
            "settings": settings,
            "failed": failed,
            "failed_form": failed_form,
            "instruct_form": form(
                "instruct",
                InstructForm,
                site=dispute.site,
                initial={
                    "cause": dispute.cause,
                    "cause_detail": dispute.cause_detail,
                    "assigned_to": dispute.assigned_to_id,
                },
            ),
            "propose_form": form("propose", LetterForm),
            "mediation_form": form("mediation", MediationForm),
            "decide_form": form("decide", DecideForm),
            "can_handle": may(user, "disputes.handle", site_id),
            "can_decide": may(user, "disputes.decide", site_id),
            "can_pack": may(user, "disputes.evidence", site_id),
            "open": dispute.state != DisputeState.CLOS,
            "DisputeState": DisputeState,
        },
        status=status,
    )


@step_required("disputes.view")
def dispute_detail(request: HttpRequest, pk: int) -> HttpResponse:
    dispute = selectors.dispute_get(user=request.user, pk=pk)
    if request.method == "POST":
        return run_action(
            request,
            dispute,
            request.POST.get("action", ""),
            ACTIONS,
            show_again=_page,
            done=lambda dispute: reverse("disputes:detail", args=[dispute.pk]),
        )
    return _page(request, dispute)


@step_required("disputes.view")
@require_GET
def letter_pdf(request: HttpRequest, pk: int, letter: int) -> HttpResponse:
    """A letter as sent (kept on the dispute)."""
    dispute = selectors.dispute_get(user=request.user, pk=pk)
    found = get_object_or_404(DisputeLetter, dispute=dispute, pk=letter)
    return pdf_response(bytes(found.pdf), f"{found.kind}-{dispute.number}")


@step_required("disputes.evidence")
@require_GET
def dispute_pack(request: HttpRequest, pk: int) -> HttpResponse:
    dispute = selectors.dispute_get(user=request.user, pk=pk)
    if not may(request.user, "disputes.evidence", dispute.site_id):
        raise Http404
    return pdf_response(evidence.pack_pdf(dispute=dispute), evidence.pack_name(dispute=dispute))


@step_required("disputes.evidence")
@require_GET
def case_pack(request: HttpRequest, pk: int) -> HttpResponse:
    case = visible_or_404(
        RepairCase.objects.select_related("site", "customer", "appliance"), request.user, pk=pk
    )
    if not may(request.user, "disputes.evidence", case.site_id):
        raise Http404
    return pdf_response(evidence.pack_pdf(case=case), evidence.pack_name(case=case))


# ---------------------------------------------------------------- sections of other pages


@step_required("disputes.view")
@require_GET
def case_disputes(request: HttpRequest, pk: int) -> HttpResponse:
    """The disputes of a dossier: the fragment of the dossier page, or a page of its own without htmx."""
    from atelier.disputes.plugins import case_disputes_context

    case = visible_or_404(RepairCase.objects.select_related("site", "customer"), request.user, pk=pk)
    section = case_disputes_context(request, case)
    template = section["template"] if request.htmx else "disputes/case_disputes.html"
    return render(request, template, {"section": section, "nav": "repairs", "case": case})


@step_required("disputes.view")
@require_GET
def customer_disputes(request: HttpRequest, pk: int) -> HttpResponse:
    """The disputes of a customer's file: the fragment the customer page loads, or a page of its own."""
    from atelier.disputes.plugins import customer_disputes_context

    customer = visible_or_404(Customer.objects.select_related("site"), request.user, pk=pk)
    section = customer_disputes_context(request, customer)
    template = section["template"] if request.htmx else "disputes/customer_disputes.html"
    return render(request, template, {"section": section, "nav": "customers", "customer": customer})
