"""Screens of the knowledge base: browse and search per family (every role), details, and edit forms for the
SAV manager. Each view parses, calls one selector or service, and renders."""

import mimetypes
from dataclasses import dataclass

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from atelier.core.access import may, step_required
from atelier.core.actions import Action, run_action
from atelier.customers.choices import ProductFamily
from atelier.knowledge import selectors, services
from atelier.knowledge.forms import (
    CauseForm,
    CheckForm,
    DocumentForm,
    ErrorCodeForm,
    SafetyWarningForm,
    SymptomForm,
)
from atelier.knowledge.models import Cause, Check, ErrorCode, SafetyWarning, Symptom, TechnicalDocument

RESULT_LIMIT = 200


def _context(request: HttpRequest, **extra) -> dict:
    can_edit = may(request.user, "knowledge.edit")
    return {"nav": "knowledge", "can_edit": can_edit, "families": ProductFamily.choices, **extra}


@step_required("knowledge.view")
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The base of one family, or the search results across families (French stemmed search)."""
    family = request.GET.get("famille", "")
    if family not in ProductFamily.values:
        family = ""
    query = request.GET.get("q", "").strip()
    browsing = bool(family or query)
    sections = {}
    if browsing:
        sections = {
            "symptoms": list(selectors.symptom_list(family=family, query=query)[:RESULT_LIMIT]),
            "error_codes": list(selectors.error_code_list(family=family, query=query)[:RESULT_LIMIT]),
            "causes": list(selectors.cause_list(family=family, query=query)[:RESULT_LIMIT]),
            "checks": list(selectors.check_list(family=family, query=query)[:RESULT_LIMIT]),
            "documents": list(selectors.document_list(family=family, query=query)[:RESULT_LIMIT]),
            "safety": list(selectors.safety_list(family=family)) if family and not query else [],
        }
    context = _context(
        request,
        family=family,
        family_label=ProductFamily(family).label if family else "",
        query=query,
        browsing=browsing,
        found=sum(len(v) for v in sections.values()),
        **sections,
    )
    return TemplateResponse(request, "knowledge/index.html", context)


@step_required("knowledge.view")
@require_GET
def symptom_detail(request: HttpRequest, pk: int) -> HttpResponse:
    symptom = get_object_or_404(Symptom.objects.prefetch_related("causes"), pk=pk)
    return TemplateResponse(request, "knowledge/symptom_detail.html", _context(request, symptom=symptom))


@step_required("knowledge.view")
@require_GET
def error_code_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(ErrorCode.objects.prefetch_related("causes"), pk=pk)
    return TemplateResponse(request, "knowledge/error_code_detail.html", _context(request, entry=entry))


@step_required("knowledge.view")
@require_GET
def cause_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cause = get_object_or_404(Cause, pk=pk)
    context = _context(
        request,
        cause=cause,
        symptoms=cause.symptoms.all(),
        error_codes=cause.error_codes.all(),
        checks=cause.checks.all(),
        learned=cause.confirmations.count(),
    )
    return TemplateResponse(request, "knowledge/cause_detail.html", context)


@step_required("knowledge.view")
@require_GET
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(TechnicalDocument, pk=pk)
    return TemplateResponse(request, "knowledge/document_detail.html", _context(request, document=document))


SAVED = gettext_lazy("Enregistré dans la base technique.")


@dataclass(frozen=True)
class Entry:
    """One kind of entry of the base: its model, the title of its edit page, its detail page (None: the list)."""

    model: type
    title: str
    detail: str | None
    with_causes: bool = False


ENTRIES = {
    "symptom": Entry(Symptom, "symptôme", "knowledge:symptom_detail", with_causes=True),
    "error_code": Entry(ErrorCode, "code erreur", "knowledge:error_code_detail", with_causes=True),
    "cause": Entry(Cause, "cause probable", "knowledge:cause_detail"),
    "check": Entry(Check, "contrôle", None),
    "document": Entry(TechnicalDocument, "document technique", "knowledge:document_detail"),
    "warning": Entry(SafetyWarning, "consigne de sécurité", None),
}


def _form_kwargs(name):
    def form_kwargs(request, instance) -> dict:
        initial = {"family": request.GET.get("famille", "")} if not instance else {}
        if instance and ENTRIES[name].with_causes:
            initial["causes"] = list(instance.causes.all())
        return {"instance": instance, "initial": initial}

    return form_kwargs


def _data(name):
    def data(request, instance, form) -> dict:
        extra = {"causes": list(form.cleaned_data["causes"])} if ENTRIES[name].with_causes else {}
        return {**form.service_fields(), **extra}

    return data


def _to_saved(name):
    def to_saved(request, instance, saved) -> str:
        detail = ENTRIES[name].detail
        if detail:
            return reverse(detail, kwargs={"pk": saved.pk})
        return f"{reverse('knowledge:index')}?famille={saved.family}"

    return to_saved


def _action(name, form, service) -> Action:
    """Create (no entry yet: the service gets `<name>=None`) or update an entry; one form, plain ids."""
    return Action(
        form=form,
        service=service,
        target=name,
        success=SAVED,
        form_kwargs=_form_kwargs(name),
        data=_data(name),
        next=_to_saved(name),
        plain_ids=True,
    )


ACTIONS = {
    "symptom": _action("symptom", SymptomForm, services.symptom_save),
    "error_code": _action("error_code", ErrorCodeForm, services.error_code_save),
    "cause": _action("cause", CauseForm, services.cause_save),
    "check": _action("check", CheckForm, services.check_save),
    "document": _action("document", DocumentForm, services.document_save),
    "warning": _action("warning", SafetyWarningForm, services.safety_warning_save),
}


def _edit(request, name, pk=None):
    """Create (pk=None) or update an entry through its service; a refused form keeps what was typed."""
    entry = ENTRIES[name]
    instance = get_object_or_404(entry.model, pk=pk) if pk else None

    def show_again(request, instance, *, failed=None, failed_form=None, status=200):
        form = failed_form or ACTIONS[name].form(auto_id="id_%s", **_form_kwargs(name)(request, instance))
        context = _context(request, form=form, title=entry.title, instance=instance)
        return TemplateResponse(request, "knowledge/edit.html", context, status=status)

    if request.method == "POST":
        return run_action(request, instance, name, ACTIONS, show_again=show_again, done=None)
    return show_again(request, instance)


@step_required("knowledge.edit")
@require_http_methods(["GET", "POST"])
def symptom_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    return _edit(request, "symptom", pk)


@step_required("knowledge.edit")
@require_http_methods(["GET", "POST"])
def error_code_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    return _edit(request, "error_code", pk)


@step_required("knowledge.edit")
@require_http_methods(["GET", "POST"])
def cause_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    return _edit(request, "cause", pk)


@step_required("knowledge.edit")
@require_http_methods(["GET", "POST"])
def check_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    return _edit(request, "check", pk)


@step_required("knowledge.edit")
@require_http_methods(["GET", "POST"])
def document_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    return _edit(request, "document", pk)


@step_required("knowledge.edit")
@require_http_methods(["GET", "POST"])
def safety_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    return _edit(request, "warning", pk)


@step_required("knowledge.view")
@require_GET
def document_file(request: HttpRequest, pk: int) -> FileResponse:
    """An uploaded document, served only to signed-in staff (there is no public media URL): the knowledge base
    is shared by the chain's sites, so any role may read it. Served as attachment unless PDF or image, with
    the type read from the extension the upload check allowed, and never sniffed by the browser."""
    document = get_object_or_404(TechnicalDocument, pk=pk)
    if not document.file:
        raise Http404("Ce document est un lien, pas un fichier.")
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404("Fichier introuvable.") from None
    name = document.file.name.rsplit("/", 1)[-1]
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type, filename=name)
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
