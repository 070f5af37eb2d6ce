"""The reception of customers: counters (guichets), priority rules, tickets of the queue (walk-ins and calls),
their log, the settings of a site's reception, and complaints (mécontentements)."""

import datetime

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atelier.core.models import Site, User
from atelier.core.scoping import SiteScopedManager
from atelier.customers.models import Customer
from atelier.reception.choices import (
    Channel,
    ComplaintCause,
    Destination,
    Reason,
    TicketEventKind,
    TicketStatus,
)
from atelier.repairs.models import RepairCase

# The starvation bound (docs/reception.md): a priority moves a ticket ahead by at most this many minutes, so no
# ticket is ever called after a ticket that arrived more than MAX_BOOST_MINUTES after it.
MAX_BOOST_MINUTES = 30


class Counter(models.Model):
    """A counter (guichet) or phone post of a site, where staff call the next ticket."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="counters", verbose_name=_("site"))
    name = models.CharField(_("nom affiché"), max_length=30, help_text=_("ex. Guichet 2"))
    is_active = models.BooleanField(_("ouvert"), default=True)

    site_path = "site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["site", "name"]
        verbose_name = _("guichet")
        verbose_name_plural = _("guichets")
        constraints = [models.UniqueConstraint(fields=["site", "name"], name="reception_counter_unique_name")]

    def __str__(self) -> str:
        return self.name


class PriorityRule(models.Model):
    """A reason to serve someone sooner (disability, pregnancy, appointment due now): data, edited in admin.

    The ticket is ranked as if it had arrived `boost_minutes` earlier; the cap keeps the starvation bound.
    """

    code = models.SlugField(_("code"), max_length=30, unique=True)
    label = models.CharField(_("libellé"), max_length=120)
    boost_minutes = models.PositiveSmallIntegerField(
        _("avance (minutes)"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_BOOST_MINUTES)],
        help_text=_("Le ticket passe devant ceux arrivés moins de tant de minutes avant lui (30 au plus)."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("ordre d'affichage"), default=0)

    class Meta:
        ordering = ["position", "label"]
        verbose_name = _("règle de priorité")
        verbose_name_plural = _("règles de priorité")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(boost_minutes__gte=1, boost_minutes__lte=MAX_BOOST_MINUTES),
                name="reception_priority_boost_bounded",
            )
        ]

    def __str__(self) -> str:
        return self.label


class ReceptionSettings(models.Model):
    """Targets and defaults of one site's reception (set by the manager in admin)."""

    site = models.OneToOneField(
        Site, on_delete=models.CASCADE, related_name="reception_settings", verbose_name=_("site")
    )
    wait_target_minutes = models.PositiveSmallIntegerField(_("attente visée (minutes)"), default=10)
    default_service_minutes = models.PositiveSmallIntegerField(
        _("durée de service par défaut (minutes)"),
        default=6,
        validators=[MinValueValidator(1)],
        help_text=_("Utilisée tant qu'un motif n'a pas assez de mesures."),
    )
    measure_days = models.PositiveSmallIntegerField(
        _("jours de mesure des durées"), default=14, validators=[MinValueValidator(1)]
    )

    site_path = "site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["site"]
        verbose_name = _("réglages de l'accueil")
        verbose_name_plural = _("réglages de l'accueil")

    def __str__(self) -> str:
        return str(self.site)


