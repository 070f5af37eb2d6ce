"""Stock screens: levels, ledger, moves and transfers, catalogue, parts to order, supplier orders and receptions,
reservations of a repair order and its pick list, inventories. Thin: reads via selectors, writes via services."""

from decimal import Decimal

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from atelier.core.choices import Role
from atelier.core.errors import AtelierError
from atelier.core.forms import call_service
from atelier.core.permissions import role_required
from atelier.quotes.models import RepairOrder, RepairOrderPart
from atelier.stock import forms, selectors, services
from atelier.stock.choices import InventoryStatus
from atelier.stock.models import InventoryCount, Part, PartAnomaly, Reservation

READERS = (Role.MAGASINIER, Role.RESPONSABLE_SAV, Role.TECHNICIEN, Role.COMPTABLE, Role.ACCUEIL)
MANAGERS = services.MANAGERS
CONSUMERS = services.CONSUMERS
RESERVERS = services.RESERVERS
PAGE_SIZE = 50


def _render(request, template, context, status=200):
    return render(request, template, {"nav": "stock", **context}, status=status)


def _site(request):
    """The site the page is about: ?site=<pk> among the user's, else their first."""
    sites = request.user.visible_sites()
    wanted = request.GET.get("site") or request.POST.get("site")
    if wanted and str(wanted).isdigit():
        site = sites.filter(pk=wanted).first()
        if site:
            return site
    return sites.first()


def _do(request, service, /, success: str, **kwargs):
    """Run a service from a POST button; its refusal becomes an error message. Returns the result or None."""
    try:
        result = service(**kwargs)
    except AtelierError as exc:
        messages.error(request, exc.message)
        return None
    if success:
        messages.success(request, success)
    return result


# ---------------------------------------------------------------- levels and ledger


