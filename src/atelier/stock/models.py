"""Parts and stock: the catalogue (codification, suppliers), the ledger of moves per location with its
balance rows, reservations for repair orders, supplier orders and inventory counts."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atelier.core.choices import VatKind
from atelier.core.models import Site
from atelier.customers.choices import ProductFamily
from atelier.stock.choices import (
    Availability,
    InventoryStatus,
    LocationKind,
    MoveKind,
    PartCondition,
    PartKind,
    PartStatus,
    ReservationStatus,
    SupplierOrderStatus,
    UsedGrade,
)

QTY = {"max_digits": 9, "decimal_places": 2}
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

    class Meta:
        verbose_name = _("règle de codification")
        verbose_name_plural = _("règles de codification")

    def __str__(self) -> str:
        return f"{self.site.code} : {self.pattern}"


class PartAnomaly(models.Model):
    """Something wrong with a reference (wrong description, price, duplicate), reported to the stock keeper."""

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

    class Meta:
        ordering = ["-reported_at", "-pk"]
        verbose_name = _("anomalie de référence")
        verbose_name_plural = _("anomalies de référence")

    def __str__(self) -> str:
        return f"{self.part.reference} : {self.description[:40]}"


# ---------------------------------------------------------------- the ledger


class StockLocation(models.Model):
    """Where parts are kept on a site: a shelf, or the van of a technician."""

    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="stock_locations", verbose_name=_("site")
    )
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("nom"), max_length=120)
    kind = models.CharField(
        _("type"), max_length=10, choices=LocationKind.choices, default=LocationKind.ETAGERE
    )
    technician = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="vans",
        verbose_name=_("technicien"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["site", "kind", "code"]
        verbose_name = _("emplacement de stock")
        verbose_name_plural = _("emplacements de stock")
        constraints = [
            models.UniqueConstraint(fields=["site", "code"], name="stock_location_code_unique_per_site"),
            models.UniqueConstraint(
                fields=["site", "technician"],
                condition=models.Q(kind="vehicule"),
                name="stock_location_one_van_per_technician_and_site",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.site.code} · {self.name}"


class StockMove(models.Model):
    """One line of the ledger: a signed quantity of a part entering (+) or leaving (−) a location."""

    part = models.ForeignKey(Part, on_delete=models.PROTECT, related_name="moves", verbose_name=_("pièce"))
    location = models.ForeignKey(
        StockLocation, on_delete=models.PROTECT, related_name="moves", verbose_name=_("emplacement")
    )
    kind = models.CharField(_("mouvement"), max_length=15, choices=MoveKind.choices)
    quantity = models.DecimalField(_("quantité"), **QTY)
    reason = models.CharField(_("motif"), max_length=255, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("par")
    )
    at = models.DateTimeField(_("le"), default=timezone.now)
    case = models.ForeignKey(
        "repairs.RepairCase",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stock_moves",
        verbose_name=_("dossier"),
    )
    repair_order = models.ForeignKey(
        "quotes.RepairOrder",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ordre de réparation"),
    )
    supplier_order_line = models.ForeignKey(
        "stock.SupplierOrderLine",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="moves",
        verbose_name=_("ligne de commande"),
    )

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("mouvement de stock")
        verbose_name_plural = _("mouvements de stock")
        constraints = [
            models.CheckConstraint(condition=~models.Q(quantity=0), name="stock_move_quantity_not_zero"),
        ]
        indexes = [
            models.Index(fields=["part", "location"], name="stock_move_part_location"),
            models.Index(fields=["location", "-at"], name="stock_move_location_at"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.quantity} × {self.part.reference}"


class StockBalance(models.Model):
    """On hand and reserved of a part at a location: the running sum of its moves and active reservations,
    updated in the same transaction as them under a row lock (so reads are one row, not 5 million)."""

    part = models.ForeignKey(Part, on_delete=models.PROTECT, related_name="balances", verbose_name=_("pièce"))
    location = models.ForeignKey(
        StockLocation, on_delete=models.PROTECT, related_name="balances", verbose_name=_("emplacement")
    )
    # The location's site, copied (a location never changes site) so that a part's level on a site and the
    # parts-to-order page read one index range, without a join, among millions of rows.
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+", verbose_name=_("site"))
    on_hand = models.DecimalField(_("en stock"), **QTY, default=0)
    reserved = models.DecimalField(_("réservé"), **QTY, default=0)

    class Meta:
        verbose_name = _("solde de stock")
        verbose_name_plural = _("soldes de stock")
        constraints = [
            models.UniqueConstraint(fields=["part", "location"], name="stock_balance_unique"),
            # The database itself refuses an oversold or negative stock, whatever the code path.
            models.CheckConstraint(condition=models.Q(reserved__gte=0), name="stock_balance_reserved_ok"),
            models.CheckConstraint(
                condition=models.Q(on_hand__gte=models.F("reserved")), name="stock_balance_available_ok"
            ),
        ]
        indexes = [
            models.Index(fields=["location", "part"], name="stock_balance_location_part"),
            models.Index(fields=["site", "part"], name="stock_balance_site_part"),
        ]

    def __str__(self) -> str:
        return f"{self.part.reference} @ {self.location.code} : {self.on_hand}"

    @property
    def available(self):
        return self.on_hand - self.reserved


class ReorderPoint(models.Model):
    """Below `minimum` available on the site, order `order_quantity` (or up to the minimum)."""

    part = models.ForeignKey(
        Part, on_delete=models.CASCADE, related_name="reorder_points", verbose_name=_("pièce")
    )
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+", verbose_name=_("site"))
    minimum = models.DecimalField(_("seuil de réapprovisionnement"), **QTY)
    order_quantity = models.DecimalField(_("quantité à commander"), **QTY)
    # Copies kept by the services in the same transaction as the balances and orders, so the parts-to-order
    # page is one scan of the site's reorder points (services.reorder_point_refresh recomputes them).
    available = models.DecimalField(_("disponible sur le site"), **QTY, default=0, editable=False)
    on_order = models.DecimalField(_("en commande"), **QTY, default=0, editable=False)

    class Meta:
        verbose_name = _("seuil de réapprovisionnement")
        verbose_name_plural = _("seuils de réapprovisionnement")
        constraints = [
            models.UniqueConstraint(fields=["site", "part"], name="stock_reorderpoint_unique"),
            models.CheckConstraint(
                condition=models.Q(minimum__gte=0, order_quantity__gt=0), name="stock_reorderpoint_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.part.reference} @ {self.site.code} : {self.minimum}"

    def save(self, *args, **kwargs):
        """A new reorder point starts from the site's figures (admin, import, demo)."""
        if self._state.adding:
            from atelier.stock.services import reorder_point_figures

            self.available, self.on_order = reorder_point_figures(part_id=self.part_id, site_id=self.site_id)
        super().save(*args, **kwargs)


