"""Screens of the second life of appliances (French, for the tablet and the counter): the stock by state and
family, an appliance with its ledger and actions, intake, triage, lots, the ledger, abandoned dossiers, counts
and the triage checklists. Views parse and call one service; refusals come back on the form (core.actions)."""

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from atelier.core.access import may, sites_allowing, step_required
from atelier.core.actions import Action, refusal_status, run_action
from atelier.core.forms import call_service
from atelier.core.models import Site
from atelier.core.params import as_id
from atelier.core.scoping import visible_or_404
from atelier.customers.choices import ProductFamily
from atelier.refurbishment import selectors, services
from atelier.refurbishment.choices import IN_STOCK_STATES, ApplianceState, MoveKind
from atelier.refurbishment.forms import (
    CountForm,
    IntakeForm,
    LetterForm,
    LotForm,
    ReasonForm,
    RelocateForm,
    ReserveForm,
    ScrapForm,
    TriageForm,
)
from atelier.refurbishment.forms_procedures import ResaleForm
from atelier.refurbishment.models import AbandonNoticeRule, StockAppliance, TriageCheck
from atelier.refurbishment.views_procedures import appliance_extras, saleable_now
from atelier.stock.models import StockLocation

PAGE_SIZE = 200
NAV = "refurbishment"


def _sites(request) -> list:
    return list(Site.objects.visible_to(request.user)) if len(request.user.visible_site_ids) > 1 else []


@step_required("refurbishment.view")
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The stock of appliances by site, family and state (always the rows as they are), then the list."""
    params = request.GET
    state = params.get("etat", "en_stock")
    appliances = selectors.appliance_list(
        user=request.user,
        site=params.get("site", ""),
        state=state,
        family=params.get("famille", ""),
        q=params.get("q", ""),
    )
    return render(
        request,
        "refurbishment/index.html",
        {
            "nav": NAV,
            "table": selectors.stock_table(user=request.user, site=params.get("site", "")),
            "appliances": appliances[:PAGE_SIZE],
            "states": [("en_stock", _("En stock")), *ApplianceState.choices],
            "families": ProductFamily.choices,
            "state": state,
            "family": params.get("famille", ""),
            "q": params.get("q", "")[:100],
            "sites": _sites(request),
            "site": params.get("site", ""),
            "can_intake": may(request.user, "refurbishment.intake"),
            "can_count": may(request.user, "refurbishment.count"),
        },
    )


@step_required("refurbishment.intake")
def intake(request: HttpRequest) -> HttpResponse:
    form = IntakeForm(request.POST or None, user=request.user, initial=_intake_initial(request))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            appliance = call_service(
                form, services.appliance_intake, actor=request.user, **form.service_kwargs()
            )
            if appliance is not None:
                messages.success(
                    request, _("Appareil %(n)s entré en stock, à trier.") % {"n": appliance.number}
                )
                if request.POST.get("next") == "lot" and appliance.lot_id:
                    return redirect("refurbishment:lot", pk=appliance.lot_id)
                return redirect("refurbishment:appliance", pk=appliance.pk)
        status = refusal_status(form)
    return render(request, "refurbishment/intake.html", {"nav": NAV, "form": form}, status=status)


def _intake_initial(request) -> dict:
    initial = {}
    for key in ("lot", "origin", "case"):
        if request.GET.get(key, "").replace("_", "").isalnum():
            initial[key] = request.GET[key]
    return initial


# ---------------------------------------------------------------- one appliance


def _appliance_form(request, appliance) -> dict:
    return {"appliance": appliance}


APPLIANCE_ACTIONS = {
    "relocate": Action(
        RelocateForm,
        services.appliance_relocate,
        _("Emplacement changé."),
        target="appliance",
        form_kwargs=_appliance_form,
    ),
    "reserve": Action(
        ReserveForm,
        services.appliance_reserve,
        _("Appareil réservé."),
        target="appliance",
        form_kwargs=_appliance_form,
    ),
    "cancel": Action(
        ReasonForm, services.appliance_reservation_cancel, _("Réservation annulée."), target="appliance"
    ),
    "sell": Action(  # the sale and its invoice (services/resale.py)
        ResaleForm,
        services.appliance_resell,
        lambda sale: (
            _("Vente enregistrée : l'appareil est sorti du stock, facture %(n)s émise.")
            % {"n": sale.invoice.number}
        ),
        target="appliance",
        form_kwargs=_appliance_form,
    ),
    "scrap": Action(ScrapForm, services.appliance_scrap, _("Appareil mis au rebut."), target="appliance"),
}


def _appliance_page(request, appliance, *, failed=None, failed_form=None, status=200):
    user, site = request.user, appliance.site_id

    def form(name, form_class, **kwargs):
        if failed == name:
            return failed_form
        return form_class(auto_id=f"id_{name}_%s", **kwargs)

    in_stock = appliance.state in IN_STOCK_STATES
    saleable = in_stock and saleable_now(appliance)
    triage = appliance.triages.prefetch_related("results").select_related("done_by").first()
    return render(
        request,
        "refurbishment/appliance_detail.html",
        {
            "nav": NAV,
            "appliance": appliance,
            "moves": appliance.moves.select_related("actor", "from_location", "to_location", "customer"),
            "triage": triage,
            "in_stock": in_stock,
            "saleable": saleable,
            "can_intake": in_stock and may(user, "refurbishment.intake", site),
            "can_triage": appliance.state == ApplianceState.A_TRIER
            and may(user, "refurbishment.triage", site),
            "can_sell": saleable and may(user, "refurbishment.sell", site),
            "can_scrap": in_stock and may(user, "refurbishment.scrap", site),
            "failed": failed,
            "failed_form": failed_form,
            "relocate_form": form("relocate", RelocateForm, appliance=appliance),
            "reserve_form": form("reserve", ReserveForm, appliance=appliance),
            "cancel_form": form("cancel", ReasonForm),
            "sell_form": form("sell", ResaleForm, appliance=appliance),
            "scrap_form": form("scrap", ScrapForm),
            **appliance_extras(request, appliance),
        },
        status=status,
    )


@step_required("refurbishment.view")
def appliance_detail(request: HttpRequest, pk: int) -> HttpResponse:
    appliance = selectors.appliance_get(user=request.user, pk=pk)
    if request.method == "POST":
        return run_action(
            request,
            appliance,
            request.POST.get("action", ""),
            APPLIANCE_ACTIONS,
            show_again=_appliance_page,
            done=lambda a: reverse("refurbishment:appliance", args=[a.pk]),
        )
    return _appliance_page(request, appliance)


@step_required("refurbishment.triage")
def triage(request: HttpRequest, pk: int) -> HttpResponse:
    """The family's checklist, one check after the other on the tablet, then the outcome."""
    appliance = selectors.appliance_get(user=request.user, pk=pk)
    form = TriageForm(request.POST or None, checks=selectors.checklist(appliance.family))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            done = call_service(
                form,
                services.appliance_triage,
                actor=request.user,
                appliance=appliance,
                **form.service_kwargs(),
            )
            if done is not None:
                messages.success(
                    request,
                    _("Tri enregistré : %(o)s.") % {"o": done.get_outcome_display()},
                )
                return redirect("refurbishment:appliance", pk=appliance.pk)
        status = refusal_status(form)
    return render(
        request,
        "refurbishment/triage.html",
        {"nav": NAV, "appliance": appliance, "form": form},
        status=status,
    )


