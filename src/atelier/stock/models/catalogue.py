"""The catalogue: parts and their other references, suppliers, the sites' codification rules, anomalies."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atelier.core.choices import VatKind
from atelier.core.models import Site
from atelier.core.scoping import SiteScopedManager
from atelier.customers.choices import ProductFamily
from atelier.stock.choices import Availability, PartCondition, PartKind, PartStatus, UsedGrade

MONEY = {"max_digits": 10, "decimal_places": 2}


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
    # Codification (C1.15): the internal code comes from the site's rule; the manufacturer reference above.
    internal_code = models.CharField(_("code interne"), max_length=40, null=True, blank=True, unique=True)
    family = models.CharField(
        _("famille de produit"), max_length=25, choices=ProductFamily.choices, blank=True
    )
    compatible_brands = models.CharField(
        _("marques compatibles"), max_length=255, blank=True, help_text=_("Séparées par des virgules.")
    )
    compatible_models = models.TextField(
        _("modèles compatibles"), blank=True, help_text=_("Un modèle par ligne ou séparés par des virgules.")
    )
    grade = models.CharField(_("grade (occasion)"), max_length=1, choices=UsedGrade.choices, blank=True)
    purchase_price_ht = models.DecimalField(_("prix d'achat HT (€)"), **MONEY, null=True, blank=True)
    # Parts created before validation existed (and by other apps' fixtures) are usable: the default is
    # « validée »; part_create puts a new reference « à valider » until a second person checks it.
    status = models.CharField(
        _("statut"), max_length=10, choices=PartStatus.choices, default=PartStatus.VALIDEE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("créée par"),
    )
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("validée par"),
    )
    validated_at = models.DateTimeField(_("validée le"), null=True, blank=True)

    class Meta:
        ordering = ["reference"]
        verbose_name = _("pièce")
        verbose_name_plural = _("pièces")
        constraints = [
            models.CheckConstraint(condition=models.Q(price_ht__gte=0), name="stock_part_price_not_negative"),
            models.CheckConstraint(
                condition=models.Q(purchase_price_ht__gte=0) | models.Q(purchase_price_ht__isnull=True),
                name="stock_part_purchase_price_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} – {self.designation} ({self.get_condition_display().lower()})"

    @property
    def is_circular(self) -> bool:
        """Reconditionnée or d'occasion: counts as the used-part offer of the law."""
        return self.condition != PartCondition.NEUF

    @property
    def is_usable(self) -> bool:
        return self.is_active and self.status == PartStatus.VALIDEE


class PartReference(models.Model):
    """Another reference of the same part: a manufacturer's own number, or an equivalent (cross-reference)."""

    part = models.ForeignKey(
        Part, on_delete=models.CASCADE, related_name="references", verbose_name=_("pièce")
    )
    reference = models.CharField(_("référence"), max_length=60)
    brand = models.CharField(_("fabricant / marque"), max_length=80, blank=True)
    is_equivalent = models.BooleanField(_("référence équivalente"), default=False)

    class Meta:
        ordering = ["part", "reference"]
        verbose_name = _("référence de la pièce")
        verbose_name_plural = _("références de la pièce")
        constraints = [
            models.UniqueConstraint(fields=["part", "reference"], name="stock_partreference_unique"),
        ]
        indexes = [models.Index(fields=["reference"], name="stock_partref_reference")]

    def __str__(self) -> str:
        return self.reference


class Supplier(models.Model):
    name = models.CharField(_("nom"), max_length=120, unique=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=20, blank=True)
    is_active = models.BooleanField(_("actif"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("fournisseur")
        verbose_name_plural = _("fournisseurs")

    def __str__(self) -> str:
        return self.name


class PartSupplier(models.Model):
    """Who sells the part, under which reference, at what price and lead time."""

    part = models.ForeignKey(
        Part, on_delete=models.CASCADE, related_name="suppliers", verbose_name=_("pièce")
    )
    supplier = models.ForeignKey(
        Supplier, on_delete=models.PROTECT, related_name="parts", verbose_name=_("fournisseur")
    )
    supplier_ref = models.CharField(_("référence fournisseur"), max_length=60, blank=True)
    price_ht = models.DecimalField(_("prix d'achat HT (€)"), **MONEY)
    lead_time_days = models.PositiveSmallIntegerField(_("délai (jours)"), default=0)
    is_preferred = models.BooleanField(_("fournisseur habituel"), default=False)

    class Meta:
        ordering = ["part", "-is_preferred", "price_ht"]
        verbose_name = _("fournisseur de la pièce")
        verbose_name_plural = _("fournisseurs de la pièce")
        constraints = [
            models.UniqueConstraint(fields=["part", "supplier"], name="stock_partsupplier_unique"),
            models.CheckConstraint(condition=models.Q(price_ht__gte=0), name="stock_partsupplier_price_ok"),
        ]

    def __str__(self) -> str:
        return f"{self.supplier} – {self.supplier_ref or self.part.reference}"


class CodificationRule(models.Model):
    """How a site codes its parts: a pattern of {famille}, {type}, {etat}, {site} and {sequence}."""

    site_path = "site"
    site = models.OneToOneField(
        Site, on_delete=models.CASCADE, related_name="codification", verbose_name=_("site")
    )
    pattern = models.CharField(
        _("modèle de code"),
        max_length=80,
        default="{famille}-{type}-{sequence}",
        help_text=_("Ex. {famille}-{type}-{sequence} donne LL-MOT-000042."),
    )
    sequence_digits = models.PositiveSmallIntegerField(_("chiffres du numéro"), default=6)

    objects = SiteScopedManager()

    class Meta:
        verbose_name = _("règle de codification")
        verbose_name_plural = _("règles de codification")

    def __str__(self) -> str:
        return f"{self.site.code} : {self.pattern}"


class PartAnomaly(models.Model):
    """Something wrong with a reference (wrong description, price, duplicate), reported to the stock keeper."""

    site_path = "site"
    part = models.ForeignKey(
        Part, on_delete=models.CASCADE, related_name="anomalies", verbose_name=_("pièce")
    )
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+", verbose_name=_("site"))
    description = models.TextField(_("anomalie"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("signalée par")
    )
    reported_at = models.DateTimeField(_("signalée le"), default=timezone.now)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("traitée par"),
    )
    resolved_at = models.DateTimeField(_("traitée le"), null=True, blank=True)
    resolution = models.TextField(_("suite donnée"), blank=True)

    objects = SiteScopedManager()

    class Meta:
        ordering = ["-reported_at", "-pk"]
        verbose_name = _("anomalie de référence")
        verbose_name_plural = _("anomalies de référence")

    def __str__(self) -> str:
        return f"{self.part.reference} : {self.description[:40]}"
