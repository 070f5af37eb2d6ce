"""Import (upload → preview with per-row errors → confirm) and export of the catalogue and the stock.

The uploaded file waits server-side (services.pending_import_store): the preview carries only its token, and
another user's token (or an expired one) answers 404.
"""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.core.choices import Role
from atelier.core.forms import call_service
from atelier.core.permissions import role_required
from atelier.core.scoping import visible_or_404
from atelier.stock import exports, forms, importers, selectors, services
from atelier.stock.choices import ImportKind
from atelier.stock.models import PENDING_IMPORT_LIFETIME, PendingImport
from atelier.stock.views.common import MANAGERS, render_page

MAX_BYTES = 5 * 1024 * 1024


def _page(request, form, status=200, **extra):
    return render_page(request, "stock/import.html", {"tab": "import", "form": form, **extra}, status=status)


@role_required(*MANAGERS)
def import_file(request):
    if request.method == "POST" and request.POST.get("step") == "confirm":
        return _confirm(request)
    form = forms.ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method != "POST":
        return _page(request, form)
    if not form.is_valid():
        return _page(request, form, status=400)
    upload = form.cleaned_data["file"]
    if upload.size > MAX_BYTES:
        form.add_error("file", _("Fichier trop volumineux (5 Mo au plus)."))
        return _page(request, form, status=400)
    data = upload.read()
    site, what = form.cleaned_data["site"], form.cleaned_data["what"]
    parsed = call_service(form, importers.parse, what=what, name=upload.name, data=data, site=site)
    if parsed is None:
        return _page(request, form, status=getattr(form, "refusal_status", 400))
    pending = call_service(
        form,
        services.pending_import_store,
        actor=request.user,
        site=site,
        what=what,
        name=upload.name,
        data=data,
    )
    if pending is None:
        return _page(request, form, status=getattr(form, "refusal_status", 400))
    return _page(request, form, parsed=parsed, site=site, token=pending.token)


def _confirm(request):
    confirm = forms.ImportConfirmForm(request.POST)
    if not confirm.is_valid():
        raise Http404
    mine = PendingImport.objects.filter(
        owner=request.user, created_at__gte=timezone.now() - PENDING_IMPORT_LIFETIME
    ).select_related("site")
    pending = visible_or_404(mine, request.user, token=confirm.cleaned_data["token"])
    done = call_service(
        confirm,
        services.pending_import_apply,
        pending=pending,
        actor=request.user,
        skip_bad=confirm.cleaned_data["skip_bad"],
    )
    if done is None:
        form = forms.ImportForm(user=request.user, initial={"what": pending.what, "site": pending.site})
        return _page(
            request,
            form,
            status=getattr(confirm, "refusal_status", 400),
            parsed=services.pending_import_parse(pending),
            site=pending.site,
            token=pending.token,
            failed_form=confirm,
        )
    messages.success(request, _("%(n)s ligne(s) importée(s).") % {"n": done})
    return redirect("stock:parts" if pending.what == ImportKind.CATALOGUE else "stock:index")


@role_required(Role.MAGASINIER, Role.RESPONSABLE_SAV, Role.COMPTABLE)
def export_file(request, what, fmt):
    if what == ImportKind.CATALOGUE:
        rows = exports.catalogue_rows(selectors.part_list(active_only=False).order_by("reference"))
    elif what == ImportKind.STOCK:
        rows = exports.stock_rows(selectors.balance_list(request.user))
    else:
        raise Http404
    stamp = timezone.localdate().isoformat()
    if fmt == "csv":
        response = HttpResponse(exports.to_csv(rows), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(
            exports.to_xlsx(rows, what),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{what}-{stamp}.{fmt}"'
    return response
