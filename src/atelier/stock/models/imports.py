"""An uploaded import waiting for its confirmation: kept server-side (never in the session) for an hour.

The preview page carries only the random token; the confirmation finds the upload by token, owner and the
user's sites, so another user (or an expired upload) gets a 404.
"""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atelier.core.models import Site
from atelier.core.scoping import SiteScopedManager
from atelier.stock.choices import ImportKind

PENDING_IMPORT_LIFETIME = datetime.timedelta(hours=1)


def new_token() -> str:
    return secrets.token_urlsafe(24)


class PendingImport(models.Model):
    site_path = "site"
    token = models.CharField(_("jeton"), max_length=64, unique=True, default=new_token, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("déposé par")
    )
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+", verbose_name=_("site"))
    what = models.CharField(_("contenu"), max_length=10, choices=ImportKind.choices)
    name = models.CharField(_("nom du fichier"), max_length=255)
    data = models.BinaryField(_("contenu du fichier"))
    created_at = models.DateTimeField(_("déposé le"), default=timezone.now)

    objects = SiteScopedManager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import en attente")
        verbose_name_plural = _("imports en attente")

    def __str__(self) -> str:
        return f"{self.name} ({self.site.code})"

    @property
    def is_expired(self) -> bool:
        return self.created_at < timezone.now() - PENDING_IMPORT_LIFETIME