@role_required(*READERS)
def stock_index(request):
    form = forms.StockFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.balance_list(
        request.user, site=filters.get("site"), location=filters.get("location"), query=filters.get("q", "")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return _render(request, "stock/stock_index.html", {"form": form, "page_obj": page, "tab": "stock"})


@role_required(*READERS)
def move_list(request):
    form = forms.MoveFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    moves = selectors.move_list(
        request.user,
        site=filters.get("site"),
        location=filters.get("location"),
        kind=filters.get("kind", ""),
        part=filters.get("part"),
    )
    page = Paginator(moves, PAGE_SIZE).get_page(request.GET.get("page"))
    return _render(request, "stock/move_list.html", {"form": form, "page_obj": page, "tab": "moves"})


@role_required(*CONSUMERS)
def move_create(request):
    form = forms.MoveForm(request.POST or None, user=request.user, initial={"kind": request.GET.get("kind")})
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            move = call_service(
                form,
                services.move_record,
                actor=request.user,
                part=data["part"],
                location=data["location"],
                kind=data["kind"],
                quantity=data["quantity"],
                reason=data["reason"],
                case=data["case_number"],
            )
            if move:
                messages.success(request, _("Mouvement enregistré : %(m)s.") % {"m": move})
                return redirect("stock:moves")
        return _render(request, "stock/form.html", _move_context(form), status=400)
    return _render(request, "stock/form.html", _move_context(form))


def _move_context(form):
    return {"form": form, "title": _("Enregistrer un mouvement"), "submit": _("Enregistrer"), "tab": "moves"}


@role_required(*CONSUMERS)
def transfer_create(request):
    form = forms.TransferForm(request.POST or None, user=request.user)
    context = {"form": form, "title": _("Transférer des pièces"), "submit": _("Transférer"), "tab": "moves"}
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            done = call_service(form, services.transfer, actor=request.user, **data)
            if done:
                messages.success(request, _("Transfert enregistré."))
                return redirect("stock:moves")
        return _render(request, "stock/form.html", context, status=400)
    return _render(request, "stock/form.html", context)


# ---------------------------------------------------------------- catalogue


@role_required(*READERS)
def part_list(request):
    query = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    parts = selectors.part_list(active_only=not status, query=query, status=status)
    page = Paginator(parts, PAGE_SIZE).get_page(request.GET.get("page"))
    return _render(
        request,
        "stock/part_list.html",
        {
            "page_obj": page,
            "q": query,
            "status": status,
            "tab": "parts",
            "anomalies": selectors.anomaly_list(request.user)[:20],
        },
    )


@role_required(*MANAGERS)
def part_create(request):
    form = forms.PartForm(request.POST or None, user=request.user, initial={"vat_kind": "normal"})
    context = {
        "form": form,
        "title": _("Nouvelle référence"),
        "submit": _("Créer la référence"),
        "tab": "parts",
    }
    if request.method == "POST":
        if form.is_valid():
            part = call_service(form, services.part_create, actor=request.user, **form.service_kwargs())
            if part:
                messages.success(
                    request,
                    _("Référence %(r)s créée (code %(c)s) : à faire valider par une deuxième personne.")
                    % {"r": part.reference, "c": part.internal_code},
                )
                return redirect("stock:part", pk=part.pk)
        return _render(request, "stock/form.html", context, status=400)
    return _render(request, "stock/form.html", context)


@role_required(*READERS)
def part_detail(request, pk):
    part = get_object_or_404(
        Part.objects.select_related("equivalent_of", "created_by", "validated_by"), pk=pk
    )
    balances = selectors.balance_list(request.user).filter(part=part)
    levels = [(site, selectors.stock_level(part, site)) for site in request.user.visible_sites()]
    return _render(
        request,
        "stock/part_detail.html",
        {
            "part": part,
            "balances": balances,
            "levels": levels,
            "moves": selectors.move_list(request.user, part=part)[:30],
            "anomaly_form": forms.AnomalyForm(user=request.user, initial={"site": _site(request)}),
            "supplier_form": forms.SupplierLinkForm(),
            "anomalies": part.anomalies.filter(site_id__in=request.user.visible_site_ids),
            "tab": "parts",
        },
    )


@require_POST
@role_required(*MANAGERS)
def part_validate(request, pk):
    part = get_object_or_404(Part, pk=pk)
    accept = request.POST.get("decision") != "refuse"
    _do(
        request,
        services.part_validate,
        success=_("Référence validée.") if accept else _("Référence refusée."),
        part=part,
        actor=request.user,
        accept=accept,
    )
    return redirect("stock:part", pk=pk)


@require_POST
@role_required(*MANAGERS)
def part_supplier(request, pk):
    part = get_object_or_404(Part, pk=pk)
    form = forms.SupplierLinkForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
        return redirect("stock:part", pk=pk)
    _do(
        request,
        services.part_supplier_set,
        success=_("Fournisseur enregistré."),
        part=part,
        actor=request.user,
        **form.cleaned_data,
    )
    return redirect("stock:part", pk=pk)


@require_POST
@role_required(*READERS)
def part_anomaly(request, pk):
    part = get_object_or_404(Part, pk=pk)
    form = forms.AnomalyForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, _("Indiquez le site et décrivez l'anomalie."))
        return redirect("stock:part", pk=pk)
    _do(
        request,
        services.anomaly_report,
        success=_("Anomalie signalée au magasinier."),
        part=part,
        actor=request.user,
        **form.cleaned_data,
    )
    return redirect("stock:part", pk=pk)


@require_POST
@role_required(*MANAGERS)
def anomaly_resolve(request, pk):
    anomaly = get_object_or_404(PartAnomaly.objects.filter(site_id__in=request.user.visible_site_ids), pk=pk)
    _do(
        request,
        services.anomaly_resolve,
        success=_("Anomalie traitée."),
        anomaly=anomaly,
        actor=request.user,
        resolution=request.POST.get("resolution", ""),
    )
    return redirect("stock:part", pk=anomaly.part_id)


# ---------------------------------------------------------------- parts to order and supplier orders


@role_required(*READERS)
def to_order(request):
    site = _site(request)
    if request.method == "POST" and site is not None:
        order = _order_from_to_order_page(request, site)
        if order:
            return redirect("stock:order", pk=order.pk)
    page = Paginator(selectors.parts_to_order(site) if site else [], 100).get_page(request.GET.get("page"))
    return _render(
        request,
        "stock/to_order.html",
        {
            "site": site,
            "sites": request.user.visible_sites(),
            "page_obj": page,
            "rows": page.object_list,
            "supplier_form": forms.SupplierChoiceForm(),
            "waiting": selectors.waiting_order_parts(site)[:50] if site else [],
            "tab": "to_order",
        },
    )


