"""Writes of photos: adding (every file checked and re-encoded before anything is written; one transaction;
no file left behind when it fails) and removing (the SAV manager, with a reason, on the dossier's timeline)."""

from __future__ import annotations

import secrets

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.core.access import require_step
from atelier.core.errors import AtelierError
from atelier.photos.choices import PhotoStage
from atelier.photos.images import Rendition, read_photo
from atelier.photos.models import Photo

MAX_FILES = 10  # per sending: a tablet's burst, not an album


def _subject(case, claim):
    """(site, case) of the photo: a claim's photo also belongs to the dossier it is about, when there is one."""
    if claim is not None:
        if case is not None and case.pk not in (claim.earlier_case_id, claim.new_case_id):
            raise AtelierError(_("Cette réclamation ne porte pas sur ce dossier."), field="claim")
        return claim.site, case or claim.new_case or claim.earlier_case
    if case is None:
        raise AtelierError(_("Choisissez le dossier ou la réclamation de la photo."))
    return case.site, case


def _event(case, actor, label: str, note: str = "") -> None:
    from atelier.repairs.choices import EventKind
    from atelier.repairs.models import CaseEvent

    if case is not None:
        CaseEvent.objects.create(case=case, actor=actor, kind=EventKind.NOTE, label=label[:120], note=note)


def _folder(site, now) -> str:
    return f"photos/{site.pk}/{now:%Y/%m}/"


def photo_add(*, actor, files, stage: str, case=None, claim=None, caption: str = "") -> list[Photo]:
    """Keep the photos of `files` (uploaded files) at `stage` of the dossier or the claim.

    Every file is read and re-encoded first: one file refused refuses the whole sending, and nothing is written.
    The files are written to the storage inside the transaction and removed again if it fails."""
    site, case = _subject(case, claim)
    require_step(actor, "photos.add", site=site)
    if stage not in PhotoStage.values:
        raise AtelierError(_("Étape inconnue."), field="stage")
    files = [f for f in files if f is not None]
    if not files:
        raise AtelierError(_("Aucune photo reçue : prenez ou choisissez au moins une photo."), field="images")
    if len(files) > MAX_FILES:
        raise AtelierError(
            _("%(n)d photos envoyées : %(max)d au plus à la fois.") % {"n": len(files), "max": MAX_FILES},
            field="images",
        )
    caption = (caption or "").strip()
    if len(caption) > 200:
        raise AtelierError(_("La légende dépasse 200 caractères."), field="caption")
    renditions = [read_photo(f) for f in files]  # raises before anything is written
    written: list[str] = []
    try:
        with transaction.atomic():
            photos = [_keep(r, site, case, claim, stage, caption, actor, written) for r in renditions]
            _event(
                case,
                actor,
                _("%(n)d photo(s) ajoutée(s) : %(stage)s")
                % {"n": len(photos), "stage": PhotoStage(stage).label},
                _("Réclamation %(n)s") % {"n": claim.number} if claim is not None else "",
            )
    except BaseException:
        for name in written:
            default_storage.delete(name)
        raise
    return photos


def _keep(rendition: Rendition, site, case, claim, stage, caption, actor, written: list[str]) -> Photo:
    now = timezone.now()
    stem = _folder(site, now) + secrets.token_hex(12)  # unguessable and free of the customer's file name
    image = default_storage.save(f"{stem}.jpg", ContentFile(rendition.content))
    written.append(image)
    thumbnail = default_storage.save(f"{stem}-vignette.jpg", ContentFile(rendition.thumbnail))
    written.append(thumbnail)
    photo = Photo(
        site=site,
        case=case,
        claim=claim,
        stage=stage,
        caption=caption,
        image=image,
        thumbnail=thumbnail,
        original_name=rendition.original_name,
        width=rendition.width,
        height=rendition.height,
        size=len(rendition.content),
        sha256=rendition.sha256,
        added_at=now,
        added_by=actor,
    )
    photo.full_clean()
    photo.save()
    return photo


def _drop_files(photo: Photo) -> None:
    """Remove the files once the removal is committed (a rollback keeps them)."""
    names = [name for name in (photo.image.name, photo.thumbnail.name) if name]

    def delete() -> None:
        for name in names:
            default_storage.delete(name)

    transaction.on_commit(delete)


def photo_delete(*, actor, photo: Photo, reason: str) -> Photo:
    """The SAV manager removes a photo: the files go, the row stays (who, when, why, the digest of what was
    removed) and the dossier's timeline says so."""
    require_step(actor, "photos.delete", site=photo.site_id)
    reason = (reason or "").strip()
    if not reason:
        raise AtelierError(_("Indiquez le motif de la suppression."), field="reason")
    if len(reason) > 200:
        raise AtelierError(_("Le motif dépasse 200 caractères."), field="reason")
    with transaction.atomic():
        photo = Photo.objects.select_for_update().get(pk=photo.pk)
        if photo.is_deleted:
            raise AtelierError(_("Cette photo est déjà supprimée."))
        _drop_files(photo)
        photo.image = ""
        photo.thumbnail = ""
        photo.deleted_at = timezone.now()
        photo.deleted_by = actor
        photo.deletion_reason = reason
        photo.save()
        _event(
            photo.case,
            actor,
            _("Photo supprimée : %(stage)s") % {"stage": photo.get_stage_display()},
            reason,
        )
    return photo


def photos_erase_for_customer(customer, *, reason: str) -> int:
    """Anonymisation of a customer (customers.footprint): every kept photo of their dossiers and claims goes,
    its row stays with the reason. Called inside the anonymisation's transaction."""
    from atelier.photos.selectors import customer_photos

    count = 0
    for photo in customer_photos(customer).filter(deleted_at__isnull=True).select_for_update(of=("self",)):
        _drop_files(photo)
        photo.image = ""
        photo.thumbnail = ""
        photo.caption = ""
        photo.original_name = ""
        photo.deleted_at = timezone.now()
        photo.deletion_reason = reason
        photo.save()
        count += 1
    return count
