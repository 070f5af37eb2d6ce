"""Disputes (litiges): a customer's disagreement, opened from a complaint, a claim, a contested invoice or a letter,
instructed (cause, person in charge, reply deadline) through to its outcome; its timeline and the letters sent.
The per-site settings (reply deadline, mediation delay) are data; the mediator himself is aftersales'
`AftersalesSettings` (one place for him)."""

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atelier.core.models import Site, User
from atelier.core.scoping import SiteScopedManager
from atelier.customers.models import Customer
from atelier.disputes.choices import (
    AWAITING_REPLY,
    UNRESOLVED,
    WRITTEN_CHANNELS,
    DisputeCause,
    DisputeChannel,
    DisputeOutcome,
    DisputeSource,
    DisputeState,
    EventKind,
    LetterKind,
)
from atelier.repairs.models import RepairCase

MONEY = {"max_digits": 10, "decimal_places": 2}


class DisputeSettings(models.Model):
    """A site's dispute settings: how many days the shop gives itself to answer, and after how many days an
    unresolved written complaint calls for the mediator's referral (L616-2). A site without a row uses the
    defaults below (an unsaved instance)."""

    site = models.OneToOneField(
        Site, on_delete=models.CASCADE, related_name="dispute_settings", verbose_name=_("site")
    )
    reply_days = models.PositiveSmallIntegerField(
        _("délai de réponse (jours)"),
        default=15,
        help_text=_("Jours, à compter de la réception, pour répondre au client."),
    )
    mediation_after_days = models.PositiveSmallIntegerField(
        _("proposer le médiateur après (jours)"),
        default=60,
        help_text=_("Jours après une réclamation écrite restée sans solution (art. L616-2)."),
    )

    site_path = "site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["site"]
        verbose_name = _("réglages des litiges")
        verbose_name_plural = _("réglages des litiges")
        constraints = [
            models.CheckConstraint(condition=Q(reply_days__gt=0), name="disputes_settings_reply_positive"),
            models.CheckConstraint(
                condition=Q(mediation_after_days__gt=0), name="disputes_settings_mediation_positive"
            ),
        ]

    def __str__(self) -> str:
        return str(self.site)


class Dispute(models.Model):
    """A dispute with a customer, on their file; at most one source (complaint, claim, invoice) besides a letter."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="disputes", verbose_name=_("site"))
    number = models.CharField(_("n° de litige"), max_length=40)
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="disputes", verbose_name=_("client")
    )
    case = models.ForeignKey(
        RepairCase,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disputes",
        verbose_name=_("dossier"),
    )
    source = models.CharField(_("origine"), max_length=15, choices=DisputeSource.choices)
    complaint = models.ForeignKey(
        "reception.Complaint",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disputes",
        verbose_name=_("mécontentement"),
    )
    claim = models.ForeignKey(
        "aftersales.Claim",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disputes",
        verbose_name=_("réclamation"),
    )
    invoice = models.ForeignKey(
        "billing.Invoice",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disputes",
        verbose_name=_("facture"),
    )
    channel = models.CharField(_("reçu par"), max_length=10, choices=DisputeChannel.choices)
    received_on = models.DateField(_("reçu le"))
    summary = models.TextField(_("ce que conteste le client"))
    cause = models.CharField(_("cause"), max_length=15, choices=DisputeCause.choices, blank=True)
    cause_detail = models.TextField(_("cause : précisions"), blank=True)
    assigned_to = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("suivi par"),
    )
    reply_due = models.DateField(_("réponse due le"))
    state = models.CharField(
        _("état"), max_length=15, choices=DisputeState.choices, default=DisputeState.OUVERT
    )
    outcome = models.CharField(_("issue"), max_length=15, choices=DisputeOutcome.choices, blank=True)
    outcome_reason = models.TextField(_("motif de l'issue"), blank=True)
    amount = models.DecimalField(_("montant TTC (€)"), **MONEY, null=True, blank=True)
    credit_note = models.ForeignKey(
        "billing.Invoice",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("avoir"),
    )
    mediation_proposed_at = models.DateTimeField(_("médiateur proposé le"), null=True, blank=True)
    opened_at = models.DateTimeField(_("ouvert le"), default=timezone.now)
    opened_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("ouvert par")
    )
    decided_at = models.DateTimeField(_("issue le"), null=True, blank=True)
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("issue par")
    )
    closed_at = models.DateTimeField(_("clos le"), null=True, blank=True)

    site_path = "site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["-opened_at", "-pk"]
        verbose_name = _("litige")
        verbose_name_plural = _("litiges")
        constraints = [
            models.UniqueConstraint(fields=["site", "number"], name="disputes_dispute_number_unique"),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gt=0), name="disputes_dispute_amount_positive"
            ),
        ]
        indexes = [models.Index(fields=["site", "state", "reply_due"], name="disputes_site_state_due")]

    def __str__(self) -> str:
        return self.number

    @property
    def is_written(self) -> bool:
        return self.channel in WRITTEN_CHANNELS

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        """The customer still waits for the first answer and the reply deadline has passed."""
        return self.state in AWAITING_REPLY and (today or timezone.localdate()) > self.reply_due

    def mediation_due_on(self, settings: DisputeSettings) -> datetime.date:
        return self.received_on + datetime.timedelta(days=settings.mediation_after_days)

    def mediation_due(self, settings: DisputeSettings, today: datetime.date | None = None) -> bool:
        """A written complaint still unresolved past the site's delay, the mediator not proposed yet (L616-2)."""
        return (
            self.is_written
            and self.state in UNRESOLVED
            and self.state != DisputeState.MEDIATION
            and self.mediation_proposed_at is None
            and (today or timezone.localdate()) >= self.mediation_due_on(settings)
        )


class DisputeEvent(models.Model):
    """One line of a dispute's timeline (who, when, what), written in the same transaction as the change."""

    dispute = models.ForeignKey(
        Dispute, on_delete=models.CASCADE, related_name="events", verbose_name=_("litige")
    )
    at = models.DateTimeField(_("date"), default=timezone.now)
    actor = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("par")
    )
    kind = models.CharField(_("type"), max_length=12, choices=EventKind.choices)
    label = models.CharField(_("action"), max_length=200)
    note = models.TextField(_("commentaire"), blank=True)

    site_path = "dispute__site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("événement du litige")
        verbose_name_plural = _("historique du litige")

    def __str__(self) -> str:
        return f"{self.dispute} · {self.label}"


class DisputeLetter(models.Model):
    """A letter sent to the customer (reply, proposal, mediator referral): the PDF kept as sent, and its e-mail."""

    dispute = models.ForeignKey(
        Dispute, on_delete=models.CASCADE, related_name="letters", verbose_name=_("litige")
    )
    kind = models.CharField(_("type"), max_length=12, choices=LetterKind.choices)
    text = models.TextField(_("texte"))
    pdf = models.BinaryField(_("lettre (PDF)"))
    sent_at = models.DateTimeField(_("envoyée le"), default=timezone.now)
    sent_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("par"))
    message = models.ForeignKey(
        "messaging.Message",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("e-mail"),
    )

    site_path = "dispute__site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["sent_at", "pk"]
        verbose_name = _("lettre du litige")
        verbose_name_plural = _("lettres du litige")

    def __str__(self) -> str:
        return f"{self.dispute} · {self.get_kind_display()}"
