"""The ledger: locations, moves and their balance rows, reorder points, reservations for repair orders."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atelier.core.models import Site
from atelier.core.scoping import SiteScopedManager
from atelier.stock.choices import LocationKind, MoveKind, ReservationStatus
from atelier.stock.models.catalogue import Part

QTY = {"max_digits": 9, "decimal_places": 2}


class StockLocation(models.Model):
    """Where parts are kept on a site: a shelf, or the van of a technician."""

    site_path = "site"
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

    objects = SiteScopedManager()

    class Meta:
        ordering = ["site", "kind", "code"]
        verbose_name = _("emplacement de stock")
        verbose_name_plural = _("emplacements de stock")
        constraints = [
            models.UniqueConstraint(fields=["site", "code"], name="stock_location_code_unique_per_site"),
            models.UniqueConstraint(
                fields=["site", "technician"],
                condition=models.Q(kind=LocationKind.VEHICULE),
                name="stock_location_one_van_per_technician_and_site",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.site.code} · {self.name}"


class StockMove(models.Model):
    """One line of the ledger: a signed quantity of a part entering (+) or leaving (−) a location."""

    site_path = "site"
    part = models.ForeignKey(Part, on_delete=models.PROTECT, related_name="moves", verbose_name=_("pièce"))
    location = models.ForeignKey(
        StockLocation, on_delete=models.PROTECT, related_name="moves", verbose_name=_("emplacement")
    )
    # The location's site, copied (a location never changes site; services.ledger sets it): the moves of a site
    # are then one range of an index in the list's order, not every move of its locations sorted (issue 16).
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="+", db_index=False, verbose_name=_("site")
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

    objects = SiteScopedManager()

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
            # the moves list, newest first: per site (its index starts with the site) and across sites
            models.Index(fields=["site", "-at", "-id"], name="stock_move_site_at"),
            models.Index(fields=["-at", "-id"], name="stock_move_at"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.quantity} × {self.part.reference}"


class StockBalance(models.Model):
    """On hand and reserved of a part at a location: the running sum of its moves and active reservations,
    updated in the same transaction as them under a row lock (so reads are one row, not 5 million)."""

    site_path = "site"
    part = models.ForeignKey(Part, on_delete=models.PROTECT, related_name="balances", verbose_name=_("pièce"))
    location = models.ForeignKey(
        StockLocation, on_delete=models.PROTECT, related_name="balances", verbose_name=_("emplacement")
    )
    # The location's site, copied (a location never changes site) so that a part's level on a site and the
    # parts-to-order page read one index range, without a join, among millions of rows.
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+", verbose_name=_("site"))
    on_hand = models.DecimalField(_("en stock"), **QTY, default=0)
    reserved = models.DecimalField(_("réservé"), **QTY, default=0)

    objects = SiteScopedManager()

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

    site_path = "site"
    part = models.ForeignKey(
        Part, on_delete=models.CASCADE, related_name="reorder_points", verbose_name=_("pièce")
    )
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+", verbose_name=_("site"))
    minimum = models.DecimalField(_("seuil de réapprovisionnement"), **QTY)
    order_quantity = models.DecimalField(_("quantité à commander"), **QTY)
    # Copies kept by the services in the same transaction as the balances and orders, so the parts-to-order
    # page is one scan of the site's reorder points (services.reorder_point_set starts them from the
    # site's figures, services.reorder_point_refresh recomputes them).
    available = models.DecimalField(_("disponible sur le site"), **QTY, default=0, editable=False)
    on_order = models.DecimalField(_("en commande"), **QTY, default=0, editable=False)

    objects = SiteScopedManager()

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


class Reservation(models.Model):
    """Parts held at a location for a repair order's line until consumed on the dossier or cancelled."""

    site_path = "location__site"
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

    objects = SiteScopedManager()

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

    @property
    def is_held(self) -> bool:
        """Still holding parts (not cancelled, not fully consumed)."""
        return self.status == ReservationStatus.ACTIVE