# ---------------------------------------------------------------- lots


@step_required("refurbishment.view")
def lot_list(request: HttpRequest) -> HttpResponse:
    can_create = may(request.user, "refurbishment.intake")
    form = LotForm(request.POST or None, user=request.user) if can_create else None
    status = 200
    if request.method == "POST":
        if form is None:
            return redirect("refurbishment:lots")
        if form.is_valid():
            lot = call_service(form, services.lot_create, actor=request.user, **form.cleaned_data)
            if lot is not None:
                messages.success(request, _("Lot %(n)s enregistré.") % {"n": lot.number})
                return redirect("refurbishment:lot", pk=lot.pk)
        status = refusal_status(form)
    return render(
        request,
        "refurbishment/lot_list.html",
        {"nav": NAV, "lots": selectors.lot_list(user=request.user)[:PAGE_SIZE], "form": form},
        status=status,
    )


@step_required("refurbishment.view")
@require_GET
def lot_detail(request: HttpRequest, pk: int) -> HttpResponse:
    lot = selectors.lot_get(user=request.user, pk=pk)
    appliances = lot.appliances.select_related("location", "reserved_for").order_by("number")
    return render(
        request,
        "refurbishment/lot_detail.html",
        {
            "nav": NAV,
            "lot": lot,
            "appliances": appliances,
            "can_intake": may(request.user, "refurbishment.intake", lot.site_id),
        },
    )


# ---------------------------------------------------------------- the ledger


@step_required("refurbishment.view")
@require_GET
def move_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("type", "")
    kind = kind if kind in MoveKind.values else ""
    moves = selectors.move_list(user=request.user, site=request.GET.get("site", ""), kind=kind)
    return render(
        request,
        "refurbishment/move_list.html",
        {
            "nav": NAV,
            "moves": moves[:PAGE_SIZE],
            "kinds": MoveKind.choices,
            "kind": kind,
            "sites": _sites(request),
            "site": request.GET.get("site", ""),
        },
    )


# ---------------------------------------------------------------- abandoned dossiers


