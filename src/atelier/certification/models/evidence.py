"""What the jury records beside the grid (issue 19, point 4, the rest): the timer of each part of an épreuve
(start, pauses and end stored, so the real durations can be shown), the questions asked, and the Atelier dossier
a « situation réelle » is judged from (its evidence is read from the other apps, never copied here)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from atelier.certification.models.people import Candidate, CertificationSession
from atelier.certification.models.referentiel import Competence, Epreuve
from atelier.core.models import User
from atelier.core.scoping import SiteScopedManager
from atelier.repairs.models import RepairCase


class PartTiming(models.Model):
    """The timer of one part of an épreuve (n°1: préparation 15 min, situation 30 min, questions 15 min) for one
    candidate. Real duration = end − start − paused seconds; the planned minutes are copied from the référentiel
    when the part starts, so the record stays readable if a new version changes them."""

    session = models.ForeignKey(CertificationSession, on_delete=models.PROTECT, related_name="part_timings")
    epreuve = models.ForeignKey(Epreuve, on_delete=models.PROTECT, related_name="+")
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="part_timings")
    part = models.PositiveSmallIntegerField(_("temps n°"))  # index in Epreuve.parts, from 0
    label = models.CharField(_("temps"), max_length=200)
    planned_minutes = models.PositiveSmallIntegerField(_("durée prévue (minutes)"))
    started_at = models.DateTimeField(_("démarré le"))
    started_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    paused_at = models.DateTimeField(_("en pause depuis"), null=True, blank=True)
    paused_seconds = models.PositiveIntegerField(_("pauses (secondes)"), default=0)
    ended_at = models.DateTimeField(_("arrêté le"), null=True, blank=True)

    site_path = "session__site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["session", "epreuve__number", "candidate", "part"]
        verbose_name = _("temps d'épreuve chronométré")
        verbose_name_plural = _("temps d'épreuve chronométrés")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "epreuve", "candidate", "part"], name="certification_part_timing_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(ended_at__isnull=True) | models.Q(ended_at__gte=models.F("started_at")),
                name="certification_part_timing_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} – n°{self.epreuve.number} – {self.label}"


class JuryQuestion(models.Model):
    """A question the jury asked the candidate, the competence it probes and a summary of the answer."""

    session = models.ForeignKey(CertificationSession, on_delete=models.PROTECT, related_name="questions")
    epreuve = models.ForeignKey(Epreuve, on_delete=models.PROTECT, related_name="+")
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="jury_questions")
    competence = models.ForeignKey(
        Competence,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("compétence concernée"),
    )
    text = models.TextField(_("question"))
    answer_summary = models.TextField(_("réponse du candidat (résumé)"), blank=True)
    asked_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("posée par")
    )
    asked_at = models.DateTimeField(_("posée le"))

    site_path = "session__site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["session", "epreuve__number", "candidate", "asked_at", "pk"]
        verbose_name = _("question du jury")
        verbose_name_plural = _("questions du jury")
        constraints = [
            models.CheckConstraint(condition=~models.Q(text=""), name="certification_question_has_text")
        ]

    def __str__(self) -> str:
        return self.text[:60]


class CandidateAccount(models.Model):
    """The Atelier user a candidate works as in the shop: their dossiers are the « situations réelles » a jury
    may judge and the evidence of their progress."""

    candidate = models.OneToOneField(Candidate, on_delete=models.CASCADE, related_name="account")
    user = models.OneToOneField(
        User, on_delete=models.PROTECT, related_name="certification_candidate", verbose_name=_("utilisateur")
    )
    linked_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    linked_at = models.DateTimeField(_("lié le"))

    site_path = "candidate__organisation__site"
    objects = SiteScopedManager()

    class Meta:
        verbose_name = _("compte Atelier du candidat")
        verbose_name_plural = _("comptes Atelier des candidats")

    def __str__(self) -> str:
        return f"{self.candidate} → {self.user}"


class EvidenceDossier(models.Model):
    """The real dossier an épreuve is judged from (« situation réelle »), chosen among the candidate's."""

    session = models.ForeignKey(
        CertificationSession, on_delete=models.PROTECT, related_name="evidence_dossiers"
    )
    epreuve = models.ForeignKey(Epreuve, on_delete=models.PROTECT, related_name="+")
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="evidence_dossiers")
    case = models.ForeignKey(
        RepairCase, on_delete=models.PROTECT, related_name="+", verbose_name=_("dossier SAV")
    )
    chosen_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    chosen_at = models.DateTimeField(_("choisi le"))

    site_path = "session__site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["session", "epreuve__number", "candidate"]
        verbose_name = _("dossier de preuve")
        verbose_name_plural = _("dossiers de preuve")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "epreuve", "candidate"], name="certification_evidence_dossier_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.candidate} – n°{self.epreuve.number} – {self.case}"
