"""Screens of the customer file: list and live search, creation with duplicate warning, file with history,
appliances. Each view parses, calls one selector or service, and renders; every role of a site may read,
only the counter, technicians and the SAV manager may write."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from atelier.core import geo
from atelier.core.choices import Role
from atelier.core.forms import call_service
from atelier.core.models import Site
from atelier.core.permissions import role_required
from atelier.customers import extensions, selectors, services
from atelier.customers.forms import ApplianceForm, CustomerCreateForm, CustomerForm

READER_ROLES = tuple(Role.values)
WRITER_ROLES = services.WRITER_ROLES
PAGE_SIZE = 25


def _context(request: HttpRequest, **extra) -> dict:
    can_write = request.user.is_superuser or request.user.has_role(*WRITER_ROLES)
    return {"nav": "customers", "can_write": can_write, **extra}


@role_required(*READER_ROLES)
@require_GET
def customer_list(request: HttpRequest) -> HttpResponse:
    """The list and its search; an htmx request (live search as one types) gets the results table only."""
    query = request.GET.get("q", "").strip()
    page_obj = Paginator(selectors.customer_list(user=request.user, query=query), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    several_sites = len(request.user.visible_site_ids) > 1
    context = _context(
        request, query=query, page_obj=page_obj, customers=page_obj.object_list, several_sites=several_sites
    )
    template = "customers/_results.html" if request.htmx else "customers/customer_list.html"
    return TemplateResponse(request, template, context)


@role_required(*WRITER_ROLES)
@require_http_methods(["GET", "POST"])
def customer_create(request: HttpRequest) -> HttpResponse:
    """Create a file; when the phone or e-mail is already known, show those files and ask to confirm."""
    sites = Site.objects.visible_to(request.user)
    if not sites.exists():
        raise PermissionDenied(_("Vous n'êtes rattaché à aucun site."))
    form = CustomerCreateForm(request.POST or None, sites=sites)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        duplicates = list(
            selectors.customer_duplicates(
                site=form.chosen_site, phone=fields["phone"], phone2=fields["phone2"], email=fields["email"]
            )
        )
        if not duplicates or form.cleaned_data["create_anyway"]:
            customer = call_service(
                form, services.customer_create, actor=request.user, site=form.chosen_site, **fields
            )
            if customer:
                messages.success(request, _("Fiche client créée."))
                return redirect("customers:detail", pk=customer.pk)
    return TemplateResponse(
        request,
        "customers/customer_form.html",
        _context(request, form=form, duplicates=duplicates, creating=True),
    )


@role_required(*READER_ROLES)
@require_GET
def customer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    customer = selectors.customer_get(user=request.user, pk=pk)
    history = selectors.customer_history(customer)
    return TemplateResponse(
        request,
        "customers/customer_detail.html",
        _context(
            request,
            customer=customer,
            appliances=history.appliances,
            cases=history.cases,
            sections=extensions.collect_detail_sections(request, customer),
        ),
    )


@role_required(*WRITER_ROLES)
@require_http_methods(["GET", "POST"])
def customer_update(request: HttpRequest, pk: int) -> HttpResponse:
    customer = selectors.customer_get(user=request.user, pk=pk)
    form = CustomerForm(request.POST or None, instance=customer)
    if request.method == "POST" and form.is_valid():
        done = call_service(
            form, services.customer_update, actor=request.user, customer=customer, **form.service_fields()
        )
        if done:
            messages.success(request, _("Fiche client enregistrée."))
            return redirect("customers:detail", pk=customer.pk)
    return TemplateResponse(
        request,
        "customers/customer_form.html",
        _context(request, form=form, customer=customer, creating=False),
    )


@role_required(*WRITER_ROLES)
@require_http_methods(["GET", "POST"])
def appliance_create(request: HttpRequest, pk: int) -> HttpResponse:
    customer = selectors.customer_get(user=request.user, pk=pk)
    form = ApplianceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = call_service(
            form, services.appliance_create, actor=request.user, customer=customer, **form.service_fields()
        )
        if done:
            messages.success(request, _("Appareil ajouté."))
            return redirect("customers:detail", pk=customer.pk)
    return TemplateResponse(
        request,
        "customers/appliance_form.html",
        _context(request, form=form, customer=customer, appliance=None),
    )


@role_required(*WRITER_ROLES)
@require_http_methods(["GET", "POST"])
def appliance_update(request: HttpRequest, pk: int) -> HttpResponse:
    appliance = selectors.appliance_get(user=request.user, pk=pk)
    customer = appliance.customer
    form = ApplianceForm(request.POST or None, instance=appliance)
    if request.method == "POST" and form.is_valid():
        done = call_service(
            form, services.appliance_update, actor=request.user, appliance=appliance, **form.service_fields()
        )
        if done:
            messages.success(request, _("Appareil enregistré."))
            return redirect("customers:detail", pk=customer.pk)
    return TemplateResponse(
        request,
        "customers/appliance_form.html",
        _context(request, form=form, customer=customer, appliance=appliance),
    )


@role_required(*WRITER_ROLES)
@require_GET
def duplicates(request: HttpRequest) -> HttpResponse:
    """htmx fragment for the creation form: files of the chosen site with the phone or e-mail being typed."""
    sites = Site.objects.visible_to(request.user)
    site_pk = request.GET.get("site", "")
    if site_pk.isdigit():
        site = sites.filter(pk=int(site_pk)).first()
    else:  # one site: no choice on the form; several: nothing to compare with until one is chosen
        site = sites.first() if sites.count() == 1 else None
    found = (
        []
        if site is None
        else list(
            selectors.customer_duplicates(
                site=site,
                phone=request.GET.get("phone", ""),
                phone2=request.GET.get("phone2", ""),
                email=request.GET.get("email", ""),
            )
        )
    )
    return render(request, "customers/_duplicates.html", {"duplicates": found})


@role_required(*READER_ROLES)
@require_GET
def communes(request: HttpRequest) -> HttpResponse:
    """htmx fragment: the communes of a postcode as a <datalist> offered by the city field."""
    found = geo.communes(request.GET.get("postcode", "").replace(" ", ""))
    return render(request, "customers/_communes.html", {"communes": found})
