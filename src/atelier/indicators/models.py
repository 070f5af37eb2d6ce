"""The daily figures behind the indicators: one row per day, site, technician, family, brand and place of work,
written by the nightly job (indicators.aggregate.refresh_days) and read summed over a period.

Counters only (sums of integers and of amounts) plus three small distributions in JSON (turnaround in days,
reasons of unrepairable verdicts, causes of returns), so that any period and any filter is a SUM over rows of
the index (site, day): a year of a site is a few thousand rows, whatever the number of dossiers."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from atelier.core.models import Site, User
from atelier.core.scoping import SiteScopedManager
from atelier.customers.choices import ProductFamily
from atelier.repairs.choices import WorkLocation

MONEY = {"max_digits": 14, "decimal_places": 2, "default": Decimal("0.00")}

# the integer counters, in the order of the table (summed by aggregate.read_totals)
COUNTERS = (
    "received",
    "repeats",
    "finished",
    "repaired",
    "unrepairable",
    "refused",
    "no_fault",
    "ftf_eligible",
    "ftf_returned",
    "quotes_accepted",
    "quotes_refused",
    "promised",
    "promised_kept",
    "parts",
    "used_parts",
    "parts_waits",
    "parts_wait_hours",
    "claims",
    "disputes",
)
AMOUNTS = ("revenue_ht", "cost_ht")
DISTRIBUTIONS = ("turnaround", "reasons", "causes")


class FigureColumns(models.Model):
    """The counters, amounts and distributions shared by the day rows and their roll-up."""

    received = models.PositiveIntegerField(_("dossiers reçus"), default=0)
    repeats = models.PositiveIntegerField(_("dont retours sous garantie de réparation"), default=0)
    finished = models.PositiveIntegerField(_("dossiers rendus"), default=0)
    repaired = models.PositiveIntegerField(_("réparés"), default=0)
    unrepairable = models.PositiveIntegerField(_("non réparables"), default=0)
    refused = models.PositiveIntegerField(_("devis refusés"), default=0)
    no_fault = models.PositiveIntegerField(_("panne non constatée"), default=0)
    ftf_eligible = models.PositiveIntegerField(
        _("réparés, comptés pour la réparation du premier coup"), default=0
    )
    ftf_returned = models.PositiveIntegerField(_("réparés revenus sous garantie"), default=0)
    quotes_accepted = models.PositiveIntegerField(_("devis acceptés"), default=0)
    quotes_refused = models.PositiveIntegerField(_("devis refusés (décision)"), default=0)
    promised = models.PositiveIntegerField(_("dossiers avec délai promis"), default=0)
    promised_kept = models.PositiveIntegerField(_("délais tenus"), default=0)
    parts = models.PositiveIntegerField(_("pièces posées"), default=0)
    used_parts = models.PositiveIntegerField(_("pièces de réemploi"), default=0)
    parts_waits = models.PositiveIntegerField(_("dossiers ayant attendu des pièces"), default=0)
    parts_wait_hours = models.PositiveIntegerField(_("heures d'attente de pièces"), default=0)
    claims = models.PositiveIntegerField(_("réclamations"), default=0)
    disputes = models.PositiveIntegerField(_("litiges"), default=0)
    revenue_ht = models.DecimalField(_("chiffre d'affaires HT (€)"), **MONEY)
    cost_ht = models.DecimalField(_("coût des pièces HT (€)"), **MONEY)
    turnaround = models.JSONField(_("délais en jours"), default=dict, blank=True)
    reasons = models.JSONField(_("raisons de non-réparabilité"), default=dict, blank=True)
    causes = models.JSONField(_("causes des retours"), default=dict, blank=True)

    class Meta:
        abstract = True


class DailyFigures(FigureColumns):
    """What happened on one day for one combination of site, technician, family, brand and place of work."""

    day = models.DateField(_("jour"))
    # the night that wrote the row: a return received on day R marks its original dossier on the original's
    # hand-back day, so recomputing R deletes the rows computed for R, whatever their `day`
    computed_for = models.DateField(_("calculé pour le jour"))
    site = models.ForeignKey(
        Site, on_delete=models.CASCADE, related_name="+", db_index=False, verbose_name=_("site")
    )
    technician = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("technicien")
    )
    family = models.CharField(_("famille"), max_length=25, choices=ProductFamily.choices, blank=True)
    brand = models.CharField(_("marque"), max_length=80, blank=True)
    location = models.CharField(_("lieu"), max_length=10, choices=WorkLocation.choices)

    site_path = "site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["day", "site", "pk"]
        verbose_name = _("chiffres du jour")
        verbose_name_plural = _("chiffres des jours")
        indexes = [
            models.Index(fields=["site", "day"], name="indicators_site_day"),
            models.Index(fields=["day"], name="indicators_day"),
            models.Index(fields=["site", "computed_for"], name="indicators_site_computed"),
        ]

    def __str__(self) -> str:
        return f"{self.day} · {self.site_id}"


class ComputedDay(models.Model):
    """A day of a site whose figures are in DailyFigures (the pages compute the days after the last one live)."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+", verbose_name=_("site"))
    day = models.DateField(_("jour"))
    computed_at = models.DateTimeField(_("calculé le"))

    site_path = "site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["site", "day"]
        verbose_name = _("jour calculé")
        verbose_name_plural = _("jours calculés")
        constraints = [models.UniqueConstraint(fields=["site", "day"], name="indicators_computed_day_unique")]

    def __str__(self) -> str:
        return f"{self.site_id} · {self.day}"


