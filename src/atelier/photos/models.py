"""Photos of a dossier or of a claim: the kept copy (JPEG without metadata) and its thumbnail in the default
storage, never under a public URL; a removed photo keeps its row as the trace of who removed it and why."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atelier.core.models import Site, User
from atelier.core.scoping import SiteScopedManager
from atelier.photos.choices import PhotoStage


class Photo(models.Model):
    """One photo taken at a stage of a dossier (réception, diagnostic, réparation) or of a claim or a dispute."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+", verbose_name=_("site"))
    case = models.ForeignKey(
        "repairs.RepairCase",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="photos",
        verbose_name=_("dossier"),
    )
    claim = models.ForeignKey(
        "aftersales.Claim",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="photos",
        verbose_name=_("réclamation"),
    )
    stage = models.CharField(_("étape"), max_length=12, choices=PhotoStage.choices)
    caption = models.CharField(_("légende"), max_length=200, blank=True)
    image = models.FileField(_("photo"), max_length=200, blank=True)
    thumbnail = models.FileField(_("vignette"), max_length=200, blank=True)
    original_name = models.CharField(_("nom du fichier envoyé"), max_length=120, blank=True)
    width = models.PositiveIntegerField(_("largeur (px)"), default=0)
    height = models.PositiveIntegerField(_("hauteur (px)"), default=0)
    size = models.PositiveIntegerField(_("taille (octets)"), default=0)
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64)
    added_at = models.DateTimeField(_("ajoutée le"), default=timezone.now)
    added_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("ajoutée par")
    )
    deleted_at = models.DateTimeField(_("supprimée le"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("supprimée par"),
    )
    deletion_reason = models.CharField(_("motif de la suppression"), max_length=200, blank=True)

    site_path = "site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["added_at", "pk"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        constraints = [
            models.CheckConstraint(
                condition=Q(case__isnull=False) | Q(claim__isnull=False), name="photos_photo_has_subject"
            ),
            models.CheckConstraint(
                condition=Q(deleted_at__isnull=True) | ~Q(deletion_reason=""),
                name="photos_photo_deletion_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(deleted_at__isnull=False) | ~Q(image=""), name="photos_photo_kept_has_file"
            ),
        ]
        indexes = [
            models.Index(fields=["case", "added_at"], name="photos_photo_case"),
            models.Index(fields=["claim", "added_at"], name="photos_photo_claim"),
        ]

    def __str__(self) -> str:
        return self.caption or self.original_name or f"photo {self.pk}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None
