"""Import (upload → preview with per-row errors → confirm) and export of the catalogue and the stock.

The uploaded file waits server-side (services.pending_import_store): the preview carries only its token, and
another user's token (or an expired one) answers 404.
"""

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy, ngettext

from atelier.core.access import step_required
from atelier.core.actions import Action, run_action
from atelier.core.errors import AtelierError
from atelier.core.scoping import visible_or_404
from atelier.core.wording import plural_count
from atelier.stock import exports, forms, importers, selectors, services
from atelier.stock.choices import ImportKind
from atelier.stock.models import PENDING_IMPORT_LIFETIME, PendingImport
from atelier.stock.views.common import render_page

MAX_BYTES = 5 * 1024 * 1024


TOO_BIG = gettext_lazy("Fichier trop volumineux (5 Mo au plus).")


def _page(request, form, status=200, **extra):
    return render_page(request, "stock/import.html", {"tab": "import", "form": form, **extra}, status=status)


def _preview(request, pending, *, status=200, failed_form=None):
    """The preview of a file waiting to be confirmed, with a fresh upload form below it."""
    form = forms.ImportForm(user=request.user, initial={"what": pending.what, "site": pending.site})
    return _page(
        request,
        form,
        status=status,
        parsed=services.pending_import_parse(pending),
        site=pending.site,
        token=pending.token,
        failed_form=failed_form,
    )


def _import_page(request, obj=None, *, failed=None, failed_form=None, status=200):
    """The upload form (refused: with its reason), or the preview of a pending file whose confirmation failed."""
    if isinstance(obj, PendingImport):
        return _preview(request, obj, status=status, failed_form=failed_form)
    return _page(request, failed_form or forms.ImportForm(user=request.user), status=status)


def _check_and_keep(*, actor, what, site, file):
    """Read the upload (5 MB at most), parse it (per-row errors), and keep it server-side until confirmed."""
    if file.size > MAX_BYTES:
        raise AtelierError(TOO_BIG, field="file")
    data = file.read()
    parsed = importers.parse(what, file.name, data, site=site)
    pending = services.pending_import_store(actor=actor, site=site, what=what, name=file.name, data=data)
    return parsed, pending


def _show_preview(request, obj, result):
    parsed, pending = result
    form = forms.ImportForm(user=request.user, initial={"what": pending.what, "site": pending.site})
    return _page(request, form, parsed=parsed, site=pending.site, token=pending.token)


ACTIONS = {
    "upload": Action(
        form=forms.ImportForm,
        service=_check_and_keep,
        target=None,
        form_kwargs=lambda request, obj: {"user": request.user},
        next=_show_preview,
        plain_ids=True,
    ),
    "confirm": Action(
        form=forms.ImportConfirmForm,
        service=services.pending_import_apply,
        target="pending",
        data=lambda request, pending, form: {"skip_bad": form.cleaned_data["skip_bad"]},
        success=lambda done: (
            ngettext("%(n)s ligne importée.", "%(n)s lignes importées.", plural_count(done)) % {"n": done}
        ),
        next=lambda request, pending, done: reverse(
            "stock:parts" if pending.what == ImportKind.CATALOGUE else "stock:index"
        ),
        plain_ids=True,
    ),
}


@step_required("stock.manage")
def import_file(request):
    if request.method != "POST":
        return _import_page(request)
    if request.POST.get("step") != "confirm":
        return run_action(request, None, "upload", ACTIONS, show_again=_import_page, done=None)
    token = request.POST.get("token", "")
    if not token or len(token) > 64:
        raise Http404
    mine = PendingImport.objects.filter(
        owner=request.user, created_at__gte=timezone.now() - PENDING_IMPORT_LIFETIME
    ).select_related("site")
    pending = visible_or_404(mine, request.user, token=token)
    return run_action(request, pending, "confirm", ACTIONS, show_again=_import_page, done=None)


@step_required("stock.export")
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
