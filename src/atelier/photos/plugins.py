"""What photos add to other screens: a section of the dossier page and of the claim page (each loaded on its
own), and the photos part of a dispute's evidence pack (evidence_part)."""

import base64

from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils.translation import gettext

from atelier.core.access import may
from atelier.photos import selectors
from atelier.photos.forms import PhotoUploadForm, stage_for


def case_section_context(request, case, *, failed_form=None) -> dict:
    """The dossier's photos (and the traces of removed ones) with the upload form."""
    user = request.user
    photos = list(selectors.case_photos(case, with_deleted=True))
    return {
        "template": "photos/_section.html",
        "case": case,
        "photos": [p for p in photos if not p.is_deleted],
        "removed": [p for p in photos if p.is_deleted],
        "can_add": may(user, "photos.add", case.site_id),
        "form": failed_form or PhotoUploadForm(initial={"stage": stage_for(case)}, auto_id="id_photo_%s"),
        "action": reverse("photos:case", args=[case.pk]),
        "anchor": "photos",
    }


def claim_section_context(request, claim, *, failed_form=None) -> dict:
    user = request.user
    photos = list(selectors.claim_photos(claim, with_deleted=True))
    return {
        "template": "photos/_section.html",
        "claim": claim,
        "photos": [p for p in photos if not p.is_deleted],
        "removed": [p for p in photos if p.is_deleted],
        "can_add": may(user, "photos.add", claim.site_id),
        "form": failed_form or PhotoUploadForm(fixed_stage="reclamation", auto_id="id_photo_%s"),
        "action": reverse("photos:claim", args=[claim.pk]),
        "anchor": "photos",
    }


def dossier_section(request, case):
    """Registered in repairs.extensions.detail_sections: the dossier page loads it when it comes into view."""
    if not may(request.user, "photos.view", site=case.site_id):
        return None
    return case_section_context(request, case)


def claim_section(request, claim):
    """Registered in aftersales.extensions.claim_sections: the claim page loads photos:claim on its own."""
    if not may(request.user, "photos.view", site=claim.site_id):
        return None
    return {"key": "photos", "url": reverse("photos:claim", args=[claim.pk])}


def data_uri(name: str) -> str:
    """A stored JPEG as a data: URI, which WeasyPrint reads whatever the storage (disk, S3…)."""
    with default_storage.open(name, "rb") as handle:
        return "data:image/jpeg;base64," + base64.b64encode(handle.read()).decode("ascii")


def evidence_part(case) -> dict:
    """The photos of a dossier for its evidence pack (a PDF): each kept photo as a data URI with its stage,
    caption, author and date, and the trace of every removed photo. To include with
    `{% include part.template with part=part %}`; no request needed (the pack checks its own step)."""
    photos = list(selectors.case_photos(case, with_deleted=True))
    kept = []
    for photo in photos:
        if photo.is_deleted:
            continue
        try:
            src = data_uri(photo.image.name)
        except FileNotFoundError:
            src = ""  # the row says a photo was taken: the pack says its file is missing, it does not hide it
        kept.append({"photo": photo, "src": src})
    return {
        "template": "photos/pdf/_evidence.html",
        "title": gettext("Photos"),
        "case": case,
        "photos": kept,
        "removed": [p for p in photos if p.is_deleted],
    }
