"""The outbox (and inbox) of customer messages.

A message is written in the caller's transaction (state « en file »); after commit the background worker sends
it (`tasks.deliver_message`), retrying with back-off, and records what really happened: « envoyé » only once the
provider accepted it, « distribué » on the provider's delivery receipt, « échec » with the reason. Inbound
messages (the customer's SMS or e-mail replies) land here too, on the same thread (customer, dossier).
Attachments are stored in the database so that any worker on any server can send them.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atelier.core.models import Site
from atelier.core.scoping import SiteScopedManager
from atelier.messaging.choices import Category, Channel, Direction, Purpose, State


class Message(models.Model):
    """One message to (or from) a customer, with its real state: see the module's docstring and docs/messages.md."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+", verbose_name=_("site"))
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="messages",
        verbose_name=_("client"),
    )
    case = models.ForeignKey(
        "repairs.RepairCase",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="messages",
        verbose_name=_("dossier"),
    )
    direction = models.CharField(_("sens"), max_length=3, choices=Direction.choices, default=Direction.OUT)
    channel = models.CharField(_("canal"), max_length=5, choices=Channel.choices)
    category = models.CharField(
        _("catégorie"), max_length=10, choices=Category.choices, default=Category.SERVICE
    )
    purpose = models.CharField(_("objet"), max_length=20, choices=Purpose.choices, default=Purpose.OTHER)
    # the address used (e-mail or phone in +33… form): kept as sent, the customer file may change later
    recipient = models.CharField(_("destinataire"), max_length=254)
    sender = models.CharField(_("expéditeur"), max_length=254, blank=True)
    subject = models.CharField(_("sujet"), max_length=200, blank=True)
    body = models.TextField(_("texte"))
    state = models.CharField(_("état"), max_length=10, choices=State.choices, default=State.QUEUED)
    reason = models.CharField(
        _("motif"), max_length=500, blank=True, help_text=_("Cause d'un échec ou d'un refus.")
    )
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    # when the worker last took it (« envoi en cours »): the sweeper re-queues a message stuck there too long
    sending_since = models.DateTimeField(_("envoi commencé le"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("prochaine tentative"), null=True, blank=True)
    provider = models.CharField(_("prestataire"), max_length=40, blank=True)
    provider_id = models.CharField(_("référence du prestataire"), max_length=120, blank=True, db_index=True)
    in_reply_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("en réponse à"),
    )
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("créé par"),
    )
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("distribué le"), null=True, blank=True)

    site_path = "site"
    objects = SiteScopedManager()

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["case", "-created_at"], name="message_case_recent"),
            models.Index(fields=["customer", "-created_at"], name="message_customer_recent"),
            models.Index(fields=["state", "next_attempt_at"], name="message_state_due"),
        ]
        constraints = [
            # providers retry their callbacks: a customer's reply is recorded once (services_inbound)
            models.UniqueConstraint(
                fields=["provider", "provider_id"],
                condition=models.Q(direction="in") & ~models.Q(provider_id=""),
                name="message_inbound_once",
            ),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} → {self.recipient} ({self.get_state_display()})"


class MessageAttachment(models.Model):
    """A file sent with a message (a quote's PDF), stored as produced so any worker can send it."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(_("nom du fichier"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100, default="application/pdf")
    content = models.BinaryField(_("contenu"))

    class Meta:
        verbose_name = _("pièce jointe")
        verbose_name_plural = _("pièces jointes")

    def __str__(self):
        return self.filename
