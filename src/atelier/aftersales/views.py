"""After-sales screens: the claims (list, open with guided questions, page with its answer), the covers of an
appliance on a day, the covers fragment of a dossier (its own view, for a section loaded on its own), and the
customer's claim from the public tracking page."""

import datetime

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from atelier.aftersales import extensions, selectors, services
from atelier.aftersales.choices import ClaimState
from atelier.aftersales.coverage import coverage_for
from atelier.aftersales.forms import (
    AnswerForm,
    ApplianceContractForm,
    CaseCoverForm,
    ClaimOpenForm,
    CoverDayForm,
    EmptyForm,
    MaintenanceContractForm,
    MaintenanceVisitForm,
)
from atelier.aftersales.models import CaseCover, ClaimType
from atelier.core.access import may, sites_allowing, step_required
from atelier.core.actions import Action, run_action
from atelier.core.models import Site
from atelier.core.pdf import pdf_response
from atelier.core.scoping import visible_or_404
from atelier.customers.models import Appliance, Customer
from atelier.repairs.choices import CaseStatus
from atelier.repairs.models import RepairCase

PAGE_SIZE = 200


@step_required("aftersales.view")
@require_GET
def claim_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("etat", "")
    site = request.GET.get("site", "")
    if state not in ClaimState.values:
        state = ""
    claims = selectors.claim_list(user=request.user, state=state, site=site)
    sites = list(Site.objects.visible_to(request.user)) if len(request.user.visible_site_ids) > 1 else []
    return render(
        request,
        "aftersales/claim_list.html",
        {
            "nav": "aftersales",
            "claims": claims[:PAGE_SIZE],
            "states": ClaimState.choices,
            "state": state,
            "sites": sites,
            "site": site,
        },
    )


# ---------------------------------------------------------------- opening a claim


def _subject(request: HttpRequest, source) -> dict:
    """The customer, appliance and earlier dossier a claim is opened from (?client=, ?appareil=, ?dossier=),
    404 outside the user's sites."""
    user = request.user
    if value := source.get("dossier"):
        case = visible_or_404(RepairCase.objects.select_related("customer", "appliance"), user, pk=value)
        return {"customer": case.customer, "appliance": case.appliance, "case": case}
    if value := source.get("appareil"):
        appliance = visible_or_404(Appliance.objects.select_related("customer"), user, pk=value)
        return {"customer": appliance.customer, "appliance": appliance, "case": None}
    if value := source.get("client"):
        return {"customer": visible_or_404(Customer, user, pk=value), "appliance": None, "case": None}
    raise Http404


def _open_form(request, subject, claim_type, data=None):
    customer = subject["customer"]
    appliances = (
        Appliance.objects.filter(pk=subject["appliance"].pk)
        if subject["appliance"]
        else Appliance.objects.filter(customer=customer)
    )
    cases = RepairCase.objects.filter(customer=customer).order_by("-received_at")
    initial = {"earlier_case": subject["case"].pk} if subject["case"] else {}
    return ClaimOpenForm(
        data, claim_type=claim_type, appliances=appliances, cases=cases, initial=initial, auto_id="id_%s"
    )


