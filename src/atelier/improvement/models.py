"""Customer satisfaction answers (with the manager's follow-up of a low score) and the log of improvement
actions (PDCA) with their measured effect."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atelier.core.models import Site, User
from atelier.core.scoping import SiteScopedManager
from atelier.customers.choices import ProductFamily
from atelier.improvement.choices import PDCA_PHASE, ActionStatus, FollowUp, Indicator
from atelier.repairs.models import RepairCase


class SurveyAnswer(models.Model):
    """The customer's answer to the satisfaction survey of one closed dossier, given on the tracking page.

    Read by the indicators (NPS from `recommendation`, CSAT from `satisfaction`). A low score opens a follow-up
    for the SAV manager (`follow_up`), with its status and note."""

    case = models.OneToOneField(
        RepairCase, on_delete=models.CASCADE, related_name="survey_answer", verbose_name=_("dossier")
    )
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+", verbose_name=_("site"))
    recommendation = models.PositiveSmallIntegerField(
        _("recommandation (0 à 10)"), validators=[MinValueValidator(0), MaxValueValidator(10)]
    )
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction (1 à 5)"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("commentaire"), blank=True)
    answered_at = models.DateTimeField(_("répondu le"), default=timezone.now)
    follow_up = models.CharField(
        _("suivi du responsable"), max_length=10, choices=FollowUp.choices, blank=True, default=FollowUp.AUCUN
    )
    follow_up_note = models.TextField(_("note de suivi"), blank=True)
    follow_up_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("suivi par")
    )
    follow_up_at = models.DateTimeField(_("suivi le"), null=True, blank=True)

    site_path = "site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["-answered_at", "-pk"]
        verbose_name = _("réponse à l'enquête de satisfaction")
        verbose_name_plural = _("réponses à l'enquête de satisfaction")
        constraints = [
            models.CheckConstraint(
                condition=Q(recommendation__gte=0, recommendation__lte=10),
                name="improvement_survey_reco_0_10",
            ),
            models.CheckConstraint(
                condition=Q(satisfaction__gte=1, satisfaction__lte=5), name="improvement_survey_satisf_1_5"
            ),
        ]
        indexes = [models.Index(fields=["site", "answered_at"], name="improvement_survey_site_at")]

    def __str__(self) -> str:
        return f"{self.case} · {self.recommendation}/10 · {self.satisfaction}/5"

    @property
    def is_low(self) -> bool:
        return is_low_score(self.recommendation, self.satisfaction)


def is_low_score(recommendation: int, satisfaction: int) -> bool:
    """A score the manager follows up (thresholds: settings.ATELIER_SURVEY_LOW_*)."""
    return (
        recommendation <= settings.ATELIER_SURVEY_LOW_RECOMMENDATION
        or satisfaction <= settings.ATELIER_SURVEY_LOW_SATISFACTION
    )


class ImprovementAction(models.Model):
    """One improvement action of a site: the problem observed (and the dossiers, complaints, claims, disputes or
    indicator showing it), its cause, the action, who and by when, its status through the PDCA wheel, and the
    indicator that shows its effect, measured on a period before and a period after."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+", verbose_name=_("site"))
    title = models.CharField(_("problème constaté"), max_length=200)
    problem = models.TextField(_("constat détaillé"), blank=True)
    problem_indicator = models.CharField(
        _("indicateur qui le montre"), max_length=20, choices=Indicator.choices, blank=True
    )
    cases = models.ManyToManyField(RepairCase, blank=True, related_name="+", verbose_name=_("dossiers"))
    claims = models.ManyToManyField(
        "aftersales.Claim", blank=True, related_name="+", verbose_name=_("réclamations")
    )
    complaints = models.ManyToManyField(
        "reception.Complaint", blank=True, related_name="+", verbose_name=_("mécontentements")
    )
    disputes = models.ManyToManyField(
        "disputes.Dispute", blank=True, related_name="+", verbose_name=_("litiges")
    )
    cause = models.TextField(_("cause"), blank=True)
    action = models.TextField(_("action"), blank=True)
    owner = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("responsable")
    )
    due_on = models.DateField(_("échéance"), null=True, blank=True)
    status = models.CharField(
        _("état"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.PROPOSEE
    )
    # the effect: one indicator, on the whole site or one family / brand, before and after
    effect_indicator = models.CharField(
        _("indicateur de l'effet"), max_length=20, choices=Indicator.choices, blank=True
    )
    effect_family = models.CharField(
        _("famille mesurée"), max_length=25, choices=ProductFamily.choices, blank=True
    )
    effect_brand = models.CharField(_("marque mesurée"), max_length=80, blank=True)
    before_from = models.DateField(_("avant : du"), null=True, blank=True)
    before_to = models.DateField(_("avant : au"), null=True, blank=True)
    before_value = models.DecimalField(
        _("valeur avant"), max_digits=8, decimal_places=1, null=True, blank=True
    )
    after_from = models.DateField(_("après : du"), null=True, blank=True)
    after_to = models.DateField(_("après : au"), null=True, blank=True)
    after_value = models.DecimalField(
        _("valeur après"), max_digits=8, decimal_places=1, null=True, blank=True
    )
    proposed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("proposée par")
    )
    proposed_at = models.DateTimeField(_("proposée le"), default=timezone.now)
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("décidée par")
    )
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    status_changed_at = models.DateTimeField(_("état depuis le"), default=timezone.now)

    site_path = "site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        verbose_name = _("action d'amélioration")
        verbose_name_plural = _("actions d'amélioration")
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="improvement_action_has_title"),
            models.CheckConstraint(
                condition=Q(before_from__lte=models.F("before_to"))
                | Q(before_from__isnull=True)
                | Q(before_to__isnull=True),
                name="improvement_action_before_period",
            ),
            models.CheckConstraint(
                condition=Q(after_from__lte=models.F("after_to"))
                | Q(after_from__isnull=True)
                | Q(after_to__isnull=True),
                name="improvement_action_after_period",
            ),
        ]
        indexes = [models.Index(fields=["site", "status"], name="improvement_action_site_status")]

    def __str__(self) -> str:
        return f"A{self.pk} · {self.title}"

    @property
    def phase(self) -> str:
        return str(PDCA_PHASE[ActionStatus(self.status)])

    @property
    def effect(self):
        """after − before, when both are measured."""
        if self.before_value is None or self.after_value is None:
            return None
        return self.after_value - self.before_value


class ActionEvent(models.Model):
    """One line of an action's history: who moved it, when, from which status to which, and why."""

    action = models.ForeignKey(
        ImprovementAction, on_delete=models.CASCADE, related_name="events", verbose_name=_("action")
    )
    at = models.DateTimeField(_("date"), default=timezone.now)
    actor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("par"))
    from_status = models.CharField(_("de l'état"), max_length=12, choices=ActionStatus.choices, blank=True)
    to_status = models.CharField(_("vers l'état"), max_length=12, choices=ActionStatus.choices, blank=True)
    label = models.CharField(_("ce qui a été fait"), max_length=120)
    note = models.TextField(_("commentaire"), blank=True)

    site_path = "action__site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("historique de l'action")
        verbose_name_plural = _("historique des actions")

    def __str__(self) -> str:
        return f"{self.action_id} · {self.label}"
