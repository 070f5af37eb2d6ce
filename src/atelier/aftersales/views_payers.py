"""Screens of third-party payers: the split of a dossier (in its « Garanties et réclamations » section), the
payer claims' ageing list for the SAV manager, a payer claim with its file, its states and its PDF, the payers."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from atelier.aftersales import documents, selectors_payers, services_payers
from atelier.aftersales.choices import PayerClaimState
from atelier.aftersales.forms_payers import (
    ClaimFileForm,
    ClaimStepForm,
    EmptyForm,
    ExcessForm,
    ShareForm,
    ShareRemoveForm,
)
from atelier.aftersales.models_payers import CaseSplit, Payer
from atelier.core.access import may, step_required
from atelier.core.actions import Action, run_action
from atelier.core.models import Site
from atelier.core.pdf import pdf_response
from atelier.core.scoping import visible_or_404
from atelier.repairs.models import RepairCase

S = PayerClaimState


def _draft_lines(case) -> list:
    from atelier.billing.selectors import invoice_draft

    return invoice_draft(case, check_parts=False).lines


def case_payers_context(request, case, *, failed=None, failed_form=None) -> dict:
    """The payers part of a dossier's covers section: lines, shares, the customer's rest, the claims."""
    from atelier.aftersales.models import CaseCover
    from atelier.billing.selectors import current_invoice

    claims = list(case.payer_claims.select_related("payer", "invoice"))
    covered = CaseCover.objects.filter(case=case).exists()
    if not covered and not claims:  # a dossier under no cover has no payer but its customer: nothing to show
        return {"view": None, "claims": [], "editable": False}
    lines = _draft_lines(case)
    split = CaseSplit.objects.filter(case=case).first()
    invoiced = current_invoice(case) is not None
    editable = (
        not invoiced and bool(lines) and may(request.user, "aftersales.payers", case.site_id) and covered
    )
    return {
        "view": selectors_payers.split_view(case, lines) if lines else None,
        "claims": claims,
        "editable": editable,
        "invoiced": invoiced,
        "failed": failed,
        "share_form": failed_form if failed == "share" else ShareForm(lines=lines, auto_id="id_share_%s"),
        "excess_form": failed_form
        if failed == "excess"
        else ExcessForm(
            auto_id="id_excess_%s",
            initial={
                "excess": split.excess if split else "0",
                "excess_payer": split.excess_payer_id if split else None,
            },
        ),
        "failed_form": failed_form,
    }


SPLIT_ACTIONS = {
    "share": Action(
        ShareForm,
        services_payers.share_add,
        _("Part du payeur enregistrée."),
        form_kwargs=lambda request, case: {"lines": _draft_lines(case)},
    ),
    "remove": Action(
        ShareRemoveForm,
        lambda *, case, actor, share: services_payers.share_remove(case=case, actor=actor, share=share),
        _("Part retirée."),
    ),
    "excess": Action(ExcessForm, services_payers.excess_set, _("Franchise enregistrée.")),
}


@require_POST
@step_required("aftersales.payers")
def case_payers(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Change the dossier's split (add a share, remove one, set the customer's excess)."""
    from atelier.aftersales.views import case_covers_context

    case = visible_or_404(
        RepairCase.objects.select_related("site", "appliance__customer__site"), request.user, pk=pk
    )

    def show_again(request, case, *, failed=None, failed_form=None, status=200):
        section = case_covers_context(request, case)
        section["payers"] = case_payers_context(request, case, failed=failed, failed_form=failed_form)
        template = section["template"] if request.htmx else "aftersales/case_covers.html"
        return render(request, template, {"section": section, "nav": "repairs", "case": case}, status=status)

    return run_action(
        request,
        case,
        action,
        SPLIT_ACTIONS,
        show_again=show_again,
        done=lambda case: reverse("repairs:detail", args=[case.pk]) + "#garanties",
    )


# ---------------------------------------------------------------- payer claims


