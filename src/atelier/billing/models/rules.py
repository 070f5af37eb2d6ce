"""The legal figures as dated data, and from which day a site bills in Atelier."""

import datetime
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from atelier.billing.choices import RuleKind
from atelier.billing.models.base import MONEY
from atelier.core.errors import AtelierError
from atelier.core.models import Site
from atelier.core.scoping import SiteScopedManager


class LegalFigure(models.Model):
    """A legal amount or duration (cash limit, recovery fee…) in force from a date; the newest applies."""

    kind = models.CharField(_("donnée"), max_length=40, choices=RuleKind.choices)
    value = models.DecimalField(_("valeur"), **MONEY)
    valid_from = models.DateField(_("en vigueur à partir du"))
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        ordering = ["kind", "-valid_from"]
        verbose_name = _("donnée légale datée")
        verbose_name_plural = _("données légales datées")
        constraints = [
            models.UniqueConstraint(fields=["kind", "valid_from"], name="billing_figure_unique_per_date"),
            models.CheckConstraint(condition=Q(value__gte=0), name="billing_figure_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} : {self.value} ({self.valid_from:%d/%m/%Y})"

    @classmethod
    def in_force(cls, kind: str, on: datetime.date) -> Decimal:
        row = cls.objects.filter(kind=kind, valid_from__lte=on).order_by("-valid_from").first()
        if row is None:
            raise AtelierError(
                _("Aucune valeur « %(kind)s » n'est en vigueur au %(date)s.")
                % {"kind": RuleKind(kind).label, "date": on.strftime("%d/%m/%Y")}
            )
        return row.value


class ClosingRulesStart(models.Model):
    """From which day a site coming from another system bills in Atelier: dossiers opened before were billed
    over there, so the closing checks (invoice, payment, signed hand-back) apply only to dossiers opened since.
    A site without this row has always billed in Atelier: the checks apply to all its dossiers."""

    site = models.OneToOneField(
        Site, on_delete=models.CASCADE, related_name="billing_start", verbose_name=_("site")
    )
    since = models.DateField(_("facturation dans Atelier depuis le"))

    site_path = "site"
    objects = SiteScopedManager()

    class Meta:
        verbose_name = _("mise en service de la facturation")
        verbose_name_plural = _("mises en service de la facturation")

    def __str__(self) -> str:
        return f"{self.site.code} : {self.since:%d/%m/%Y}"
