"""The accountant's page (invoices, closures, the journal's check), closures and their PDF, and the
manufacturers' report."""

from django.db.models import Count
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from atelier.billing import closures, documents, forms, selectors
from atelier.billing.models import Closure, Incident
from atelier.billing.verify import journal_verify
from atelier.billing.views.invoices import BILLING_READERS
from atelier.core.actions import Action, run_action
from atelier.core.choices import Role
from atelier.core.pdf import pdf_response
from atelier.core.permissions import role_required
from atelier.core.scoping import visible_or_404


@role_required(*BILLING_READERS)
def accounting(request):
    """Invoices and credit notes, closures, the journal's check: the accountant's page."""
    return _render_accounting(request)


def _render_accounting(request, _page=None, *, failed=None, failed_form=None, status=200):
    return render(
        request,
        "billing/accounting.html",
        {
            "nav": "billing",
            "invoices": selectors.invoices_for(request.user)[:50],
            "closures": Closure.objects.visible_to(request.user).select_related("site")[:30],
            "verdict": journal_verify(sites=request.user.visible_sites())
            if request.user.has_role(Role.COMPTABLE) or request.user.is_superuser
            else None,
            "form": failed_form or forms.ClosureForm(auto_id="id_closure_%s", user=request.user),
            "can_close": request.user.is_superuser or request.user.has_role(Role.COMPTABLE),
        },
        status=status,
    )


CLOSURE = {
    "closure": Action(
        forms.ClosureForm,
        closures.closure_run,
        lambda closure: _("Clôture enregistrée : %(c)s.") % {"c": closure},
        target=None,
        form_kwargs=lambda request, page: {"user": request.user},
    )
}


@require_POST
@role_required(Role.COMPTABLE)
def closure_create(request):
    return run_action(
        request,
        None,
        "closure",
        CLOSURE,
        show_again=_render_accounting,
        done=lambda page: reverse("billing:accounting"),
    )


@role_required(*BILLING_READERS)
def closure_pdf(request, pk):
    closure = visible_or_404(Closure.objects.select_related("site", "closed_by"), request.user, pk=pk)
    return pdf_response(
        documents.closure_pdf(closure), f"cloture-{closure.site.code}-{closure.period}-{closure.start}"
    )


@role_required(Role.RESPONSABLE_SAV, Role.TECHNICIEN, Role.MAGASINIER, Role.COMPTABLE)
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
