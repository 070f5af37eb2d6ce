"""Screens of the customer file: list and live search, creation with duplicate warning, file with history,
appliances. Each view parses, calls one selector or service, and renders; every role of a site may read,
only the counter, technicians and the SAV manager may write."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from atelier.core import geo
from atelier.core.access import may, step_required
from atelier.core.actions import Action, run_action
from atelier.core.errors import AtelierError
from atelier.core.listing import Column, SortableList
from atelier.core.models import Site
from atelier.core.paging import CappedPaginator
from atelier.core.params import as_id
from atelier.customers import extensions, selectors, services
from atelier.customers.choices import CustomerKind
from atelier.customers.forms import ApplianceForm, CustomerCreateForm, CustomerForm
from atelier.customers.models import Appliance

PAGE_SIZE = 25


def _context(request: HttpRequest, **extra) -> dict:
    can_write = may(request.user, "customers.write")
    return {"nav": "customers", "can_write": can_write, **extra}


CUSTOMER_COLUMNS = SortableList(
    Column("name", gettext_lazy("Client"), "last_name,first_name"),
    Column("phone", gettext_lazy("Téléphone"), "phone"),
    Column("commune", gettext_lazy("Commune"), "postcode,city"),
    Column("counts", gettext_lazy("Appareils / dossiers")),
    Column("site", gettext_lazy("Site"), "site__code"),
    default="name",
)


@step_required("customers.view")
@require_GET
def customer_list(request: HttpRequest) -> HttpResponse:
    """The list and its search; an htmx request (live search as one types) gets the results table only.
    Sorted by its column headers, filtered by kind and (several sites) by site."""
    query = request.GET.get("q", "").strip()
    several_sites = len(request.user.visible_site_ids) > 1
    site = request.GET.get("site", "")
    site_id = as_id(site) if several_sites else None
    kind = request.GET.get("kind", "")
    filters = {"kind": kind} if kind in CustomerKind.values else {}
    sorting = CUSTOMER_COLUMNS.sorting(request)
    if sorting.is_default:  # by name, as an index can give it (see customer_results)
        customers = selectors.customer_results(user=request.user, query=query, site_id=site_id, **filters)
    else:
        customers = selectors.customer_list(user=request.user, query=query, site_id=site_id).filter(**filters)
        if selectors.sorts_the_matches(query):  # the same order, sorted rather than walked (see there)
            customers = customers.order_by(*selectors.unindexed_order(sorting.order_by))
        else:
            customers = sorting.apply(customers)
    paginator = CappedPaginator(customers, PAGE_SIZE, cap=selectors.SEARCH_CAP)
    page_obj = paginator.get_page(request.GET.get("page"))
    headers = sorting.headers if several_sites else [h for h in sorting.headers if h["key"] != "site"]
    context = _context(
        request,
        query=query,
        page_obj=page_obj,
        # the word whose beginnings come first (PrefixFirst), said above the results
        first_word=customers.key if isinstance(customers, selectors.PrefixFirst) else "",
        customers=page_obj.object_list,
        several_sites=several_sites,
        headers=headers,
        sort="" if sorting.is_default else sorting.value,
        kind=kind,
        kinds=CustomerKind.choices,
        site=site,
        sites=request.user.visible_sites().order_by("code") if several_sites else [],
    )
    template = "customers/_results.html" if request.htmx else "customers/customer_list.html"
    return TemplateResponse(request, template, context)


CUSTOMER_CREATED = gettext_lazy("Fiche client créée.")
CUSTOMER_SAVED = gettext_lazy("Fiche client enregistrée.")
APPLIANCE_ADDED = gettext_lazy("Appareil ajouté.")
APPLIANCE_SAVED = gettext_lazy("Appareil enregistré.")
NO_SITE = gettext_lazy("Vous n'êtes rattaché à aucun site.")


class PossibleDuplicate(AtelierError):
    """Files of the site already have this phone or e-mail: the page lists them and asks to confirm."""

    default_message = gettext_lazy("Cochez « Créer quand même » si ce n'est pas la même personne.")
    status_code = 409


def _duplicates_of(form) -> list:
    fields = form.service_fields()
    return list(
        selectors.customer_duplicates(
            site=form.chosen_site, phone=fields["phone"], phone2=fields["phone2"], email=fields["email"]
        )
    )


def _create_unless_duplicate(*, actor, form, create_anyway):
    """Create the file, unless files of its site share its phone or e-mail and creating anyway is unticked."""
    if not create_anyway and _duplicates_of(form):
        raise PossibleDuplicate(field="create_anyway")
    return services.customer_create(actor=actor, site=form.chosen_site, **form.service_fields())


def _to_customer(request, obj, saved) -> str:
    return reverse("customers:detail", args=[getattr(saved, "customer_id", None) or saved.pk])


ACTIONS = {
    "customer_create": Action(
        form=CustomerCreateForm,
        service=_create_unless_duplicate,
        target=None,
        form_kwargs=lambda request, obj: {"sites": Site.objects.visible_to(request.user)},
        data=lambda request, obj, form: {"form": form, "create_anyway": form.cleaned_data["create_anyway"]},
        success=CUSTOMER_CREATED,
        next=_to_customer,
        plain_ids=True,
    ),
    "customer_update": Action(
        form=CustomerForm,
        service=services.customer_update,
        target="customer",
        form_kwargs=lambda request, customer: {"instance": customer},
        data=lambda request, customer, form: form.service_fields(),
        success=CUSTOMER_SAVED,
        next=_to_customer,
        plain_ids=True,
    ),
    "appliance_create": Action(
        form=ApplianceForm,
        service=services.appliance_create,
        target="customer",
        data=lambda request, customer, form: form.service_fields(),
        success=APPLIANCE_ADDED,
        next=lambda request, customer, saved: reverse("customers:detail", args=[customer.pk]),
        plain_ids=True,
    ),
    "appliance_update": Action(
        form=ApplianceForm,
        service=services.appliance_update,
        target="appliance",
        form_kwargs=lambda request, appliance: {"instance": appliance},
        data=lambda request, appliance, form: form.service_fields(),
        success=APPLIANCE_SAVED,
        next=_to_customer,
        plain_ids=True,
    ),
}


def _create_page(request, obj=None, *, failed=None, failed_form=None, status=200):
    form = failed_form or CustomerCreateForm(sites=Site.objects.visible_to(request.user))
    duplicates = _duplicates_of(form) if failed_form is not None and "create_anyway" in form.errors else []
    return TemplateResponse(
        request,
        "customers/customer_form.html",
        _context(request, form=form, duplicates=duplicates, creating=True),
        status=status,
    )


@step_required("customers.write")
@require_http_methods(["GET", "POST"])
def customer_create(request: HttpRequest) -> HttpResponse:
    """Create a file; when the phone or e-mail is already known, show those files and ask to confirm."""
    if not Site.objects.visible_to(request.user).exists():
        raise PermissionDenied(NO_SITE)
    if request.method == "POST":
        return run_action(request, None, "customer_create", ACTIONS, show_again=_create_page, done=None)
    return _create_page(request)


@step_required("customers.view")
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
            consent_changes=customer.consent_changes.select_related("actor")[:50],
            sections=extensions.collect_detail_sections(request, customer),
        ),
    )


def _customer_page(request, customer, *, failed=None, failed_form=None, status=200):
    form = failed_form or CustomerForm(instance=customer)
    return TemplateResponse(
        request,
        "customers/customer_form.html",
        _context(request, form=form, customer=customer, creating=False),
        status=status,
    )


@step_required("customers.write")
@require_http_methods(["GET", "POST"])
def customer_update(request: HttpRequest, pk: int) -> HttpResponse:
    customer = selectors.customer_get(user=request.user, pk=pk)
    if request.method == "POST":
        return run_action(request, customer, "customer_update", ACTIONS, show_again=_customer_page, done=None)
    return _customer_page(request, customer)


def _appliance_page(request, obj, *, failed=None, failed_form=None, status=200):
    """The appliance form of a customer (obj: the customer, for a new one) or of an appliance."""
    appliance = obj if isinstance(obj, Appliance) else None
    customer = appliance.customer if appliance else obj
    form = failed_form or ApplianceForm(instance=appliance)
    return TemplateResponse(
        request,
        "customers/appliance_form.html",
        _context(request, form=form, customer=customer, appliance=appliance),
        status=status,
    )


@step_required("customers.write")
@require_http_methods(["GET", "POST"])
def appliance_create(request: HttpRequest, pk: int) -> HttpResponse:
    customer = selectors.customer_get(user=request.user, pk=pk)
    if request.method == "POST":
        return run_action(
            request, customer, "appliance_create", ACTIONS, show_again=_appliance_page, done=None
        )
    return _appliance_page(request, customer)


@step_required("customers.write")
@require_http_methods(["GET", "POST"])
def appliance_update(request: HttpRequest, pk: int) -> HttpResponse:
    appliance = selectors.appliance_get(user=request.user, pk=pk)
    if request.method == "POST":
        return run_action(
            request, appliance, "appliance_update", ACTIONS, show_again=_appliance_page, done=None
        )
    return _appliance_page(request, appliance)


@step_required("customers.write")
@require_GET
def duplicates(request: HttpRequest) -> HttpResponse:
    """htmx fragment for the creation form: files of the chosen site with the phone or e-mail being typed."""
    sites = Site.objects.visible_to(request.user)
    site_pk = request.GET.get("site", "")
    if (wanted := as_id(site_pk)) is not None:
        site = sites.filter(pk=wanted).first()
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


@step_required("customers.view")
@require_GET
def communes(request: HttpRequest) -> HttpResponse:
    """htmx fragment: the communes of a postcode as a <datalist> offered by the city field."""
    found = geo.communes(request.GET.get("postcode", "").replace(" ", ""))
    return render(request, "customers/_communes.html", {"communes": found})