def _order_from_to_order_page(request, site):
    """The quantities typed on the page (qty-<part id>) become one supplier order."""
    if not request.user.has_role(*MANAGERS) and not request.user.is_superuser:
        messages.error(request, _("Votre rôle ne permet pas cette opération."))
        return None
    form = forms.SupplierChoiceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez le fournisseur."))
        return None
    wanted = {
        int(key.removeprefix("qty-")): value.strip()
        for key, value in request.POST.items()
        if key.startswith("qty-") and key.removeprefix("qty-").isdigit() and value.strip() not in ("", "0")
    }
    parts = Part.objects.in_bulk(list(wanted))
    return _do(
        request,
        services.supplier_order_create,
        success=_("Commande fournisseur passée."),
        actor=request.user,
        site=site,
        supplier=form.cleaned_data["supplier"],
        lines=[(parts[pk], qty) for pk, qty in wanted.items() if pk in parts],
    )


@role_required(*READERS)
def supplier_order_list(request):
    orders = selectors.supplier_order_list(request.user, status=request.GET.get("status", ""))
    page = Paginator(orders, PAGE_SIZE).get_page(request.GET.get("page"))
    return _render(request, "stock/order_list.html", {"page_obj": page, "tab": "orders"})


@role_required(*READERS)
def supplier_order_detail(request, pk):
    order = get_object_or_404(selectors.supplier_order_list(request.user), pk=pk)
    if request.method == "POST":
        if not request.user.has_role(*MANAGERS) and not request.user.is_superuser:
            messages.error(request, _("Votre rôle ne permet pas cette opération."))
            return redirect("stock:order", pk=pk)
        location = (
            selectors.location_list(request.user, site=order.site)
            .filter(pk=request.POST.get("location") or 0)
            .first()
        )
        if location is None:
            messages.error(request, _("Choisissez l'emplacement où ranger les pièces reçues."))
        else:
            quantities = {
                key.removeprefix("recu-"): value
                for key, value in request.POST.items()
                if key.startswith("recu-")
            }
            result = _do(
                request,
                services.supplier_order_receive,
                success=_("Réception enregistrée."),
                actor=request.user,
                order=order,
                location=location,
                quantities=quantities,
            )
            if result is not None:
                for case in result["served"]:
                    messages.info(
                        request,
                        _("Dossier %(n)s : toutes ses pièces sont là, il peut reprendre.")
                        % {"n": case.number},
                    )
                return redirect("stock:order", pk=pk)
    return _render(
        request,
        "stock/order_detail.html",
        {
            "order": order,
            "lines": order.lines.select_related("part", "repair_order"),
            "locations": selectors.location_list(request.user, site=order.site),
            "tab": "orders",
        },
    )


# ---------------------------------------------------------------- a repair order: reservations, pick list


def _repair_order(request, pk) -> RepairOrder:
    qs = RepairOrder.objects.select_related("case__site", "case__appliance", "case__customer", "technician")
    return get_object_or_404(qs.filter(case__site_id__in=request.user.visible_site_ids), pk=pk)


def _order_lines(order):
    reservations = list(selectors.order_reservations(order))
    lines = []
    for line in order.parts.select_related("part"):
        mine = [r for r in reservations if r.order_part_id == line.pk]
        reserved = sum((r.remaining for r in mine if r.status == "active"), Decimal(0))
        consumed = sum((r.consumed for r in mine), Decimal(0))
        lines.append(
            {
                "line": line,
                "reservations": mine,
                "reserved": reserved,
                "consumed": consumed,
                "missing": max(line.quantity - reserved - consumed, Decimal(0)),
                "level": selectors.stock_level(line.part, order.case.site),
            }
        )
    return lines


@role_required(*READERS)
def repair_order_stock(request, pk):
    order = _repair_order(request, pk)
    ready, reason = selectors.order_parts_ready(order)
    return _render(
        request,
        "stock/repair_order.html",
        {
            "order": order,
            "case": order.case,
            "lines": _order_lines(order),
            "ready": ready,
            "reason": reason,
            "supplier_form": forms.SupplierChoiceForm(),
            "tab": "orders",
        },
    )


