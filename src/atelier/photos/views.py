"""Photo screens: the section of a dossier and of a claim (fragment loaded by their page, or a page of its
own) with the tablet upload, one photo's page with its removal, and the files themselves, served only to a
user who may see photos on the photo's site (there is no public media URL)."""

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from atelier.aftersales.models import Claim
from atelier.core.access import may, step_required
from atelier.core.actions import Action, run_action
from atelier.core.scoping import visible_or_404
from atelier.photos import selectors, services
from atelier.photos.forms import PhotoDeleteForm, PhotoUploadForm
from atelier.photos.plugins import case_section_context, claim_section_context
from atelier.repairs.models import RepairCase


def _added(photos) -> str:
    return _("%(n)d photo(s) ajoutée(s).") % {"n": len(photos)}


CASE_UPLOAD = {
    "add": Action(PhotoUploadForm, services.photo_add, _added, target="case", form_name="photo"),
}
CLAIM_UPLOAD = {
    "add": Action(
        PhotoUploadForm,
        services.photo_add,
        _added,
        target="claim",
        form_name="photo",
        form_kwargs=lambda request, claim: {"fixed_stage": "reclamation"},
    ),
}


def _section_response(request, section, *, title, back, status=200):
    template = section["template"] if request.htmx else "photos/section_page.html"
    return render(
        request, template, {"section": section, "title": title, "back": back, "nav": "repairs"}, status=status
    )


@step_required("photos.view")
def case_photos(request: HttpRequest, pk: int) -> HttpResponse:
    """The photos of a dossier (GET: the section the dossier page loads) and their upload (POST)."""
    case = visible_or_404(RepairCase.objects.select_related("site"), request.user, pk=pk)

    def show_again(request, case, *, failed=None, failed_form=None, status=200):
        section = case_section_context(request, case, failed_form=failed_form)
        title = _("Photos du dossier %(n)s") % {"n": case.number}
        return _section_response(
            request, section, title=title, back=reverse("repairs:detail", args=[case.pk]), status=status
        )

    if request.method == "POST":
        return run_action(
            request,
            case,
            "add",
            CASE_UPLOAD,
            show_again=show_again,
            done=lambda case: reverse("repairs:detail", args=[case.pk]) + "#photos",
        )
    return show_again(request, case)


@step_required("photos.view")
def claim_photos(request: HttpRequest, pk: int) -> HttpResponse:
    """The photos of a claim (GET: the section the claim page loads) and their upload (POST)."""
    claim = visible_or_404(
        Claim.objects.select_related("site", "earlier_case", "new_case"), request.user, pk=pk
    )

    def show_again(request, claim, *, failed=None, failed_form=None, status=200):
        section = claim_section_context(request, claim, failed_form=failed_form)
        title = _("Photos de la réclamation %(n)s") % {"n": claim.number}
        return _section_response(
            request, section, title=title, back=reverse("aftersales:claim", args=[claim.pk]), status=status
        )

    if request.method == "POST":
        return run_action(
            request,
            claim,
            "add",
            CLAIM_UPLOAD,
            show_again=show_again,
            done=lambda claim: reverse("aftersales:claim", args=[claim.pk]) + "#photos",
        )
    return show_again(request, claim)


def _back(photo) -> str:
    if photo.claim_id and not photo.case_id:
        return reverse("aftersales:claim", args=[photo.claim_id])
    return reverse("repairs:detail", args=[photo.case_id]) + "#photos"


DELETE = {
    "delete": Action(
        PhotoDeleteForm,
        services.photo_delete,
        _("Photo supprimée ; la trace reste sur le dossier."),
        target="photo",
        next=lambda request, photo, result: _back(result),
        plain_ids=True,
    )
}


@step_required("photos.view")
def photo_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One photo, large, with who took it when; the SAV manager removes it here (with a reason)."""
    photo = selectors.photo_get(user=request.user, pk=pk)

    def page(request, photo, *, failed=None, failed_form=None, status=200):
        return render(
            request,
            "photos/photo_detail.html",
            {
                "nav": "repairs",
                "photo": photo,
                "back": _back(photo),
                "can_delete": may(request.user, "photos.delete", photo.site_id) and not photo.is_deleted,
                "form": failed_form or PhotoDeleteForm(),
            },
            status=status,
        )

    if request.method == "POST":
        return run_action(request, photo, "delete", DELETE, show_again=page, done=lambda photo: _back(photo))
    return page(request, photo)


def _serve(request, pk: int, field: str) -> FileResponse:
    photo = selectors.photo_get(user=request.user, pk=pk)
    name = getattr(photo, field).name
    if photo.is_deleted or not name:
        raise Http404
    try:
        handle = default_storage.open(name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type="image/jpeg")
    response["Content-Disposition"] = f'inline; filename="photo-{photo.pk}.jpg"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"  # never in a shared cache
    return response


@step_required("photos.view")
@require_GET
def photo_image(request: HttpRequest, pk: int) -> FileResponse:
    return _serve(request, pk, "image")


@step_required("photos.view")
@require_GET
def photo_thumbnail(request: HttpRequest, pk: int) -> FileResponse:
    return _serve(request, pk, "thumbnail")