@step_required("refurbishment.view")
def abandons(request: HttpRequest) -> HttpResponse:
    """The letters sent to customers who did not collect their appliance, when each may enter stock; the forms
    to record a letter and, for the manager, the site's notice period."""
    from atelier.refurbishment.forms import NoticeRuleForm

    user = request.user
    can_letter, can_settings = may(user, "refurbishment.abandon"), may(user, "refurbishment.settings")
    chosen = request.GET.get("dossier", "")
    letter_form = (
        LetterForm(
            auto_id="id_letter_%s", user=user, initial={"case": chosen} if as_id(chosen) is not None else {}
        )
        if can_letter
        else None
    )
    rule_form = NoticeRuleForm(auto_id="id_rule_%s", user=user) if can_settings else None
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "letter" and can_letter:
            letter_form = LetterForm(request.POST, auto_id="id_letter_%s", user=user)
            if letter_form.is_valid():
                letter = call_service(
                    letter_form, services.abandon_letter_record, actor=user, **letter_form.cleaned_data
                )
                if letter is not None:
                    messages.success(
                        request,
                        _("Lettre enregistrée : l'appareil pourra entrer en stock à partir du %(d)s.")
                        % {"d": letter.due_on.strftime("%d/%m/%Y")},
                    )
                    return redirect("refurbishment:abandons")
            status = refusal_status(letter_form)
        elif action == "rule" and can_settings:
            rule_form = NoticeRuleForm(request.POST, auto_id="id_rule_%s", user=user)
            if rule_form.is_valid():
                if call_service(rule_form, services.notice_rule_set, actor=user, **rule_form.cleaned_data):
                    messages.success(request, _("Délai d'abandon enregistré."))
                    return redirect("refurbishment:abandons")
            status = refusal_status(rule_form)
        else:
            return redirect("refurbishment:abandons")
    site_ids = user.visible_site_ids
    rules = AbandonNoticeRule.objects.filter(Q(site__in=site_ids) | Q(site__isnull=True)).select_related(
        "site"
    )
    return render(
        request,
        "refurbishment/abandons.html",
        {
            "nav": NAV,
            "letters": selectors.letter_list(user=user)[:PAGE_SIZE],
            "rules": rules.order_by("site__code", "-valid_from"),
            "letter_form": letter_form,
            "rule_form": rule_form,
            "can_intake": may(user, "refurbishment.intake"),
            "today": timezone.localdate(),
        },
        status=status,
    )


# ---------------------------------------------------------------- counts


@step_required("refurbishment.count")
def count_list(request: HttpRequest) -> HttpResponse:
    """Choose a site (and a location), tick the appliances seen, type the numbers seen outside the list."""
    user = request.user
    source = request.POST if request.method == "POST" else request.GET
    sites = list(Site.objects.filter(pk__in=sites_allowing(user, "refurbishment.count")).order_by("code"))
    site = next(
        (s for s in sites if str(s.pk) == source.get("site", "")), sites[0] if len(sites) == 1 else None
    )
    location = None
    if site is not None and source.get("emplacement"):
        location = visible_or_404(StockLocation.objects.filter(site=site), user, pk=source["emplacement"])
    expected = []
    if site is not None:
        qs = StockAppliance.objects.filter(site=site, state__in=IN_STOCK_STATES).select_related("location")
        expected = list(qs.filter(location=location) if location else qs.order_by("location__code", "number"))
    form = CountForm(request.POST or None, expected=expected)
    status = 200
    if request.method == "POST" and site is not None:
        if form.is_valid():
            count = call_service(
                form,
                services.appliance_count_record,
                actor=user,
                site=site,
                location=location,
                present=form.cleaned_data["present"],
                extra_numbers=form.cleaned_data["extra_numbers"],
            )
            if count is not None:
                messages.success(
                    request,
                    _("Inventaire enregistré : %(f)s trouvé(s), %(m)s manquant(s), %(e)s hors liste.")
                    % {"f": count.found, "m": count.missing, "e": count.extra},
                )
                return redirect("refurbishment:count", pk=count.pk)
        status = refusal_status(form)
    locations = StockLocation.objects.filter(site=site, is_active=True).order_by("code") if site else []
    return render(
        request,
        "refurbishment/count_list.html",
        {
            "nav": NAV,
            "counts": selectors.count_list(user=user)[:50],
            "sites": sites,
            "site": site,
            "locations": locations,
            "location": location,
            "expected": expected,
            "form": form,
            "present": {str(v) for v in request.POST.getlist("present")},
        },
        status=status,
    )


@step_required("refurbishment.count")
@require_GET
def count_detail(request: HttpRequest, pk: int) -> HttpResponse:
    count = selectors.count_get(user=request.user, pk=pk)
    lines = count.lines.select_related("appliance").order_by("found", "appliance__number")
    return render(request, "refurbishment/count_detail.html", {"nav": NAV, "count": count, "lines": lines})


@step_required("refurbishment.view")
@require_GET
def checklists(request: HttpRequest) -> HttpResponse:
    """The triage checklist of each family (data; edited in the administration)."""
    families = dict(ProductFamily.choices)
    groups: dict[str, list] = {}
    for check in TriageCheck.objects.filter(is_active=True):
        groups.setdefault(str(families.get(check.family, check.family)), []).append(check)
    return render(request, "refurbishment/checklists.html", {"nav": NAV, "groups": groups})
