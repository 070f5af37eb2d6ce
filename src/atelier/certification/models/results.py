"""Deliberation and results (issue 19, point 5): the rules of the certifying branch (validity of an acquired bloc,
resits) as data with dates of effect; the jury's deliberation per bloc; each candidate's result in a session; the
procès-verbal signed on screen by every juror, after which nothing changes; the certificates it issues (one per
validated bloc, one for the full CQP), each with a unique number and its Open Badges 3.0 credential as issued."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from atelier.certification.models.people import Candidate, CertificationSession
from atelier.certification.models.referentiel import Bloc
from atelier.core.models import User
from atelier.core.scoping import SiteScopedManager


class ResultRules(models.Model):
    """The certifying branch's rules, which the référentiel does not state: how long an acquired bloc (or an
    acquired competence of a bloc not yet validated) counts, who may sit again and how many times. The rules in
    force on a session's first day apply to it. Seeded by migration 0004 with today's choice (docs)."""

    effective_from = models.DateField(_("en vigueur à partir du"), unique=True)
    certifier_name = models.CharField(_("organisme certificateur"), max_length=300)
    certifier_id = models.CharField(
        _("identifiant de l'organisme certificateur (URI)"),
        max_length=300,
        help_text=_("Son adresse web, ou un URN tant qu'elle n'en publie pas : l'émetteur des badges."),
    )
    bloc_validity_years = models.PositiveSmallIntegerField(
        _("durée de validité d'un bloc acquis (années)"),
        null=True,
        blank=True,
        help_text=_("Vide : sans limite."),
    )
    max_attempts = models.PositiveSmallIntegerField(_("présentations au plus par candidat"))
    absent_counts = models.BooleanField(_("une absence non excusée compte comme une présentation"))
    certified_may_resit = models.BooleanField(_("un candidat certifié peut se représenter"))
    rationale = models.TextField(_("motif du choix"))

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("règles de validation de la branche")
        verbose_name_plural = _("règles de validation de la branche")

    def __str__(self) -> str:
        return f"{self.certifier_name} ({self.effective_from:%d/%m/%Y})"


class ResultKind(models.TextChoices):
    VALIDATION_TOTALE = "validation_totale", _("Validation totale")
    VALIDATION_PARTIELLE = "validation_partielle", _("Validation partielle")
    ECHEC = "echec", _("Échec")
    ABSENT = "absent", _("Absent")
    EXCUSE = "excuse", _("Excusé")


class BlocDeliberation(models.Model):
    """The jury's deliberation on one bloc for one candidate: validated when every competence of the bloc is
    acquired (from the grids' final marks, or acquired in an earlier session still valid); otherwise the missing
    competences are listed for a later session. A copy of what the grids said, so the PV does not move."""

    session = models.ForeignKey(CertificationSession, on_delete=models.PROTECT, related_name="deliberations")
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="deliberations")
    bloc = models.ForeignKey(Bloc, on_delete=models.PROTECT, related_name="+", verbose_name=_("bloc"))
    validated = models.BooleanField(_("bloc validé"))
    acquired = models.JSONField(_("compétences acquises dans la session"), default=list)
    carried = models.JSONField(_("compétences acquises antérieurement"), default=list)
    missing = models.JSONField(_("compétences manquantes"), default=list)
    comment = models.TextField(_("commentaire du jury"), blank=True)
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("délibéré le"))

    site_path = "session__site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["session", "candidate__last_name", "candidate__first_name", "bloc__code"]
        verbose_name = _("délibération sur un bloc")
        verbose_name_plural = _("délibérations sur les blocs")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "candidate", "bloc"], name="certification_deliberation_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} – bloc {self.bloc.code} : {self.validated}"


class SessionResult(models.Model):
    """A candidate's result in a session: computed from the deliberations (totale, partielle with the blocs
    listed, échec), or absent / excusé as recorded by the jury."""

    session = models.ForeignKey(CertificationSession, on_delete=models.PROTECT, related_name="results")
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="results")
    kind = models.CharField(_("résultat"), max_length=25, choices=ResultKind.choices)
    blocs = models.JSONField(_("blocs acquis"), default=list)  # codes, this session's and earlier valid ones
    reason = models.TextField(_("motif (absence)"), blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("arrêté le"))

    site_path = "session__site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["session", "candidate__last_name", "candidate__first_name"]
        verbose_name = _("résultat d'un candidat")
        verbose_name_plural = _("résultats des candidats")
        constraints = [
            models.UniqueConstraint(fields=["session", "candidate"], name="certification_result_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=["absent", "excuse"]) | Q(reason=""),
                name="certification_result_reason_for_absence",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} : {self.get_kind_display()}"


class ProcesVerbal(models.Model):
    """The session's procès-verbal: signed on screen by each juror; frozen from the first signature, locked (and
    the certificates issued) when every juror has signed."""

    session = models.OneToOneField(
        CertificationSession, on_delete=models.PROTECT, related_name="proces_verbal"
    )
    created_at = models.DateTimeField(_("ouvert le"), auto_now_add=True)
    locked_at = models.DateTimeField(_("signé par tout le jury le"), null=True, blank=True)

    site_path = "session__site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("procès-verbal")
        verbose_name_plural = _("procès-verbaux")

    def __str__(self) -> str:
        return f"PV {self.session}"


class PvSignature(models.Model):
    """One juror's signature of the PV, drawn on screen (core.signature: a PNG data URL)."""

    proces_verbal = models.ForeignKey(ProcesVerbal, on_delete=models.PROTECT, related_name="signatures")
    juror = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("juré"))
    signature = models.TextField(_("signature"))
    signed_at = models.DateTimeField(_("signé le"))

    site_path = "proces_verbal__session__site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["proces_verbal", "signed_at", "pk"]
        verbose_name = _("signature du procès-verbal")
        verbose_name_plural = _("signatures du procès-verbal")
        constraints = [
            models.UniqueConstraint(
                fields=["proces_verbal", "juror"], name="certification_pv_signature_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.proces_verbal} – {self.juror}"


class CertificateKind(models.TextChoices):
    BLOC = "bloc", _("Bloc de compétences")
    CQP = "cqp", _("CQP complet")


class Certificate(models.Model):
    """A certificate, issued when the PV is locked: for a validated bloc, or for the full CQP. What it says is
    copied at issue (holder, title, dates) and its Open Badges 3.0 credential kept as issued; the number is unique
    and, with its verification code, checked on the verification screen and the API."""

    number = models.CharField(_("numéro"), max_length=40, unique=True)
    verification_code = models.CharField(_("code de vérification"), max_length=12)
    kind = models.CharField(_("type"), max_length=10, choices=CertificateKind.choices)
    session = models.ForeignKey(CertificationSession, on_delete=models.PROTECT, related_name="certificates")
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="certificates")
    bloc = models.ForeignKey(Bloc, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    holder = models.CharField(_("titulaire"), max_length=200)
    title = models.CharField(_("intitulé"), max_length=400)
    issued_on = models.DateField(_("délivré le"))
    valid_until = models.DateField(_("valable jusqu'au"), null=True, blank=True)
    credential = models.JSONField(_("badge Open Badges 3.0"))

    site_path = "session__site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["-issued_on", "number"]
        verbose_name = _("certificat")
        verbose_name_plural = _("certificats")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="bloc") & Q(bloc__isnull=False)) | (Q(kind="cqp") & Q(bloc__isnull=True)),
                name="certification_certificate_kind_bloc",
            ),
            models.UniqueConstraint(
                fields=["session", "candidate", "bloc"], name="certification_certificate_bloc_unique"
            ),
            models.UniqueConstraint(
                fields=["candidate"], condition=Q(kind="cqp"), name="certification_certificate_cqp_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} – {self.holder}"
