"""The parts catalogue: the seed the stock issue grows (stock per site, moves, suppliers come with it)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from atelier.core.choices import VatKind
from atelier.stock.choices import Availability, PartCondition, PartKind


class Part(models.Model):
    """A catalogue reference: designation, condition, price excl. tax, VAT kind, availability and lead time.

    One row per reference *and* condition: a used drain pump is its own reference, linked to the new one by
    `equivalent_of`, so quotes can propose it side by side. Prices are copied onto quote lines when issued.
    """

    reference = models.CharField(_("référence"), max_length=60, unique=True)
    designation = models.CharField(_("désignation"), max_length=200)
    kind = models.CharField(
        _("type de pièce"), max_length=20, choices=PartKind.choices, default=PartKind.AUTRE
    )
    condition = models.CharField(
        _("état"), max_length=15, choices=PartCondition.choices, default=PartCondition.NEUF
    )
    brand = models.CharField(_("marque"), max_length=80, blank=True)
    supplier = models.CharField(_("fournisseur"), max_length=120, blank=True)
    price_ht = models.DecimalField(_("prix de vente HT (€)"), max_digits=10, decimal_places=2)
    vat_kind = models.CharField(_("TVA"), max_length=20, choices=VatKind.choices, default=VatKind.NORMAL)
    availability = models.CharField(
        _("disponibilité"), max_length=15, choices=Availability.choices, default=Availability.A_COMMANDER
    )
    lead_time_days = models.PositiveSmallIntegerField(
        _("délai d'approvisionnement (jours)"), default=0, help_text=_("0 quand la pièce est en stock.")
    )
    equivalent_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="alternatives",
        verbose_name=_("équivalente à"),
        help_text=_(
            "La pièce neuve que celle-ci remplace (référence équivalente, occasion, reconditionnée)."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["reference"]
        verbose_name = _("pièce")
        verbose_name_plural = _("pièces")
        constraints = [
            models.CheckConstraint(condition=models.Q(price_ht__gte=0), name="stock_part_price_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} – {self.designation} ({self.get_condition_display().lower()})"

    @property
    def is_circular(self) -> bool:
        """Reconditionnée or d'occasion: counts as the used-part offer of the law."""
        return self.condition != PartCondition.NEUF