@step_required("aftersales.view")
@require_GET
def payer_claims(request: HttpRequest) -> HttpResponse:
    """The ageing list: open payer claims by payer, days since sent, filing deadline overdue."""
    payer = request.GET.get("payeur", "")
    state = request.GET.get("etat", "")
    site = request.GET.get("site", "")
    today = timezone.localdate()
    rows = selectors_payers.payer_claims_ageing(
        user=request.user, today=today, payer=payer, state=state, site=site
    )
    sites = list(Site.objects.visible_to(request.user)) if len(request.user.visible_site_ids) > 1 else []
    return render(
        request,
        "aftersales/payer_claims.html",
        {
            "nav": "aftersales",
            "rows": rows,
            "payers": list(Payer.objects.order_by("name")),
            "payer": payer,
            "states": S.choices,
            "state": state if state in S.values else "",
            "sites": sites,
            "site": site,
            "overdue": sum(1 for r in rows if r.overdue),
        },
    )


def _step(action: str):
    def service(*, claim, actor, note="", amount="", paid_on=None):
        return services_payers.payer_claim_transition(
            claim=claim, actor=actor, action=action, note=note, amount=amount, paid_on=paid_on
        )

    return service


CLAIM_ACTIONS = {
    "file": Action(
        ClaimFileForm, services_payers.payer_claim_update, _("Dossier de demande enregistré."), target="claim"
    ),
    "send": Action(EmptyForm, _step("send"), _("Demande envoyée au payeur."), target="claim"),
    "correct": Action(
        ClaimStepForm, _step("correct"), _("Demande à corriger."), target="claim", form_name="step"
    ),
    "accept": Action(
        ClaimStepForm, _step("accept"), _("Demande acceptée."), target="claim", form_name="step"
    ),
    "accept_part": Action(
        ClaimStepForm,
        _step("accept_part"),
        _("Demande partiellement acceptée."),
        target="claim",
        form_name="step",
    ),
    "refuse": Action(
        ClaimStepForm, _step("refuse"), _("Refus du payeur enregistré."), target="claim", form_name="step"
    ),
    "pay": Action(
        ClaimStepForm, _step("pay"), _("Paiement du payeur enregistré."), target="claim", form_name="step"
    ),
}


def _claim_page(request, claim, *, failed=None, failed_form=None, status=200):
    user = request.user
    file_initial = {name: getattr(claim, name) for name in services_payers.FILE_FIELDS}
    return render(
        request,
        "aftersales/payer_claim.html",
        {
            "nav": "aftersales",
            "claim": claim,
            "events": list(claim.events.select_related("actor")),
            "missing": services_payers.missing_items(claim),
            "file_form": failed_form
            if failed == "file"
            else ClaimFileForm(initial=file_initial, auto_id="id_file_%s"),
            "step_form": failed_form if failed == "step" else ClaimStepForm(auto_id="id_step_%s"),
            "failed": failed,
            "failed_form": failed_form,
            "can_file": may(user, "aftersales.payers", claim.site_id)
            and claim.state in (S.A_COMPLETER, S.A_CORRIGER),
            "can_decide": may(user, "aftersales.payer_decision", claim.site_id) and claim.state == S.ENVOYEE,
            "can_pay": may(user, "aftersales.payer_paid", claim.site_id)
            and claim.state in (S.ACCEPTEE, S.PARTIELLE),
            "can_invoice": may(user, "billing.read", claim.site_id),
            "today": timezone.localdate(),
        },
        status=status,
    )


@step_required("aftersales.view")
def payer_claim(request: HttpRequest, pk: int) -> HttpResponse:
    claim = selectors_payers.payer_claim_get(user=request.user, pk=pk)
    if request.method == "POST":
        return run_action(
            request,
            claim,
            request.POST.get("action", ""),
            CLAIM_ACTIONS,
            show_again=_claim_page,
            done=lambda claim: reverse("aftersales:payer_claim", args=[claim.pk]),
        )
    return _claim_page(request, claim)


@step_required("aftersales.view")
@require_GET
def payer_claim_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    claim = selectors_payers.payer_claim_get(user=request.user, pk=pk)
    return pdf_response(
        documents.payer_claim_file_pdf(claim), f"demande-{claim.case.number}-{claim.payer_id}"
    )


@step_required("aftersales.view")
@require_GET
def payer_list(request: HttpRequest) -> HttpResponse:
    """The payers (shared data, edited in the administration): SIREN, deadline in force, file required."""
    return render(
        request,
        "aftersales/payer_list.html",
        {"nav": "aftersales", "rows": selectors_payers.payers_with_deadlines(timezone.localdate())},
    )
