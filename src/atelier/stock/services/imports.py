"""Imports waiting for their confirmation: the uploaded file is kept server-side (PendingImport), never in the
session; the preview carries only its random token, and only its owner can confirm it within the hour."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.core.access import require_step
from atelier.core.errors import PermissionRefused
from atelier.core.locking import lock
from atelier.core.models import Site, User
from atelier.core.permissions import require_site
from atelier.stock import importers
from atelier.stock.models import PENDING_IMPORT_LIFETIME, PendingImport


def pending_imports_purge() -> int:
    """Forget the uploads older than an hour."""
    deleted, _by_model = PendingImport.objects.filter(
        created_at__lt=timezone.now() - PENDING_IMPORT_LIFETIME
    ).delete()
    return deleted


@transaction.atomic
def pending_import_store(*, actor: User, site: Site, what: str, name: str, data: bytes) -> PendingImport:
    """Keep an uploaded file until its owner confirms the import (or for an hour)."""
    require_step(actor, "stock.manage", site=site)
    require_site(actor, site)
    pending_imports_purge()
    return PendingImport.objects.create(owner=actor, site=site, what=what, name=name[:255], data=data)


def pending_import_parse(pending: PendingImport) -> importers.Parsed:
    return importers.parse(pending.what, pending.name, bytes(pending.data), site=pending.site)


@transaction.atomic
def pending_import_apply(*, pending: PendingImport, actor: User, skip_bad: bool = False) -> int:
    """Read the kept file again (the catalogue may have changed since the preview) and write it."""
    require_step(actor, "stock.manage", site=pending.site)
    require_site(actor, pending.site)
    fresh = lock(pending)
    if fresh.owner_id != actor.pk:
        raise PermissionRefused(_("Seul l'auteur du dépôt peut confirmer cet import."))
    done = importers.apply(pending_import_parse(fresh), actor=actor, site=fresh.site, skip_bad=skip_bad)
    fresh.delete()
    return done
