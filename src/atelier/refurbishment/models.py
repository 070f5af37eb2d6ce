"""Second life of appliances: the shop's own stock of appliances (abandoned, traded in, donated, collected),
their ledger of moves, the triage checklists per family (data) and each triage with its checks, the letters
that start the notice period of an abandoned appliance, and the inventory counts."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atelier.core.models import Site
from atelier.core.scoping import SiteScopedManager
from atelier.core.validators import validate_no_new_claim
from atelier.customers.choices import ProductFamily
from atelier.customers.models import Customer
from atelier.refurbishment.choices import (
    ApplianceState,
    LetterMethod,
    LotKind,
    MoveKind,
    Origin,
    TriageOutcome,
)
from atelier.repairs.models import RepairCase
from atelier.stock.models import StockLocation

MONEY = {"max_digits": 10, "decimal_places": 2}
USER = settings.AUTH_USER_MODEL

# ---------------------------------------------------------------- abandoned dossiers


class AbandonNoticeRule(models.Model):
    """How many days after the letter to the customer an appliance left at the shop may enter its stock: the
    site's own period (its terms of sale) or, with no site, the default of every site; dated (data, not code)."""

    site = models.ForeignKey(
        Site,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("site"),
        help_text=_("Vide : la règle de tous les sites qui n'ont pas la leur."),
    )
    days = models.PositiveSmallIntegerField(_("délai après la lettre (jours)"))
    valid_from = models.DateField(_("lettres envoyées à partir du"))
    legal_basis = models.CharField(_("fondement"), max_length=255)
    set_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("par")
    )

    class Meta:
        ordering = ["site", "-valid_from"]
        verbose_name = _("délai d'abandon")
        verbose_name_plural = _("délais d'abandon")
        constraints = [
            models.UniqueConstraint(fields=["site", "valid_from"], name="refurb_notice_unique"),
            models.CheckConstraint(condition=Q(days__gt=0), name="refurb_notice_days_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.days} j ({self.legal_basis})"


class AbandonLetter(models.Model):
    """The letter telling the customer to collect an appliance left at the shop (mise en demeure): the notice
    period of the site runs from the day it was sent."""

    site_path = "case__site"
    case = models.OneToOneField(
        RepairCase, on_delete=models.PROTECT, related_name="abandon_letter", verbose_name=_("dossier")
    )
    sent_on = models.DateField(_("envoyée le"))
    method = models.CharField(_("envoi"), max_length=12, choices=LetterMethod.choices)
    reference = models.CharField(_("n° de recommandé"), max_length=40, blank=True)
    notice_days = models.PositiveSmallIntegerField(_("délai (jours)"))
    legal_basis = models.CharField(_("fondement"), max_length=255)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("par"))
    recorded_at = models.DateTimeField(_("enregistrée le"), default=timezone.now)

    objects = SiteScopedManager()

    class Meta:
        ordering = ["-sent_on", "-pk"]
        verbose_name = _("lettre de mise en demeure")
        verbose_name_plural = _("lettres de mise en demeure")

    def __str__(self) -> str:
        return f"{self.case.number} · {self.sent_on:%d/%m/%Y}"

    @property
    def due_on(self):
        """The first day the appliance may enter stock."""
        import datetime

        return self.sent_on + datetime.timedelta(days=self.notice_days)


# ---------------------------------------------------------------- lots and appliances


class CollectionLot(models.Model):
    """A lot of appliances received from an eco-organism or a partner, with its delivery note."""

    site_path = "site"
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+", verbose_name=_("site"))
    number = models.CharField(_("n° de lot"), max_length=40, unique=True)
    kind = models.CharField(_("provenance"), max_length=15, choices=LotKind.choices)
    partner = models.CharField(_("éco-organisme ou partenaire"), max_length=150)
    delivery_note = models.CharField(_("n° de bon de livraison"), max_length=60)
    received_on = models.DateField(_("reçu le"))
    notes = models.TextField(_("remarques"), blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("par"))
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)

    objects = SiteScopedManager()

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("lot de collecte")
        verbose_name_plural = _("lots de collecte")

    def __str__(self) -> str:
        return f"{self.number} · {self.partner}"