@step_required("aftersales.claim")
def claim_create(request: HttpRequest) -> HttpResponse:
    source = request.POST if request.method == "POST" else request.GET
    subject = _subject(request, source)
    types = list(ClaimType.objects.filter(is_active=True))
    claim_type = next((t for t in types if t.code == source.get("type")), None)
    if claim_type is None:
        return render(
            request,
            "aftersales/claim_form.html",
            {"nav": "aftersales", "types": types, "query": _query(subject), **subject},
        )
    form = _open_form(request, subject, claim_type, request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        from atelier.core.forms import call_service

        if form.is_valid():
            claim = call_service(form, services.claim_open, actor=request.user, **form.service_kwargs())
            if claim is not None:
                messages.success(request, _("Réclamation %(n)s ouverte.") % {"n": claim.number})
                return redirect("aftersales:claim", pk=claim.pk)
        status = getattr(form, "refusal_status", 400)
    return render(
        request,
        "aftersales/claim_form.html",
        {
            "nav": "aftersales",
            "form": form,
            "claim_type": claim_type,
            "types": types,
            "query": _query(subject),
            **subject,
        },
        status=status,
    )


def _query(subject) -> str:
    if subject["case"]:
        return f"dossier={subject['case'].pk}"
    if subject["appliance"]:
        return f"appareil={subject['appliance'].pk}"
    return f"client={subject['customer'].pk}"


# ---------------------------------------------------------------- the claim page

CLAIM_ACTIONS = {
    "analyse": Action(EmptyForm, services.claim_analyse, _("Réclamation en analyse."), target="claim"),
    "answer": Action(
        AnswerForm,
        services.claim_answer,
        _("Réponse enregistrée : lettre jointe à l'e-mail du client."),
        target="claim",
    ),
    "close": Action(EmptyForm, services.claim_close, _("Réclamation close."), target="claim"),
}


def _claim_page(request, claim, *, failed=None, failed_form=None, status=200):
    user = request.user
    return render(
        request,
        "aftersales/claim_detail.html",
        {
            "nav": "aftersales",
            "claim": claim,
            "answer_form": failed_form if failed == "answer" else AnswerForm(auto_id="id_answer_%s"),
            "failed": failed,
            "failed_form": failed_form,
            "can_claim": may(user, "aftersales.claim", claim.site_id),
            "can_answer": may(user, "aftersales.answer", claim.site_id)
            or may(user, "aftersales.decide", claim.site_id),
            "can_decide": may(user, "aftersales.decide", claim.site_id),
            "open": claim.state in (ClaimState.OUVERTE, ClaimState.EN_ANALYSE),
            "ClaimState": ClaimState,
            "sections": extensions.collect_claim_sections(request, claim),
        },
        status=status,
    )


@step_required("aftersales.view")
def claim_detail(request: HttpRequest, pk: int) -> HttpResponse:
    claim = selectors.claim_get(user=request.user, pk=pk)
    if request.method == "POST":
        return run_action(
            request,
            claim,
            request.POST.get("action", ""),
            CLAIM_ACTIONS,
            show_again=_claim_page,
            done=lambda claim: reverse("aftersales:claim", args=[claim.pk]),
        )
    return _claim_page(request, claim)


@step_required("aftersales.view")
@require_GET
def claim_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """The letter as sent (kept on the claim); before the answer, nothing to show."""
    claim = selectors.claim_get(user=request.user, pk=pk)
    if not claim.letter:
        raise Http404
    return pdf_response(bytes(claim.letter), f"reponse-{claim.number}")


# ---------------------------------------------------------------- covers


def _day(request) -> tuple[datetime.date, CoverDayForm]:
    form = CoverDayForm(request.GET or None)
    on = (form.cleaned_data.get("on") if form.is_valid() else None) or timezone.localdate()
    return on, form


APPLIANCE_ACTIONS = {
    "contract": Action(
        ApplianceContractForm,
        services.appliance_contract_add,
        _("Contrat enregistré."),
        target="appliance",
        data=lambda request, obj, form: dict(form.cleaned_data),
    ),
    "maintenance": Action(
        MaintenanceContractForm,
        services.maintenance_contract_add,
        _("Contrat d'entretien enregistré."),
        target="appliance",
        data=lambda request, obj, form: dict(form.cleaned_data),
    ),
}


def _appliance_page(request, appliance, *, failed=None, failed_form=None, status=200):
    on, form = _day(request)
    site_id = appliance.customer.site_id
    return render(
        request,
        "aftersales/appliance_covers.html",
        {
            "nav": "customers",
            "appliance": appliance,
            "customer": appliance.customer,
            "report": coverage_for(appliance, on),
            "form": form,
            "claims": list(appliance.claims.select_related("claim_type")),
            "can_claim": may(request.user, "aftersales.claim", site_id),
            "can_contract": may(request.user, "aftersales.contracts", site_id),
            "failed": failed,
            "contract_form": failed_form
            if failed == "contract"
            else ApplianceContractForm(auto_id="id_contract_%s"),
            "maintenance_form": failed_form
            if failed == "maintenance"
            else MaintenanceContractForm(auto_id="id_maintenance_%s"),
        },
        status=status,
    )


@step_required("aftersales.view")
def appliance_covers(request: HttpRequest, pk: int) -> HttpResponse:
    """The appliance's covers on a day (today by default), its claims, and the contracts to attach to it."""
    appliance = selectors.appliance_get(user=request.user, pk=pk)
    if request.method == "POST":
        return run_action(
            request,
            appliance,
            request.POST.get("action", ""),
            APPLIANCE_ACTIONS,
            show_again=_appliance_page,
            done=lambda appliance: reverse("aftersales:appliance", args=[appliance.pk]),
        )
    return _appliance_page(request, appliance)


def case_covers_context(request, case, *, failed_form=None) -> dict:
    """The dossier's covers section: the covers today, the cover it was taken under, its claims, and the split
    between third-party payers with their claims."""
    from atelier.aftersales.views_payers import case_payers_context

    user = request.user
    return {
        "payers": case_payers_context(request, case),
        "template": "aftersales/_case_covers.html",
        "case": case,
        "report": coverage_for(case.appliance),
        "case_cover": CaseCover.objects.filter(case=case).first(),
        "claims": list(case.claims.all()),
        "can_claim": may(user, "aftersales.claim", case.site_id),
        "can_record": may(user, "aftersales.contracts", case.site_id) and not case.is_closed,
        "cover_form": failed_form or CaseCoverForm(auto_id="id_cover_%s"),
    }


COVER_ACTION = {
    "cover": Action(
        CaseCoverForm,
        lambda *, target, actor, **data: services.case_cover_record(case=target, actor=actor, **data),
        _("Prise en charge enregistrée."),
        target="target",
    )
}


@step_required("aftersales.view")
def case_covers(request: HttpRequest, pk: int) -> HttpResponse:
    """The covers fragment of a dossier page (GET), and recording the cover it was taken under (POST)."""
    case = visible_or_404(
        RepairCase.objects.select_related("site", "appliance__customer__site"), request.user, pk=pk
    )

    def show_again(request, case, *, failed=None, failed_form=None, status=200):
        section = case_covers_context(request, case, failed_form=failed_form)
        template = section["template"] if request.htmx else "aftersales/case_covers.html"
        return render(request, template, {"section": section, "nav": "repairs", "case": case}, status=status)

    if request.method == "POST":
        return run_action(
            request,
            case,
            "cover",
            COVER_ACTION,
            show_again=show_again,
            done=lambda case: reverse("repairs:detail", args=[case.pk]) + "#garanties",
        )
    return show_again(request, case)


@step_required("aftersales.view")
@require_GET
def customer_covers(request: HttpRequest, pk: int) -> HttpResponse:
    """The covers and claims of a customer's file: the fragment the customer page loads, or a page of its own."""
    from atelier.aftersales.plugins import customer_covers_context

    customer = visible_or_404(Customer.objects.select_related("site"), request.user, pk=pk)
    section = customer_covers_context(request, customer)
    template = section["template"] if request.htmx else "aftersales/customer_covers.html"
    return render(request, template, {"section": section, "nav": "customers", "customer": customer})


# ---------------------------------------------------------------- from the tracking page


def tracking_claim(request: HttpRequest, token: str) -> HttpResponse:
    """The customer's claim about the dossier of their tracking link (public by token, like the page)."""
    from atelier.billing.views.tracking import _link, _not_found, private

    @private
    def view(request):
        link = _link(token)
        if link is None:
            return _not_found(request)
        case = link.case
        claim_type = get_object_or_404(
            ClaimType,
            code="retour_reparation" if case.status in (CaseStatus.RENDU, CaseStatus.CLOTURE) else "autre",
        )
        form = ClaimOpenForm(
            request.POST if request.method == "POST" else None, claim_type=claim_type, public=True
        )
        status = 200
        if request.method == "POST":
            from atelier.core.forms import call_service

            if form.is_valid():
                claim = call_service(
                    form,
                    services.claim_open,
                    actor=None,
                    appliance=case.appliance,
                    earlier_case=case,
                    channel="suivi",
                    **form.service_kwargs(),
                )
                if claim is not None:
                    messages.success(
                        request,
                        _("Votre réclamation %(n)s est enregistrée : nous vous répondons par écrit.")
                        % {"n": claim.number},
                    )
                    return redirect("billing_public:tracking", token=token)
            status = getattr(form, "refusal_status", 400)
        return render(
            request,
            "aftersales/tracking_claim.html",
            {"case": case, "site": case.site, "form": form, "token": token},
            status=status,
        )

    return view(request)


# ---------------------------------------------------------------- maintenance contracts' visits


def _maintenance_page(request, contract=None, *, failed=None, failed_form=None, status=200):
    from atelier.aftersales import maintenance

    allowed = set(sites_allowing(request.user, "aftersales.contracts"))
    rows = [
        {"visit": v, "can_open": v.contract.appliance.customer.site_id in allowed}
        for v in maintenance.visits_due(request.user)
    ]
    return render(
        request,
        "aftersales/maintenance_due.html",
        {
            "nav": "aftersales",
            "rows": rows,
            "failed_form": failed_form,
            "ahead": maintenance.AHEAD_DAYS,
            "behind": maintenance.BEHIND_DAYS,
        },
        status=status,
    )


def _maintenance_actions() -> dict[str, Action]:
    from atelier.aftersales import maintenance

    return {
        "open": Action(
            form=MaintenanceVisitForm,
            service=maintenance.maintenance_visit_open,
            target="contract",
            success=lambda case: (
                _("Dossier d'entretien %(n)s ouvert : établissez son devis.") % {"n": case.number}
            ),
            next=lambda request, contract, case: reverse("repairs:detail", args=[case.pk]),
            plain_ids=True,
        )
    }


@step_required("aftersales.view")
def maintenance_due(request: HttpRequest) -> HttpResponse:
    """The visits of maintenance contracts coming due, and « Ouvrir le dossier d'entretien » for each: the
    dossier then goes through quote, repair order and the planner's rounds like any home visit."""
    from atelier.aftersales.models import MaintenanceContract

    if request.method == "POST":
        contract = visible_or_404(MaintenanceContract, request.user, pk=request.POST.get("contract"))
        return run_action(
            request,
            contract,
            "open",
            _maintenance_actions(),
            show_again=_maintenance_page,
            done=lambda contract: reverse("aftersales:maintenance"),
        )
    return _maintenance_page(request)
