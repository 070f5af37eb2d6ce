"""Giving the appliance back: the signed hand-back, incidents for the manufacturer, notifications sent to
the customer and their tracking links."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atelier.billing.choices import IncidentKind, NotificationChannel, NotificationPurpose
from atelier.billing.models.base import Immutable
from atelier.core.models import User
from atelier.core.scoping import SiteScopedManager
from atelier.repairs.models import RepairCase


class HandBack(Immutable):
    """The appliance given back to its owner, who signs for it. Written once: the signature is evidence, so
    the row is never changed nor deleted; what happens afterwards (the advice sheet e-mailed…) is a row of its
    own (a Notification)."""

    case = models.OneToOneField(
        RepairCase, on_delete=models.PROTECT, related_name="hand_back_record", verbose_name=_("dossier")
    )
    signer_name = models.CharField(_("nom du signataire"), max_length=150)
    signature = models.TextField(_("signature (image)"))
    at = models.DateTimeField(_("rendu le"))
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("par"))
    advice_sheet = models.ForeignKey(
        "AdviceSheet",
        on_delete=models.PROTECT,  # SET_NULL would rewrite a signed record
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("fiche"),
    )

    immutable_message = _(
        "La remise signée de l'appareil est définitive : elle ne peut être ni modifiée ni supprimée."
    )

    site_path = "case__site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("remise de l'appareil")
        verbose_name_plural = _("remises d'appareils")

    def __str__(self) -> str:
        return f"{self.case} · {self.signer_name}"

    @property
    def advice_emailed_at(self):
        """When the advice sheet last reached the customer's mail server (its outbox message « envoyé » or
        « distribué »), or None: a sheet only queued is not « envoyée »."""
        from atelier.messaging.choices import Purpose, State

        sent = (
            self.case.messages.filter(purpose=Purpose.ADVICE, state__in=[State.SENT, State.DELIVERED])
            .order_by("-sent_at")
            .first()
        )
        return sent.sent_at if sent is not None else None


class Incident(models.Model):
    """Feedback for the manufacturer found while repairing (wrong assembly, unsuitable part…)."""

    case = models.ForeignKey(
        RepairCase, on_delete=models.PROTECT, related_name="incidents", verbose_name=_("dossier")
    )
    brand = models.CharField(_("marque"), max_length=80, db_index=True)
    kind = models.CharField(_("type"), max_length=16, choices=IncidentKind.choices)
    description = models.TextField(_("constat"))
    part_reference = models.CharField(_("référence de pièce"), max_length=60, blank=True)
    at = models.DateTimeField(_("le"), default=timezone.now)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("par"))

    site_path = "case__site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["brand", "-at"]
        verbose_name = _("remontée constructeur")
        verbose_name_plural = _("remontées constructeur")

    def __str__(self) -> str:
        return f"{self.brand} · {self.get_kind_display()}"


class Notification(models.Model):
    case = models.ForeignKey(
        RepairCase, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("dossier")
    )
    channel = models.CharField(_("canal"), max_length=5, choices=NotificationChannel.choices)
    purpose = models.CharField(_("objet"), max_length=8, choices=NotificationPurpose.choices, blank=True)
    recipient = models.CharField(_("destinataire"), max_length=254)
    body = models.TextField(_("message"))
    at = models.DateTimeField(_("envoyé le"), default=timezone.now)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("par"))

    site_path = "case__site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["-at"]
        verbose_name = _("avis au client")
        verbose_name_plural = _("avis aux clients")

    def __str__(self) -> str:
        return f"{self.get_channel_display()} · {self.recipient}"


class TrackingLink(models.Model):
    """An unguessable link to the public page of one dossier, valid until a date."""

    case = models.ForeignKey(
        RepairCase, on_delete=models.CASCADE, related_name="tracking_links", verbose_name=_("dossier")
    )
    token = models.CharField(_("jeton"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    expires_at = models.DateTimeField(_("expire le"))

    site_path = "case__site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("lien de suivi")
        verbose_name_plural = _("liens de suivi")

    def __str__(self) -> str:
        return f"{self.case} · {self.expires_at:%d/%m/%Y}"

    def is_live(self, at=None) -> bool:
        """Still opens the page: not expired, not replaced by a newer link (its expiry is then brought back)."""
        return self.expires_at > (at or timezone.now())