class StockAppliance(models.Model):
    """An appliance of the shop's own stock (second life): its identity, where it came from, its state, where
    it is and for whom it is reserved. Every change writes a line of its ledger (ApplianceMove)."""

    site_path = "site"
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+", verbose_name=_("site"))
    number = models.CharField(_("n° d'appareil"), max_length=40, unique=True)
    family = models.CharField(_("famille"), max_length=25, choices=ProductFamily.choices)
    brand = models.CharField(_("marque"), max_length=80)
    model_ref = models.CharField(_("modèle"), max_length=120, blank=True)
    serial_number = models.CharField(_("n° de série"), max_length=80, blank=True, db_index=True)
    origin = models.CharField(_("origine"), max_length=10, choices=Origin.choices)
    lot = models.ForeignKey(
        CollectionLot,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appliances",
        verbose_name=_("lot"),
    )
    case = models.OneToOneField(
        RepairCase,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="abandoned_appliance",
        verbose_name=_("dossier abandonné"),
    )
    origin_note = models.CharField(
        _("précision sur l'origine"),
        max_length=255,
        blank=True,
        help_text=_("Donateur, achat de la reprise…"),
    )
    trade_in_value = models.DecimalField(_("valeur de reprise TTC (€)"), **MONEY, null=True, blank=True)
    weight_kg = models.DecimalField(_("poids (kg)"), max_digits=6, decimal_places=1, null=True, blank=True)
    state = models.CharField(
        _("état"), max_length=20, choices=ApplianceState.choices, default=ApplianceState.A_TRIER
    )
    triage_outcome = models.CharField(
        _("résultat du tri"), max_length=15, choices=TriageOutcome.choices, blank=True
    )
    location = models.ForeignKey(
        StockLocation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("emplacement"),
    )
    reserved_for = models.ForeignKey(
        Customer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("réservé pour"),
    )
    reserved_until = models.DateField(_("réservé jusqu'au"), null=True, blank=True)
    sold_to = models.ForeignKey(
        Customer, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("vendu à")
    )
    sale_price = models.DecimalField(_("prix de vente TTC (€)"), **MONEY, null=True, blank=True)
    entered_at = models.DateTimeField(_("entré le"), default=timezone.now)
    entered_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("par"))

    objects = SiteScopedManager()

    class Meta:
        ordering = ["-entered_at", "-pk"]
        verbose_name = _("appareil en stock")
        verbose_name_plural = _("appareils en stock")
        constraints = [
            models.CheckConstraint(
                condition=Q(trade_in_value__isnull=True) | Q(trade_in_value__gte=0),
                name="refurb_trade_in_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(sale_price__isnull=True) | Q(sale_price__gte=0), name="refurb_sale_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(weight_kg__isnull=True) | Q(weight_kg__gt=0), name="refurb_weight_positive"
            ),
            # sold means a price; a reservation names its customer and its end
            models.CheckConstraint(
                condition=~Q(state=ApplianceState.VENDU) | Q(sale_price__isnull=False),
                name="refurb_sold_has_price",
            ),
            models.CheckConstraint(
                condition=Q(reserved_for__isnull=True, reserved_until__isnull=True)
                | Q(reserved_for__isnull=False, reserved_until__isnull=False),
                name="refurb_reservation_complete",
            ),
        ]
        indexes = [models.Index(fields=["site", "state", "family"], name="refurb_stock_site_state")]

    def __str__(self) -> str:
        return f"{self.number} · {self.get_family_display()} {self.brand} {self.model_ref}".strip()


class ApplianceMove(models.Model):
    """One line of an appliance's ledger: who did what, when, from where to where, for whom and at what price.
    `quantity` is +1 for an entry, −1 for an exit (sale, scrapping, missing at a count), 0 otherwise, so the
    stock of a site is the sum of its lines."""

    site_path = "appliance__site"
    appliance = models.ForeignKey(
        StockAppliance, on_delete=models.PROTECT, related_name="moves", verbose_name=_("appareil")
    )
    kind = models.CharField(_("mouvement"), max_length=16, choices=MoveKind.choices)
    quantity = models.SmallIntegerField(_("quantité"), default=0)
    state_before = models.CharField(
        _("état avant"), max_length=20, choices=ApplianceState.choices, blank=True
    )
    state_after = models.CharField(_("état après"), max_length=20, choices=ApplianceState.choices)
    from_location = models.ForeignKey(
        StockLocation, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("de")
    )
    to_location = models.ForeignKey(
        StockLocation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vers"),
    )
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("client")
    )
    price = models.DecimalField(_("prix TTC (€)"), **MONEY, null=True, blank=True)
    reason = models.CharField(_("motif"), max_length=255, blank=True)
    actor = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("par"))
    at = models.DateTimeField(_("le"), default=timezone.now)

    objects = SiteScopedManager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("mouvement d'appareil")
        verbose_name_plural = _("mouvements d'appareils")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__in=[-1, 0, 1]), name="refurb_move_quantity_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.appliance.number}"


# ---------------------------------------------------------------- triage (C1.14)


