"""Screens of personal data (RGPD): a customer's data (export, erasure on request, consent history, register)
and the retention preview of the SAV manager (« Conservation des données »: files due now and within 30 days,
run now, keep a file, the site's retention period). Each view parses, calls one selector or service, renders."""

import json

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from atelier.core.access import may, step_required
from atelier.core.actions import Action, run_action
from atelier.core.forms import call_service
from atelier.core.models import Site
from atelier.core.pdf import pdf_response
from atelier.customers import privacy, retention, selectors
from atelier.customers.export import export_data, export_pdf
from atelier.customers.forms import EraseForm, ExportForm, KeepForm, RetentionRunForm, RetentionYearsForm


def _retention_sites(request) -> list[Site]:
    return list(Site.objects.visible_to(request.user).order_by("code"))


def _ran(count: int) -> str:
    return ngettext("%(count)d fiche anonymisée.", "%(count)d fiches anonymisées.", count) % {"count": count}


ACTIONS = {
    "erase": Action(
        form=EraseForm,
        service=privacy.customer_erase,
        target="customer",
        success=gettext_lazy("Les données du client ont été effacées (fiche anonymisée)."),
        next=lambda request, customer, result: reverse("customers:detail", args=[customer.pk]),
    ),
    "keep": Action(
        form=KeepForm,
        service=privacy.customer_keep,
        target="customer",
        success=gettext_lazy("La fiche est conservée jusqu'à la date choisie."),
        next=lambda request, customer, result: reverse("customers:retention"),
    ),
    "run": Action(
        form=RetentionRunForm,
        service=retention.retention_run,
        target=None,
        form_kwargs=lambda request, obj: {"sites": _retention_sites(request)},
        success=_ran,
        next=lambda request, obj, result: reverse("customers:retention"),
    ),
    "years": Action(
        form=RetentionYearsForm,
        service=privacy.site_retention_set,
        target=None,
        form_kwargs=lambda request, obj: {"sites": _retention_sites(request)},
        success=gettext_lazy("Durée de conservation enregistrée."),
        next=lambda request, obj, result: reverse("customers:retention"),
    ),
}


# --- one customer's data ---


def _privacy_page(request, customer, *, failed=None, failed_form=None, status=200):
    forms = {"export": ExportForm(auto_id="id_export_%s"), "erase": EraseForm(auto_id="id_erase_%s")}
    if failed:
        forms[failed] = failed_form
    return TemplateResponse(
        request,
        "customers/privacy.html",
        {
            "nav": "customers",
            "customer": customer,
            "export_form": forms["export"],
            "erase_form": forms["erase"],
            "may_erase": may(request.user, "customers.erase", customer.site_id),
            "blockers": privacy.blockers_of([customer.pk]).get(customer.pk, []),
            "actions": customer.privacy_actions.select_related("actor"),
        },
        status=status,
    )


@step_required("customers.export")
@require_GET
def customer_privacy(request: HttpRequest, pk: int) -> HttpResponse:
    """The customer's data: export (JSON, PDF), erasure on request, and the register of what was done."""
    return _privacy_page(request, selectors.customer_get(user=request.user, pk=pk))


@step_required("customers.export")
@require_POST
def customer_export(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the request in the register, then give the file (JSON or PDF) to download."""
    customer = selectors.customer_get(user=request.user, pk=pk)
    form = ExportForm(request.POST, auto_id="id_export_%s")
    if form.is_valid():
        data = form.cleaned_data
        call_service(
            form,
            privacy.customer_export_record,
            actor=request.user,
            customer=customer,
            fmt=data["fmt"],
            channel=data["channel"],
            requested_on=data["requested_on"],
        )
    if form.errors:
        return _privacy_page(
            request, customer, failed="export", failed_form=form, status=getattr(form, "refusal_status", 400)
        )
    name = f"client-{customer.pk}-{timezone.localdate():%Y%m%d}"
    if form.cleaned_data["fmt"] == "pdf":
        return pdf_response(export_pdf(customer), name)
    body = json.dumps(export_data(customer), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.json"'
    return response


@step_required("customers.erase")
@require_POST
def customer_erase(request: HttpRequest, pk: int) -> HttpResponse:
    customer = selectors.customer_get(user=request.user, pk=pk)
    return run_action(request, customer, "erase", ACTIONS, show_again=_privacy_page, done=None)


# --- retention preview (the SAV manager) ---


def _retention_page(request, obj=None, *, failed=None, failed_form=None, status=200):
    sites = _retention_sites(request)
    chosen = request.GET.get("site", "")
    site = next((s for s in sites if str(s.pk) == chosen), sites[0] if sites else None)
    today = timezone.localdate()
    due = retention.retention_due(site, today=today, horizon_days=retention.PREVIEW_DAYS) if site else []
    forms = {
        "run": RetentionRunForm(sites=sites, initial={"site": site}, auto_id="id_run_%s"),
        "years": RetentionYearsForm(
            sites=sites,
            initial={"site": site, "years": getattr(site, "retention_years", 3)},
            auto_id="id_years_%s",
        ),
    }
    if failed in forms:
        forms[failed] = failed_form
    return TemplateResponse(
        request,
        "customers/retention.html",
        {
            "nav": "customers",
            "site": site,
            "sites": sites,
            "due_now": [d for d in due if d.due_on <= today],
            "due_soon": [d for d in due if d.due_on > today],
            "preview_days": retention.PREVIEW_DAYS,
            "run_form": forms["run"],
            "years_form": forms["years"],
            "keep_form": failed_form if failed == "keep" else KeepForm(auto_id=None),
            "may_keep": may(request.user, "customers.retention_keep", getattr(site, "pk", None)),
        },
        status=status,
    )


@step_required("customers.retention")
@require_GET
def retention_preview(request: HttpRequest) -> HttpResponse:
    return _retention_page(request)


@step_required("customers.retention")
@require_POST
def retention_run(request: HttpRequest) -> HttpResponse:
    return run_action(request, None, "run", ACTIONS, show_again=_retention_page, done=None)


@step_required("customers.retention")
@require_POST
def retention_years(request: HttpRequest) -> HttpResponse:
    return run_action(request, None, "years", ACTIONS, show_again=_retention_page, done=None)


@step_required("customers.retention_keep")
@require_POST
def customer_keep(request: HttpRequest, pk: int) -> HttpResponse:
    """Keep one file of the preview longer; a refusal shows the page again with the reason on top."""
    customer = selectors.customer_get(user=request.user, pk=pk)
    return run_action(request, customer, "keep", ACTIONS, show_again=_retention_page, done=None)