@require_POST
@role_required(*RESERVERS)
def repair_order_action(request, pk, action):
    order = _repair_order(request, pk)
    line = None
    if request.POST.get("line"):
        line = get_object_or_404(RepairOrderPart, order=order, pk=request.POST["line"])
    user = request.user
    if action == "reserver":
        if line is not None:
            _do(
                request,
                services.reserve_for_order_part,
                success=_("Pièce réservée."),
                order_part=line,
                actor=user,
                quantity=request.POST.get("quantity") or None,
            )
        else:
            _do(request, services.reserve_for_order, success=_("Pièces réservées."), order=order, actor=user)
    elif action == "consommer" and line is not None:
        _do(
            request,
            services.consume_for_order_part,
            success=_("Consommation enregistrée sur le dossier."),
            order_part=line,
            actor=user,
            quantity=request.POST.get("quantity") or None,
        )
    elif action == "annuler":
        reservation = get_object_or_404(
            Reservation, order_part__order=order, pk=request.POST.get("reservation") or 0
        )
        _do(
            request,
            services.reservation_cancel,
            success=_("Réservation annulée."),
            reservation=reservation,
            actor=user,
        )
    elif action == "commander":
        form = forms.SupplierChoiceForm(request.POST)
        if form.is_valid():
            supplier_order = _do(
                request,
                services.supplier_order_for_repair_order,
                success=_("Commande fournisseur passée."),
                actor=user,
                order=order,
                supplier=form.cleaned_data["supplier"],
            )
            if supplier_order:
                return redirect("stock:order", pk=supplier_order.pk)
        else:
            messages.error(request, _("Choisissez le fournisseur."))
    else:
        messages.error(request, _("Action inconnue."))
    return redirect("stock:repair_order", pk=order.pk)


@role_required(*READERS)
def pick_list(request, pk):
    from atelier.knowledge.selectors import document_list

    order = _repair_order(request, pk)
    appliance = order.case.appliance
    documents = document_list(family=appliance.family, brand=appliance.brand, model_ref=appliance.model_ref)[
        :20
    ]
    ready, reason = selectors.order_parts_ready(order)
    tools = [t.strip() for t in order.tools.replace(";", ",").split(",") if t.strip()]
    return _render(
        request,
        "stock/pick_list.html",
        {
            "order": order,
            "case": order.case,
            "appliance": appliance,
            "lines": _order_lines(order),
            "tools": tools,
            "documents": documents,
            "ready": ready,
            "reason": reason,
            "van": selectors.van_location(order.technician, order.case.site),
        },
    )


# ---------------------------------------------------------------- inventory


@role_required(*MANAGERS, Role.COMPTABLE)
def inventory_list(request):
    counts = InventoryCount.objects.filter(site_id__in=request.user.visible_site_ids).select_related(
        "site", "location"
    )
    form = forms.InventoryOpenForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        count = call_service(form, services.inventory_open, actor=request.user, **form.cleaned_data)
        if count:
            messages.success(request, _("Inventaire ouvert : saisissez les quantités comptées."))
            return redirect("stock:inventory", pk=count.pk)
    status = 400 if request.method == "POST" else 200
    page = Paginator(counts, PAGE_SIZE).get_page(request.GET.get("page"))
    return _render(
        request, "stock/inventory_list.html", {"page_obj": page, "form": form, "tab": "inventory"}, status
    )


@role_required(*MANAGERS, Role.COMPTABLE)
def inventory_detail(request, pk):
    count = get_object_or_404(
        InventoryCount.objects.filter(site_id__in=request.user.visible_site_ids).select_related("site"), pk=pk
    )
    add_form = forms.InventoryAddForm(count=count)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "add":
            add_form = forms.InventoryAddForm(request.POST, count=count)
            if add_form.is_valid() and call_service(
                add_form,
                services.inventory_count_line,
                actor=request.user,
                count=count,
                **add_form.cleaned_data,
            ):
                messages.success(request, _("Ligne ajoutée."))
                return redirect("stock:inventory", pk=pk)
        elif action in ("save", "validate"):
            ok = True
            for line in count.lines.select_related("part", "location"):
                raw = request.POST.get(f"compte-{line.pk}", "").strip()
                if raw == "":
                    continue
                if not _do(
                    request,
                    services.inventory_count_line,
                    success="",
                    actor=request.user,
                    count=count,
                    part=line.part,
                    location=line.location,
                    counted=raw,
                ):
                    ok = False
                    break
            if ok and action == "validate":
                moves = _do(
                    request,
                    services.inventory_validate,
                    success=_("Inventaire validé."),
                    actor=request.user,
                    count=count,
                )
                if moves is not None:
                    messages.info(request, _("%(n)s écart(s) passé(s) en mouvements.") % {"n": len(moves)})
            return redirect("stock:inventory", pk=pk)
    lines = count.lines.select_related("part", "location")
    return _render(
        request,
        "stock/inventory_detail.html",
        {
            "count": count,
            "lines": lines,
            "add_form": add_form,
            "editable": count.status == InventoryStatus.EN_COURS,
            "tab": "inventory",
        },
    )
