"""The référentiel of the CQP as data: one `Referentiel` per version, loaded from a file shipped in the package
(certification/data/), never edited on screen. A new version is loaded beside the old one; a candidate and a
session keep the version they started with."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from atelier.certification.choices import EpreuveForm


class Referentiel(models.Model):
    """One version of the référentiel (e.g. « 2022-04-22 »), with its source text named."""

    version = models.CharField(_("version"), max_length=20, unique=True)
    title = models.CharField(_("intitulé"), max_length=200)
    source = models.TextField(_("source"))
    effective_from = models.DateField(_("en vigueur à partir du"))
    source_notes = models.JSONField(_("remarques sur le texte"), default=list, blank=True)
    data_file = models.CharField(_("fichier de données"), max_length=100)

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("référentiel")
        verbose_name_plural = _("référentiels")

    def __str__(self) -> str:
        return f"{self.title} ({self.version})"


class Bloc(models.Model):
    """A bloc de compétences (1 or 2), certified on its own."""

    referentiel = models.ForeignKey(Referentiel, on_delete=models.CASCADE, related_name="blocs")
    code = models.CharField(_("numéro"), max_length=5)
    title = models.CharField(_("intitulé"), max_length=300)

    class Meta:
        ordering = ["referentiel", "code"]
        verbose_name = _("bloc de compétences")
        verbose_name_plural = _("blocs de compétences")
        constraints = [
            models.UniqueConstraint(fields=["referentiel", "code"], name="certification_bloc_unique")
        ]

    def __str__(self) -> str:
        return f"Bloc {self.code} – {self.title}"


class Activity(models.Model):
    """An activity of the référentiel d'activités (1.1 … 2.5)."""

    bloc = models.ForeignKey(Bloc, on_delete=models.CASCADE, related_name="activities")
    code = models.CharField(_("numéro"), max_length=5)
    title = models.CharField(_("intitulé"), max_length=300)
    position = models.PositiveSmallIntegerField(_("rang"))

    class Meta:
        ordering = ["bloc", "position"]
        verbose_name = _("activité")
        verbose_name_plural = _("activités")
        constraints = [models.UniqueConstraint(fields=["bloc", "code"], name="certification_activity_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Competence(models.Model):
    """A competence (C1.1 … C2.18) with its full wording and the result the jury expects."""

    referentiel = models.ForeignKey(Referentiel, on_delete=models.CASCADE, related_name="competences")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="competences")
    code = models.CharField(_("code"), max_length=6)
    title = models.TextField(_("libellé"))
    short_title = models.CharField(_("libellé court"), max_length=200)
    expected_result = models.CharField(_("résultat attendu"), max_length=300)
    position = models.PositiveSmallIntegerField(_("rang"))

    class Meta:
        ordering = ["referentiel", "position"]
        verbose_name = _("compétence")
        verbose_name_plural = _("compétences")
        constraints = [
            models.UniqueConstraint(fields=["referentiel", "code"], name="certification_competence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.short_title}"


class Criterion(models.Model):
    """One evaluation criterion of a competence, word for word as the référentiel lists it."""

    competence = models.ForeignKey(Competence, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(_("rang"))
    text = models.TextField(_("critère"))

    class Meta:
        ordering = ["competence", "position"]
        verbose_name = _("critère d'évaluation")
        verbose_name_plural = _("critères d'évaluation")
        constraints = [
            models.UniqueConstraint(fields=["competence", "position"], name="certification_criterion_unique")
        ]

    def __str__(self) -> str:
        return self.text


class Epreuve(models.Model):
    """An épreuve (n°1 … n°5): its bloc, form, timing, what it is judged on, the competences it covers, the
    families drawn at its start (n°1, n°2) and, for n°3, how many months after the course start the topic must
    be fixed."""

    referentiel = models.ForeignKey(Referentiel, on_delete=models.CASCADE, related_name="epreuves")
    number = models.PositiveSmallIntegerField(_("numéro"))
    bloc = models.ForeignKey(Bloc, on_delete=models.CASCADE, related_name="epreuves")
    title = models.CharField(_("intitulé"), max_length=200)
    form = models.CharField(_("forme"), max_length=25, choices=EpreuveForm.choices)
    description = models.TextField(_("déroulement"))
    duration_minutes = models.PositiveSmallIntegerField(_("durée totale (minutes)"))
    parts = models.JSONField(_("temps de l'épreuve"), default=list)  # [{"label", "minutes", "min_minutes"}]
    draw_families = models.JSONField(_("familles tirées au sort"), default=list, blank=True)
    draw_family_labels = models.JSONField(_("familles (libellés du texte)"), default=list, blank=True)
    judged_elements = models.JSONField(_("éléments évalués"), default=list, blank=True)
    topic_deadline_months = models.PositiveSmallIntegerField(
        _("sujet fixé au plus tard (mois après le début du parcours)"), null=True, blank=True
    )
    competences = models.ManyToManyField(Competence, related_name="epreuves", verbose_name=_("compétences"))

    class Meta:
        ordering = ["referentiel", "number"]
        verbose_name = _("épreuve")
        verbose_name_plural = _("épreuves")
        constraints = [
            models.UniqueConstraint(fields=["referentiel", "number"], name="certification_epreuve_unique")
        ]

    def __str__(self) -> str:
        return _("Épreuve n°%(n)s – %(t)s") % {"n": self.number, "t": self.title}

    @property
    def has_draw(self) -> bool:
        return bool(self.draw_families)

    def family_label(self, family: str) -> str:
        """The family as the text writes it (« produits cuisson » for « cuisson »)."""
        try:
            return self.draw_family_labels[self.draw_families.index(family)]
        except (ValueError, IndexError):
            return family