class RollupSpan(models.TextChoices):
    DAY = "jour", _("jour")
    MONTH = "mois", _("mois")


class RollupDimension(models.TextChoices):
    PLACE = "", _("lieu seul")
    FAMILY = "famille", _("famille")
    TECHNICIAN = "technicien", _("technicien")


class RollupFigures(FigureColumns):
    """DailyFigures summed per site and place of work, over a day or a calendar month, whole (dimension « »)
    or split by family or by technician (counters only: the bars of the page need no distribution).

    The network's pages read these (a year of 250 sites: 6,000 month rows per dimension) for the whole months
    of the period and the day rows of the partial months at its edges; filters by technician, family or brand
    read DailyFigures. Rebuilt by the nightly job from DailyFigures for every day (and month) whose rows it
    changed, so a roll-up row is always exactly the sum of the day rows it covers.

    The rows without a site sum every site's rows (250 times fewer rows for a chain manager of 250 sites); a
    site's night marks its days in StaleNetworkDay, and the network's rows are read only for a period with no
    such day left (the job `indicators_network` rebuilds them)."""

    span = models.CharField(_("durée"), max_length=4, choices=RollupSpan.choices)
    start = models.DateField(_("début"))  # the day, or the first day of the month
    # empty: the network's row, the sum of every site's rows (aggregate.rebuild_network), read by a chain
    # manager who sees every site that has stored figures
    site = models.ForeignKey(
        Site,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        verbose_name=_("site"),
    )
    location = models.CharField(_("lieu"), max_length=10, choices=WorkLocation.choices)
    dimension = models.CharField(_("découpage"), max_length=10, choices=RollupDimension.choices, blank=True)
    value = models.CharField(_("valeur"), max_length=25, blank=True)  # family code or technician id; « » none

    site_path = "site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["span", "start", "site", "pk"]
        verbose_name = _("chiffres cumulés")
        verbose_name_plural = _("chiffres cumulés")
        indexes = [
            models.Index(fields=["site", "dimension", "span", "start"], name="indicators_rollup_site"),
        ]

    def __str__(self) -> str:
        return f"{self.span} {self.start} · {self.site_id}"


class StaleNetworkDay(models.Model):
    """A day whose site rows changed since the network's rows (RollupFigures without a site) were summed: until
    the job `indicators_network` rebuilds that day and its month, the pages read the sites' rows."""

    day = models.DateField(_("jour"), unique=True)

    class Meta:
        ordering = ["day"]
        verbose_name = _("jour à recalculer pour le réseau")
        verbose_name_plural = _("jours à recalculer pour le réseau")

    def __str__(self) -> str:
        return str(self.day)
