"""Who is certified, by whom and where: training organisations and companies (each bound to an Atelier site),
their candidates, the certification sessions and their juries of professionals."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from atelier.certification.choices import CandidateStatus, OrganisationKind
from atelier.certification.models.referentiel import Epreuve, Referentiel
from atelier.core.models import Site, User
from atelier.core.scoping import SiteScopedManager


class Organisation(models.Model):
    """A training organisation (OF) or a company that trains apprentices. Its members are the Atelier users who
    act for it: only they read its candidates' personal data, and only it records an E3 derogation."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+", verbose_name=_("site"))
    kind = models.CharField(_("type"), max_length=25, choices=OrganisationKind.choices)
    name = models.CharField(_("nom"), max_length=200)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True)
    city = models.CharField(_("ville"), max_length=100, blank=True)
    members = models.ManyToManyField(
        User, blank=True, related_name="certification_organisations", verbose_name=_("membres")
    )

    site_path = "site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisme ou entreprise")
        verbose_name_plural = _("organismes et entreprises")
        constraints = [
            models.UniqueConstraint(fields=["site", "name"], name="certification_organisation_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Candidate(models.Model):
    """A person preparing the CQP: followed by a training organisation, often in a company with a tutor. The
    référentiel version is fixed at registration (a later version does not change what they are judged on)."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="candidates",
        verbose_name=_("organisme de formation"),
    )
    company = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="employees",
        null=True,
        blank=True,
        verbose_name=_("entreprise"),
    )
    referentiel = models.ForeignKey(
        Referentiel, on_delete=models.PROTECT, related_name="candidates", verbose_name=_("référentiel")
    )
    status = models.CharField(_("statut"), max_length=20, choices=CandidateStatus.choices)
    first_name = models.CharField(_("prénom"), max_length=100)
    last_name = models.CharField(_("nom"), max_length=100)
    # personal data: shown to the members of the candidate's organisation or company only
    email = models.EmailField(_("courriel"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=20, blank=True)
    birth_date = models.DateField(_("date de naissance"), null=True, blank=True)
    course_start = models.DateField(_("début du parcours"))
    tutor = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("tuteur")
    )
    trainer = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("formateur")
    )
    e3_topic = models.CharField(_("sujet de l'épreuve n°3"), max_length=300, blank=True)
    e3_topic_on = models.DateField(_("sujet fixé le"), null=True, blank=True)
    e3_topic_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    e3_derogation = models.TextField(_("dérogation au délai du sujet"), blank=True)
    e3_derogation_on = models.DateField(_("dérogation accordée le"), null=True, blank=True)
    e3_derogation_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    site_path = "organisation__site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        verbose_name = _("candidat")
        verbose_name_plural = _("candidats")

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class CertificationSession(models.Model):
    """A certification session: dates, place, the épreuves held, the candidates and the jury."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+", verbose_name=_("site"))
    referentiel = models.ForeignKey(
        Referentiel, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("référentiel")
    )
    title = models.CharField(_("intitulé"), max_length=200)
    place = models.CharField(_("lieu"), max_length=200)
    starts_on = models.DateField(_("du"))
    ends_on = models.DateField(_("au"))
    epreuves = models.ManyToManyField(Epreuve, related_name="sessions", verbose_name=_("épreuves"))
    candidates = models.ManyToManyField(
        Candidate, blank=True, related_name="sessions", verbose_name=_("candidats")
    )
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    site_path = "site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("session de certification")
        verbose_name_plural = _("sessions de certification")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="certification_session_dates"
            )
        ]

    def __str__(self) -> str:
        return self.title


class SessionJuror(models.Model):
    """A professional on a session's jury, with the company that employs them (to refuse a juror judging a
    candidate of their own company)."""

    session = models.ForeignKey(CertificationSession, on_delete=models.CASCADE, related_name="jurors")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="certification_juries")
    employer = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("employeur"),
    )
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    site_path = "session__site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["session", "user__last_name", "pk"]
        verbose_name = _("membre du jury")
        verbose_name_plural = _("membres du jury")
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="certification_juror_unique")]

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.username