class Reservation(models.Model):
    """Parts held at a location for a repair order's line until consumed on the dossier or cancelled."""

    order_part = models.ForeignKey(
        "quotes.RepairOrderPart",
        on_delete=models.PROTECT,
        related_name="reservations",
        verbose_name=_("pièce de l'ordre"),
    )
    part = models.ForeignKey(
        Part, on_delete=models.PROTECT, related_name="reservations", verbose_name=_("pièce")
    )
    location = models.ForeignKey(
        StockLocation, on_delete=models.PROTECT, related_name="reservations", verbose_name=_("emplacement")
    )
    quantity = models.DecimalField(_("quantité"), **QTY)
    consumed = models.DecimalField(_("consommée"), **QTY, default=0)
    status = models.CharField(
        _("statut"), max_length=10, choices=ReservationStatus.choices, default=ReservationStatus.ACTIVE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("par")
    )
    created_at = models.DateTimeField(_("le"), default=timezone.now)
    closed_at = models.DateTimeField(_("soldée le"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("réservation")
        verbose_name_plural = _("réservations")
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="stock_reservation_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.part.reference} ({self.get_status_display()})"

    @property
    def remaining(self):
        return self.quantity - self.consumed


# ---------------------------------------------------------------- supplier orders


class SupplierOrder(models.Model):
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+", verbose_name=_("site"))
    supplier = models.ForeignKey(
        Supplier, on_delete=models.PROTECT, related_name="orders", verbose_name=_("fournisseur")
    )
    number = models.CharField(_("n° de commande"), max_length=40)
    status = models.CharField(
        _("statut"), max_length=10, choices=SupplierOrderStatus.choices, default=SupplierOrderStatus.COMMANDEE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("par")
    )
    created_at = models.DateTimeField(_("passée le"), default=timezone.now)
    note = models.TextField(_("remarque"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("commande fournisseur")
        verbose_name_plural = _("commandes fournisseur")

    def __str__(self) -> str:
        return self.number


class SupplierOrderLine(models.Model):
    order = models.ForeignKey(
        SupplierOrder, on_delete=models.CASCADE, related_name="lines", verbose_name=_("commande")
    )
    part = models.ForeignKey(Part, on_delete=models.PROTECT, related_name="+", verbose_name=_("pièce"))
    quantity = models.DecimalField(_("quantité commandée"), **QTY)
    received = models.DecimalField(_("quantité reçue"), **QTY, default=0)
    unit_price_ht = models.DecimalField(_("prix unitaire HT (€)"), **MONEY, default=0)
    repair_order = models.ForeignKey(
        "quotes.RepairOrder",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pour l'ordre de réparation"),
    )

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("ligne de commande fournisseur")
        verbose_name_plural = _("lignes de commande fournisseur")
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="stock_orderline_positive"),
            models.CheckConstraint(
                condition=models.Q(received__gte=0, received__lte=models.F("quantity")),
                name="stock_orderline_received_ok",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.part.reference}"

    @property
    def outstanding(self):
        return self.quantity - self.received


# ---------------------------------------------------------------- inventory


class InventoryCount(models.Model):
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+", verbose_name=_("site"))
    location = models.ForeignKey(
        StockLocation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("emplacement"),
        help_text=_("Vide : tout le site."),
    )
    status = models.CharField(
        _("statut"), max_length=10, choices=InventoryStatus.choices, default=InventoryStatus.EN_COURS
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("ouvert par")
    )
    created_at = models.DateTimeField(_("ouvert le"), default=timezone.now)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("validé par"),
    )
    validated_at = models.DateTimeField(_("validé le"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("inventaire")
        verbose_name_plural = _("inventaires")

    def __str__(self) -> str:
        return f"Inventaire {self.pk} ({self.site.code})"


class InventoryLine(models.Model):
    count = models.ForeignKey(
        InventoryCount, on_delete=models.CASCADE, related_name="lines", verbose_name=_("inventaire")
    )
    part = models.ForeignKey(Part, on_delete=models.PROTECT, related_name="+", verbose_name=_("pièce"))
    location = models.ForeignKey(
        StockLocation, on_delete=models.PROTECT, related_name="+", verbose_name=_("emplacement")
    )
    expected = models.DecimalField(_("attendu"), **QTY)
    counted = models.DecimalField(_("compté"), **QTY, null=True, blank=True)

    class Meta:
        ordering = ["location", "part__reference"]
        constraints = [
            models.UniqueConstraint(fields=["count", "part", "location"], name="stock_inventoryline_unique"),
            models.CheckConstraint(
                condition=models.Q(counted__gte=0) | models.Q(counted__isnull=True),
                name="stock_inventory_counted_ok",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.part.reference} @ {self.location.code}"

    @property
    def difference(self):
        return None if self.counted is None else self.counted - self.expected