class Ticket(models.Model):
    """One customer in the queue of a site: a walk-in at the counter or a phone call, with its reason."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("site"))
    day = models.DateField(_("jour"))
    number = models.PositiveIntegerField(_("numéro"))
    channel = models.CharField(_("canal"), max_length=10, choices=Channel.choices, default=Channel.COMPTOIR)
    reason = models.CharField(_("motif"), max_length=15, choices=Reason.choices)
    caller_number = models.CharField(_("numéro de l'appelant"), max_length=20, blank=True)
    priority = models.ForeignKey(
        PriorityRule,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("priorité"),
    )
    arrived_at = models.DateTimeField(_("arrivé à"))
    rank_at = models.DateTimeField(_("rang"), help_text=_("Heure d'arrivée moins l'avance de la priorité."))
    status = models.CharField(
        _("état"), max_length=12, choices=TicketStatus.choices, default=TicketStatus.EN_ATTENTE
    )
    counter = models.ForeignKey(
        Counter, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("guichet")
    )
    called_at = models.DateTimeField(_("appelé à"), null=True, blank=True)
    called_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("appelé par")
    )
    override_reason = models.CharField(_("raison de l'appel hors tour"), max_length=200, blank=True)
    finished_at = models.DateTimeField(_("terminé à"), null=True, blank=True)
    wait_seconds = models.PositiveIntegerField(_("attente (s)"), null=True, blank=True, editable=False)
    service_seconds = models.PositiveIntegerField(
        _("durée de service (s)"), null=True, blank=True, editable=False
    )
    destination = models.CharField(_("redirigé vers"), max_length=15, choices=Destination.choices, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    customer = models.ForeignKey(
        Customer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("client"),
    )
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("pris par")
    )

    site_path = "site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["-day", "-number"]
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        constraints = [
            models.UniqueConstraint(fields=["site", "day", "number"], name="reception_ticket_unique_number"),
            models.CheckConstraint(
                condition=models.Q(status=TicketStatus.EN_ATTENTE) | models.Q(called_at__isnull=False),
                name="reception_ticket_called_has_time",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=TicketStatus.REDIRIGE) | ~models.Q(destination=""),
                name="reception_ticket_redirect_has_destination",
            ),
        ]
        indexes = [
            # "call next": the first waiting ticket of a site by rank, read straight from this small index.
            models.Index(
                fields=["site", "rank_at", "id"],
                name="reception_ticket_waiting",
                condition=models.Q(status=TicketStatus.EN_ATTENTE),
            ),
            models.Index(fields=["site", "day", "status"], name="reception_ticket_day"),
            models.Index(fields=["site", "called_at"], name="reception_ticket_called"),
            models.Index(fields=["site", "reason", "finished_at"], name="reception_ticket_served"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def code(self) -> str:
        """What the customer reads on the ticket and the display (T for a phone call)."""
        prefix = "T" if self.channel == Channel.TELEPHONE else ""
        return f"{prefix}{self.number:03d}"

    @property
    def is_open(self) -> bool:
        return self.status in (TicketStatus.EN_ATTENTE, TicketStatus.APPELE)

    @property
    def waited(self) -> datetime.timedelta | None:
        return self.called_at - self.arrived_at if self.called_at else None


class TicketEvent(models.Model):
    """What happened to a ticket, by whom (calls out of turn keep their reason here)."""

    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="events", verbose_name=_("ticket")
    )
    at = models.DateTimeField(_("le"), default=timezone.now)
    actor = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("par")
    )
    kind = models.CharField(_("événement"), max_length=10, choices=TicketEventKind.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)

    site_path = "ticket__site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("événement de ticket")
        verbose_name_plural = _("événements de ticket")

    def __str__(self) -> str:
        return f"{self.ticket} {self.get_kind_display()}"


class Complaint(models.Model):
    """A complaint or tension (mécontentement) raised from a ticket, a customer or a dossier."""

    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="complaints", verbose_name=_("site")
    )
    ticket = models.ForeignKey(
        Ticket,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("ticket"),
    )
    customer = models.ForeignKey(
        Customer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("client"),
    )
    case = models.ForeignKey(
        RepairCase,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("dossier"),
    )
    said = models.TextField(_("ce qui a été dit"))
    cause = models.CharField(_("cause"), max_length=10, choices=ComplaintCause.choices)
    action_taken = models.TextField(_("ce qui a été fait"), blank=True)
    manager_called = models.BooleanField(_("responsable SAV appelé"), default=False)
    created_at = models.DateTimeField(_("noté le"), default=timezone.now)
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("noté par")
    )
    handled_at = models.DateTimeField(_("traité le"), null=True, blank=True)
    handled_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("traité par")
    )
    handling_note = models.TextField(_("suite donnée"), blank=True)

    site_path = "site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("mécontentement")
        verbose_name_plural = _("mécontentements")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ticket__isnull=False)
                | models.Q(customer__isnull=False)
                | models.Q(case__isnull=False),
                name="reception_complaint_has_subject",
            )
        ]
        indexes = [models.Index(fields=["site", "handled_at"], name="reception_complaint_open")]

    def __str__(self) -> str:
        return f"{self.get_cause_display()} ({self.created_at:%d/%m/%Y})"

    @property
    def is_handled(self) -> bool:
        return self.handled_at is not None
