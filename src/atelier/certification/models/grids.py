"""Evaluation grids (issue 19, point 4, first part): two evaluators of the jury each mark every criterion of the
competences an épreuve covers, « acquis » or « non acquis » with a comment; where their marks differ the jury
decides, and both marks stay. A grid is handed in whole (an incomplete one is refused) and never changes after."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from atelier.certification.models.people import Candidate, CertificationSession
from atelier.certification.models.referentiel import Criterion, Epreuve
from atelier.core.models import User
from atelier.core.scoping import SiteScopedManager


class Evaluation(models.Model):
    """One evaluator's grid for one candidate at one épreuve of a session."""

    session = models.ForeignKey(CertificationSession, on_delete=models.PROTECT, related_name="evaluations")
    epreuve = models.ForeignKey(Epreuve, on_delete=models.PROTECT, related_name="evaluations")
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="evaluations")
    evaluator = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("évaluateur")
    )
    submitted_at = models.DateTimeField(_("remise le"))

    site_path = "session__site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["session", "epreuve__number", "candidate", "submitted_at", "pk"]
        verbose_name = _("grille d'évaluation")
        verbose_name_plural = _("grilles d'évaluation")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "epreuve", "candidate", "evaluator"],
                name="certification_evaluation_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.candidate} – n°{self.epreuve.number} – {self.evaluator}"


class Mark(models.Model):
    """One criterion marked by one evaluator."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="marks")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    acquired = models.BooleanField(_("acquis"))
    comment = models.TextField(_("commentaire"), blank=True)

    class Meta:
        ordering = ["evaluation", "criterion__competence__position", "criterion__position"]
        verbose_name = _("note d'un critère")
        verbose_name_plural = _("notes des critères")
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "criterion"], name="certification_mark_unique")
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.acquired}"


class JuryDecision(models.Model):
    """The jury's decision on a criterion the two evaluators marked differently (both marks are kept)."""

    session = models.ForeignKey(CertificationSession, on_delete=models.PROTECT, related_name="decisions")
    epreuve = models.ForeignKey(Epreuve, on_delete=models.PROTECT, related_name="+")
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="jury_decisions")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    acquired = models.BooleanField(_("acquis"))
    reason = models.TextField(_("motif"))
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("décidé le"))

    site_path = "session__site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["session", "candidate", "criterion__competence__position", "criterion__position"]
        verbose_name = _("décision du jury")
        verbose_name_plural = _("décisions du jury")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "epreuve", "candidate", "criterion"], name="certification_decision_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.candidate} – {self.criterion_id}: {self.acquired}"
