"""The repair dossier (RepairCase) and its timeline."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atelier.core.models import Site, User
from atelier.core.scoping import SiteScopedManager
from atelier.customers.models import Appliance, Customer
from atelier.repairs.choices import OPEN_STATUSES, CaseStatus, Channel, EventKind, WorkLocation

# The open dossiers (a few thousand, while the closed ones pile up for years), as `status IN (…open states)`: the
# indexes starting with (site, status) serve it by one seek per state. (A partial index « NOT closed » is of no
# use on SQLite: Django binds the states as parameters and SQLite then cannot prove the index's condition.)
OPEN_CASES = models.Q(status__in=OPEN_STATUSES)


class RepairCase(models.Model):
    """One dossier SAV: one appliance problem, from intake at the counter to the closed file.

    Its status changes only through the services of repairs.services (one per transition, see workflow).
    """

    site = models.ForeignKey(
        Site,
        on_delete=models.PROTECT,
        related_name="cases",
        db_index=False,  # the index `repaircase_site_received` starts with it
        verbose_name=_("site"),
    )
    number = models.CharField(_("n° de dossier"), max_length=30, editable=False)
    # no index of its own: repaircase_customer_site (customer, site) serves every lookup by customer, and with
    # two such indexes PostgreSQL picked either on a few rows (the count by name then read the table for sites)
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="cases", db_index=False, verbose_name=_("client")
    )
    appliance = models.ForeignKey(
        Appliance, on_delete=models.PROTECT, related_name="cases", verbose_name=_("appareil")
    )
    status = models.CharField(
        _("état"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.RECU
    )  # indexed by `repaircase_status_received`, which starts with it
    channel = models.CharField(_("canal"), max_length=10, choices=Channel.choices, default=Channel.COMPTOIR)
    location = models.CharField(
        _("lieu d'intervention"), max_length=10, choices=WorkLocation.choices, default=WorkLocation.ATELIER
    )
    customer_words = models.TextField(
        _("paroles du client"), help_text=_("La panne telle que le client la décrit, mot pour mot.")
    )
    accessories = models.CharField(
        _("accessoires laissés"),
        max_length=255,
        blank=True,
        help_text=_("ex. télécommande, cordon secteur, tuyau de vidange"),
    )
    visible_condition = models.CharField(
        _("état visuel"),
        max_length=255,
        blank=True,
        help_text=_("Rayures, chocs, pièces manquantes constatés au dépôt."),
    )
    received_at = models.DateTimeField(_("reçu le"), default=timezone.now)
    received_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="cases_received", verbose_name=_("pris en charge par")
    )
    technician = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="cases_assigned",
        null=True,
        blank=True,
        db_index=False,  # the index `repaircase_technician` starts with it
        verbose_name=_("technicien"),
    )
    planned_for = models.DateTimeField(_("intervention prévue le"), null=True, blank=True)
    status_changed_at = models.DateTimeField(_("état depuis le"), default=timezone.now)
    closed_at = models.DateTimeField(_("clôturé le"), null=True, blank=True)

    site_path = "site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("dossier SAV")
        verbose_name_plural = _("dossiers SAV")
        constraints = [
            models.UniqueConstraint(fields=["site", "number"], name="repaircase_number_unique_per_site"),
            models.CheckConstraint(
                condition=~models.Q(customer_words=""), name="repaircase_has_customer_words"
            ),
        ]
        # The lists walk one of these in their order and stop at the page (issue 16): newest first per site and
        # across sites (a chain manager), by state, by technician; the closures of a period by state.
        indexes = [
            models.Index(fields=["site", "-received_at", "-id"], name="repaircase_site_received"),
            models.Index(fields=["-received_at", "-id"], name="repaircase_received"),
            models.Index(fields=["site", "status", "-received_at", "-id"], name="repaircase_site_status"),
            models.Index(fields=["status", "-received_at", "-id"], name="repaircase_status_received"),
            models.Index(fields=["technician", "-received_at", "-id"], name="repaircase_technician"),
            models.Index(fields=["site", "status", "closed_at"], name="repaircase_site_closed"),
            # the week's visits (home, workshop week, reminders): a full scan of every dossier without them
            models.Index(fields=["site", "planned_for"], name="repaircase_site_planned"),
            models.Index(fields=["planned_for"], name="repaircase_planned"),
            # « à domicile » / « en atelier » (?location=): its capped count read 100,000 dossiers at 1,000,000
            models.Index(fields=["site", "location", "-received_at", "-id"], name="repaircase_site_location"),
            models.Index(fields=["location", "-received_at", "-id"], name="repaircase_location"),
            # a customer's dossiers with their site, from the index alone: the search by name's capped count
            models.Index(fields=["customer", "site"], name="repaircase_customer_site"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_closed(self) -> bool:
        """Closed, cancelled or abandoned: the dossier no longer moves."""
        return self.status in (CaseStatus.CLOTURE, CaseStatus.ANNULE, CaseStatus.ABANDONNE)


class CaseEvent(models.Model):
    """One line of a dossier's timeline: who did what, when; written in the same transaction as the change."""

    case = models.ForeignKey(
        RepairCase, on_delete=models.CASCADE, related_name="events", verbose_name=_("dossier")
    )
    at = models.DateTimeField(_("date"), default=timezone.now)
    # empty when the customer took the step alone, online (workflow.Transition.customer_may)
    actor = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("par")
    )
    kind = models.CharField(_("type"), max_length=12, choices=EventKind.choices)
    from_status = models.CharField(_("de l'état"), max_length=20, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(_("vers l'état"), max_length=20, choices=CaseStatus.choices, blank=True)
    label = models.CharField(_("action"), max_length=120)
    note = models.TextField(_("commentaire"), blank=True)

    site_path = "case__site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("événement du dossier")
        verbose_name_plural = _("historique du dossier")

    def __str__(self) -> str:
        return f"{self.case} · {self.label}"
