"""Preparing candidates (issue 19, point 6): mock sessions (« session blanche »: its grids count for the
candidates' progress, never for the certification), and role-play scenarios for épreuves n°4 and n°5 written
from anonymised closed dossiers (the text is stored already anonymised: no personal data is kept here)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from atelier.certification.models.people import CertificationSession
from atelier.core.models import Site, User
from atelier.core.scoping import SiteScopedManager
from atelier.repairs.models import RepairCase


class MockSession(models.Model):
    """Flags a session as « blanche »: a rehearsal run like the real one."""

    session = models.OneToOneField(CertificationSession, on_delete=models.CASCADE, related_name="mock")
    marked_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    marked_at = models.DateTimeField(_("marquée le"))

    site_path = "session__site"
    objects = SiteScopedManager()

    class Meta:
        verbose_name = _("session blanche")
        verbose_name_plural = _("sessions blanches")

    def __str__(self) -> str:
        return str(self.session)


class ScenarioKind(models.TextChoices):
    ACCUEIL = "accueil", _("Accueil et pré-diagnostic")
    RETOUR_GARANTIE = "retour_garantie", _("Retour sous garantie")
    LITIGE = "litige", _("Litige")


class RolePlayScenario(models.Model):
    """A role-play for n°4 or n°5: the situation the « client » plays, and the points the trainer expects."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+", verbose_name=_("site"))
    kind = models.CharField(_("type de jeu de rôle"), max_length=20, choices=ScenarioKind.choices)
    epreuve_number = models.PositiveSmallIntegerField(_("épreuve n°"))
    title = models.CharField(_("intitulé"), max_length=200)
    text = models.TextField(_("situation (anonymisée)"))
    expected_points = models.JSONField(_("points attendus"), default=list)  # [{"competence", "point"}]
    source_case = models.ForeignKey(
        RepairCase,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dossier d'origine"),
    )
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("créé le"))

    site_path = "site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("jeu de rôle")
        verbose_name_plural = _("jeux de rôle")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(epreuve_number__in=[4, 5]), name="certification_scenario_epreuve"
            )
        ]

    def __str__(self) -> str:
        return self.title
