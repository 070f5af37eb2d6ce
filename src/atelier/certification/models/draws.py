"""The draw of the product family at the start of épreuves n°1 and n°2, recorded so it can be replayed: who drew,
when, the candidates present, the seed. The family is a pure function of the seed (rules.family_for_seed), so
anyone can recompute it. A draw is never replaced silently: a second one is a redraw with its reason, linked to
the draw it replaces, and both stay."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from atelier.certification.models.people import Candidate, CertificationSession
from atelier.certification.models.referentiel import Epreuve
from atelier.core.models import User
from atelier.core.scoping import SiteScopedManager


class Draw(models.Model):
    session = models.ForeignKey(CertificationSession, on_delete=models.PROTECT, related_name="draws")
    epreuve = models.ForeignKey(Epreuve, on_delete=models.PROTECT, related_name="draws")
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="draws")
    families = models.JSONField(_("familles en jeu"))  # copied: the replay does not depend on later data
    seed = models.CharField(_("graine"), max_length=64)
    family = models.CharField(_("famille tirée"), max_length=40)
    drawn_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("tiré par"))
    drawn_at = models.DateTimeField(_("tiré le"))
    present = models.ManyToManyField(Candidate, related_name="+", verbose_name=_("candidats présents"))
    replaces = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("remplace le tirage"),
    )
    reason = models.TextField(_("motif du nouveau tirage"), blank=True)

    site_path = "session__site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["session", "epreuve__number", "candidate__last_name", "drawn_at", "pk"]
        verbose_name = _("tirage au sort")
        verbose_name_plural = _("tirages au sort")
        constraints = [
            # one first draw per candidate and épreuve in a session; any other is a redraw of it
            models.UniqueConstraint(
                fields=["session", "epreuve", "candidate"],
                condition=Q(replaces__isnull=True),
                name="certification_draw_first_unique",
            ),
            models.CheckConstraint(
                condition=Q(replaces__isnull=True) | ~Q(reason=""), name="certification_redraw_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} – n°{self.epreuve.number} : {self.family}"
