"""Import (upload → preview with per-row errors → confirm) and export of the catalogue and the stock."""

import base64

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.core.choices import Role
from atelier.core.errors import AtelierError
from atelier.core.permissions import role_required
from atelier.stock import forms, importers, selectors
from atelier.stock.services import MANAGERS

SESSION_KEY = "stock_import"
MAX_BYTES = 5 * 1024 * 1024


def _context(form, **extra):
    return {"nav": "stock", "tab": "import", "form": form, **extra}


@role_required(*MANAGERS)
def import_file(request):
    form = forms.ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and request.POST.get("step") == "confirm":
        return _confirm(request, form)
    if request.method != "POST":
        return render(request, "stock/import.html", _context(form))
    if not form.is_valid():
        return render(request, "stock/import.html", _context(form), status=400)
    upload = form.cleaned_data["file"]
    if upload.size > MAX_BYTES:
        form.add_error("file", _("Fichier trop volumineux (5 Mo au plus)."))
        return render(request, "stock/import.html", _context(form), status=400)
    data = upload.read()
    site = form.cleaned_data["site"]
    try:
        parsed = importers.parse(form.cleaned_data["what"], upload.name, data, site=site)
    except AtelierError as exc:
        form.add_error("file", exc.message)
        return render(request, "stock/import.html", _context(form), status=400)
    request.session[SESSION_KEY] = {
        "what": form.cleaned_data["what"],
        "site": site.pk,
        "name": upload.name,
        "data": base64.b64encode(data).decode(),
    }
    return render(request, "stock/import.html", _context(form, parsed=parsed, site=site))


def _confirm(request, form):
    stored = request.session.get(SESSION_KEY)
    site = request.user.visible_sites().filter(pk=(stored or {}).get("site")).first()
    if not stored or site is None:
        messages.error(request, _("Le fichier à importer n'est plus en mémoire : déposez-le à nouveau."))
        return redirect("stock:import")
    try:
        parsed = importers.parse(stored["what"], stored["name"], base64.b64decode(stored["data"]), site=site)
        done = importers.apply(
            parsed, actor=request.user, site=site, skip_bad=request.POST.get("skip_bad") == "1"
        )
    except AtelierError as exc:
        messages.error(request, exc.message)
        return redirect("stock:import")
    del request.session[SESSION_KEY]
    messages.success(request, _("%(n)s ligne(s) importée(s).") % {"n": done})
    return redirect("stock:parts" if stored["what"] == "catalogue" else "stock:index")


@role_required(Role.MAGASINIER, Role.RESPONSABLE_SAV, Role.COMPTABLE)
def export_file(request, what, fmt):
    if what == "catalogue":
        rows = importers.catalogue_rows(selectors.part_list(active_only=False).order_by("reference"))
    elif what == "stock":
        rows = importers.stock_rows(selectors.balance_list(request.user))
    else:
        return HttpResponse(status=404)
    stamp = timezone.localdate().isoformat()
    if fmt == "csv":
        response = HttpResponse(importers.to_csv(rows), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(
            importers.to_xlsx(rows, what),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        return HttpResponse(status=404)
    response["Content-Disposition"] = f'attachment; filename="{what}-{stamp}.{fmt}"'
    return response