class TriageCheck(models.Model):
    """One check of a family's triage checklist (data, seeded, editable in the administration)."""

    family = models.CharField(_("famille"), max_length=25, choices=ProductFamily.choices)
    code = models.SlugField(_("code"), max_length=40)
    # « comme neuf »… refused in every wording of the second life (core.validators, décret 2022-190)
    label = models.CharField(_("contrôle"), max_length=200, validators=[validate_no_new_claim])
    expected = models.CharField(_("attendu"), max_length=255, validators=[validate_no_new_claim])
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)
    is_active = models.BooleanField(_("actif"), default=True)

    class Meta:
        ordering = ["family", "order", "pk"]
        verbose_name = _("contrôle de tri")
        verbose_name_plural = _("contrôles de tri")
        constraints = [models.UniqueConstraint(fields=["family", "code"], name="refurb_check_unique")]

    def __str__(self) -> str:
        return self.label


class Triage(models.Model):
    """The triage of an appliance: its checks and one of the three outcomes of the référentiel."""

    site_path = "appliance__site"
    appliance = models.ForeignKey(
        StockAppliance, on_delete=models.PROTECT, related_name="triages", verbose_name=_("appareil")
    )
    outcome = models.CharField(_("résultat"), max_length=15, choices=TriageOutcome.choices)
    notes = models.TextField(_("observations"), blank=True)
    done_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("par"))
    done_at = models.DateTimeField(_("le"), default=timezone.now)

    objects = SiteScopedManager()

    class Meta:
        ordering = ["-done_at", "-pk"]
        verbose_name = _("tri")
        verbose_name_plural = _("tris")

    def __str__(self) -> str:
        return f"{self.appliance.number} · {self.get_outcome_display()}"


class TriageResult(models.Model):
    """One check of a triage as done: passed or failed, with what was seen (label copied: the list may
    change)."""

    triage = models.ForeignKey(
        Triage, on_delete=models.CASCADE, related_name="results", verbose_name=_("tri")
    )
    check_item = models.ForeignKey(
        TriageCheck, on_delete=models.PROTECT, related_name="+", verbose_name=_("contrôle")
    )
    label = models.CharField(_("contrôle"), max_length=200)
    passed = models.BooleanField(_("conforme"))
    note = models.CharField(_("constat"), max_length=255, blank=True)

    class Meta:
        ordering = ["triage", "pk"]
        verbose_name = _("contrôle fait")
        verbose_name_plural = _("contrôles faits")
        constraints = [
            models.UniqueConstraint(fields=["triage", "check_item"], name="refurb_result_unique"),
        ]

    def __str__(self) -> str:
        return self.label


# ---------------------------------------------------------------- inventory counts


class ApplianceCount(models.Model):
    """An inventory count of the appliances of a site (or one location): what was expected, what was found."""

    site_path = "site"
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+", verbose_name=_("site"))
    location = models.ForeignKey(
        StockLocation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("emplacement"),
    )
    counted_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("par"))
    counted_at = models.DateTimeField(_("le"), default=timezone.now)
    expected = models.PositiveIntegerField(_("attendus"))
    found = models.PositiveIntegerField(_("trouvés"))
    missing = models.PositiveIntegerField(_("manquants"))
    extra = models.PositiveIntegerField(_("trouvés hors liste"))

    objects = SiteScopedManager()

    class Meta:
        ordering = ["-counted_at", "-pk"]
        verbose_name = _("inventaire d'appareils")
        verbose_name_plural = _("inventaires d'appareils")

    def __str__(self) -> str:
        return f"{self.site.code} · {self.counted_at:%d/%m/%Y}"


class ApplianceCountLine(models.Model):
    """One appliance of a count: expected here and found, missing, or found here though not expected."""

    count = models.ForeignKey(ApplianceCount, on_delete=models.CASCADE, related_name="lines")
    appliance = models.ForeignKey(StockAppliance, on_delete=models.PROTECT, related_name="+")
    expected = models.BooleanField(_("attendu"))
    found = models.BooleanField(_("trouvé"))

    class Meta:
        ordering = ["count", "pk"]
        verbose_name = _("ligne d'inventaire d'appareils")
        verbose_name_plural = _("lignes d'inventaire d'appareils")
        constraints = [
            models.UniqueConstraint(fields=["count", "appliance"], name="refurb_count_line_unique"),
        ]

    def __str__(self) -> str:
        return self.appliance.number


# Dismantling (issue 20 point 4) lives in its own module; imported here so Django registers its models.
from atelier.refurbishment.dismantling import RecoveredPart, SubAssembly, WeeeDeparture  # noqa: E402, F401

# Refurbishment procedures, grades, results, parts and erasures (issue 20, point 3) live in their own module.
from atelier.refurbishment.models_procedures import (  # noqa: E402,F401
    CosmeticGrade,
    DataErasure,
    ProcedureStep,
    Refurbishment,
    RefurbishmentPart,
    StepResult,
)
from atelier.refurbishment.models_resale import ApplianceSale, UsedGoodsGuarantee  # noqa: E402,F401
