"""Screens of the knowledge base: browse and search per family (every role), details, and edit forms for the
SAV manager. Each view parses, calls one selector or service, and renders."""

import mimetypes

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from atelier.core.choices import Role
from atelier.core.forms import call_service
from atelier.core.permissions import role_required
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

READER_ROLES = tuple(Role.values)
EDITOR_ROLES = services.EDITOR_ROLES
RESULT_LIMIT = 200


def _context(request: HttpRequest, **extra) -> dict:
    can_edit = request.user.is_superuser or request.user.has_role(*EDITOR_ROLES)
    return {"nav": "knowledge", "can_edit": can_edit, "families": ProductFamily.choices, **extra}


@role_required(*READER_ROLES)
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


@role_required(*READER_ROLES)
@require_GET
def symptom_detail(request: HttpRequest, pk: int) -> HttpResponse:
    symptom = get_object_or_404(Symptom.objects.prefetch_related("causes"), pk=pk)
    return TemplateResponse(request, "knowledge/symptom_detail.html", _context(request, symptom=symptom))


@role_required(*READER_ROLES)
@require_GET
def error_code_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(ErrorCode.objects.prefetch_related("causes"), pk=pk)
    return TemplateResponse(request, "knowledge/error_code_detail.html", _context(request, entry=entry))


@role_required(*READER_ROLES)
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


@role_required(*READER_ROLES)
@require_GET
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(TechnicalDocument, pk=pk)
    return TemplateResponse(request, "knowledge/document_detail.html", _context(request, document=document))


def _edit(request, *, model, form_class, service, instance_arg, title, detail, pk=None, with_causes=False):
    """Create (pk=None) or update an entry through its service; a refused form keeps what was typed."""
    instance = get_object_or_404(model, pk=pk) if pk else None
    initial = {"family": request.GET.get("famille", "")} if not instance else {}
    if instance and with_causes:
        initial["causes"] = list(instance.causes.all())
    form = form_class(request.POST or None, request.FILES or None, instance=instance, initial=initial)
    if request.method == "POST" and form.is_valid():
        extra = {"causes": list(form.cleaned_data["causes"])} if with_causes else {}
        saved = call_service(
            form, service, actor=request.user, **{instance_arg: instance}, **form.service_fields(), **extra
        )
        if saved:
            messages.success(request, "Enregistré dans la base technique.")
            if detail:
                return redirect(detail, pk=saved.pk)
            return redirect(f"{reverse('knowledge:index')}?famille={saved.family}")
    context = _context(request, form=form, title=title, instance=instance)
    return TemplateResponse(request, "knowledge/edit.html", context, status=400 if form.errors else 200)


@role_required(*EDITOR_ROLES)
@require_http_methods(["GET", "POST"])
def symptom_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    return _edit(
        request,
        model=Symptom,
        form_class=SymptomForm,
        service=services.symptom_save,
        instance_arg="symptom",
        title="symptôme",
        detail="knowledge:symptom_detail",
        pk=pk,
        with_causes=True,
    )


@role_required(*EDITOR_ROLES)
@require_http_methods(["GET", "POST"])
def error_code_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    return _edit(
        request,
        model=ErrorCode,
        form_class=ErrorCodeForm,
        service=services.error_code_save,
        instance_arg="error_code",
        title="code erreur",
        detail="knowledge:error_code_detail",
        pk=pk,
        with_causes=True,
    )


@role_required(*EDITOR_ROLES)
@require_http_methods(["GET", "POST"])
def cause_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    return _edit(
        request,
        model=Cause,
        form_class=CauseForm,
        service=services.cause_save,
        instance_arg="cause",
        title="cause probable",
        detail="knowledge:cause_detail",
        pk=pk,
    )


@role_required(*EDITOR_ROLES)
@require_http_methods(["GET", "POST"])
def check_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    return _edit(
        request,
        model=Check,
        form_class=CheckForm,
        service=services.check_save,
        instance_arg="check",
        title="contrôle",
        detail=None,
        pk=pk,
    )


@role_required(*EDITOR_ROLES)
@require_http_methods(["GET", "POST"])
def document_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    return _edit(
        request,
        model=TechnicalDocument,
        form_class=DocumentForm,
        service=services.document_save,
        instance_arg="document",
        title="document technique",
        detail="knowledge:document_detail",
        pk=pk,
    )


@role_required(*EDITOR_ROLES)
@require_http_methods(["GET", "POST"])
def safety_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    return _edit(
        request,
        model=SafetyWarning,
        form_class=SafetyWarningForm,
        service=services.safety_warning_save,
        instance_arg="warning",
        title="consigne de sécurité",
        detail=None,
        pk=pk,
    )


@role_required(*READER_ROLES)
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
