"""What the background processes leave behind: their heartbeats and the runs of the periodic jobs.

A `JobRun` row is also the scheduler's lock: its `key` (job, site, period) is unique, so two schedulers running at
once insert one row for a period and only the one that inserted it runs the job (operations.runner).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atelier.core.models import Site
from atelier.core.scoping import SiteScopedManager
from atelier.operations.choices import Outcome, Trigger


class Heartbeat(models.Model):
    """The last sign of life of a background process (« worker », « scheduler »), written every ~30 s."""

    name = models.CharField(_("processus"), max_length=40, unique=True)
    at = models.DateTimeField(_("dernier signe de vie"))
    pid = models.PositiveIntegerField(_("n° de processus"), default=0)
    host = models.CharField(_("serveur"), max_length=120, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("signe de vie")
        verbose_name_plural = _("signes de vie")

    def __str__(self) -> str:
        return f"{self.name} · {self.at:%d/%m/%Y %H:%M:%S}"


class JobRun(models.Model):
    """One run of a periodic job, for one site or for all (site empty): when, how it ended, what it did."""

    job = models.CharField(_("tâche"), max_length=60, db_index=True)
    site = models.ForeignKey(
        Site, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("site")
    )
    period = models.CharField(_("période"), max_length=40)
    # job:site:period for scheduled runs, unique: the once-per-period lock; a manual run has its own key
    key = models.CharField(_("clé"), max_length=160, unique=True)
    trigger = models.CharField(
        _("déclenchement"), max_length=10, choices=Trigger.choices, default=Trigger.SCHEDULE
    )
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lancée par"),
    )
    started_at = models.DateTimeField(_("début"), default=timezone.now)
    finished_at = models.DateTimeField(_("fin"), null=True, blank=True)
    outcome = models.CharField(_("résultat"), max_length=10, choices=Outcome.choices, default=Outcome.RUNNING)
    summary = models.JSONField(_("bilan"), default=dict, blank=True)
    error = models.TextField(_("erreur"), blank=True)

    # a run for all sites (site empty) is seen by every user of the page; a site's run by that site's users
    site_path = "site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("exécution de tâche")
        verbose_name_plural = _("exécutions de tâches")
        indexes = [models.Index(fields=["job", "-started_at"], name="jobrun_job_recent")]

    def __str__(self) -> str:
        return f"{self.job} · {self.started_at:%d/%m/%Y %H:%M}"

    @property
    def duration_seconds(self) -> float | None:
        if self.finished_at is None:
            return None
        return round((self.finished_at - self.started_at).total_seconds(), 1)

    @property
    def text(self) -> str:
        """What the run did, in one French sentence (the job's own), or its error."""
        return self.error or str(self.summary.get("text", ""))


class JobSettings(models.Model):
    """A site's figures for the periodic jobs (data, not constants): how often and how many payment
    reminders, after how many days a dossier handed back and paid is closed. No row: the defaults."""

    site = models.OneToOneField(Site, on_delete=models.CASCADE, related_name="+", verbose_name=_("site"))
    payment_reminder_every_days = models.PositiveSmallIntegerField(
        _("relance de paiement tous les (jours)"), default=7
    )
    payment_reminder_max = models.PositiveSmallIntegerField(_("nombre maximal de relances"), default=3)
    auto_close_after_days = models.PositiveSmallIntegerField(
        _("clôture automatique après (jours)"),
        default=15,
        help_text=_("Jours après la remise d'un appareil payé ; 0 : jamais de clôture automatique."),
    )

    site_path = "site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["site"]
        verbose_name = _("réglages des tâches planifiées")
        verbose_name_plural = _("réglages des tâches planifiées")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(payment_reminder_every_days__gte=1),
                name="jobsettings_reminder_every_positive",
            )
        ]

    def __str__(self) -> str:
        return str(self.site)

    @classmethod
    def for_site(cls, site) -> "JobSettings":
        """The site's row, or an unsaved one with the defaults."""
        return cls.objects.filter(site=site).first() or cls(site=site)
