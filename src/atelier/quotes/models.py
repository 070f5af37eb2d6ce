"""Solutions, quotes (devis) with versions, repair orders, and the rules kept as data (used parts, bonus,
repairability thresholds)."""

from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atelier.core.choices import VatKind
from atelier.core.models import Site, User
from atelier.core.scoping import SiteScopedManager
from atelier.customers.choices import ProductFamily
from atelier.quotes.choices import (
    AcceptanceContext,
    ExemptionCheck,
    LineKind,
    PartAction,
    QuoteStatus,
    SendChannel,
)
from atelier.repairs.models import RepairCase
from atelier.stock.choices import PartCondition, PartKind
from atelier.stock.models import Part

MONEY = {"max_digits": 10, "decimal_places": 2}


# ---------------------------------------------------------------- rules as data (editable in the admin)


class UsedPartCoverage(models.Model):
    """A product family (and optionally one kind of part) for which a used-part offer is compulsory.

    Code de la consommation L224-109, R224-30 to R224-32 and D224-33 to D224-37 (EEE since 2022).
    An empty part kind means every kind of part of the family.
    """

    family = models.CharField(_("famille de produit"), max_length=25, choices=ProductFamily.choices)
    part_kind = models.CharField(_("type de pièce"), max_length=20, choices=PartKind.choices, blank=True)
    valid_from = models.DateField(_("en vigueur à partir du"))
    legal_basis = models.CharField(_("texte"), max_length=200, blank=True)

    class Meta:
        ordering = ["family", "part_kind"]
        verbose_name = _("obligation de pièce d'occasion")
        verbose_name_plural = _("obligations de pièces d'occasion")
        constraints = [
            models.UniqueConstraint(fields=["family", "part_kind"], name="quotes_usedpart_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_family_display()} · " + str(self.get_part_kind_display() or _("toutes pièces"))


class UsedPartExemption(models.Model):
    """A lawful reason not to offer used or refurbished parts (L224-109: free repairs and repairs under the
    legal guarantees are outside the obligation; R224-32: parts not available in time, or a risk). The
    repairer chooses one of these rows, never types a reason; those Atelier can see itself are applied
    automatically (detected)."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    label = models.CharField(_("motif"), max_length=200)
    legal_basis = models.CharField(_("texte"), max_length=200)
    detected = models.CharField(
        _("constat"), max_length=20, choices=ExemptionCheck.choices, default=ExemptionCheck.CHOISIE
    )
    valid_from = models.DateField(_("en vigueur à partir du"))
    valid_until = models.DateField(_("jusqu'au"), null=True, blank=True)

    class Meta:
        ordering = ["valid_from", "code"]
        verbose_name = _("exception à l'offre de pièce d'occasion")
        verbose_name_plural = _("exceptions à l'offre de pièce d'occasion")

    def __str__(self) -> str:
        return f"{self.label} ({self.legal_basis})"


class WithdrawalRule(models.Model):
    """The consumer's withdrawal period for a contract concluded off-premises or at a distance (Code de la
    consommation L221-18), from a date of effect: no figure lives in code."""

    days = models.PositiveSmallIntegerField(_("délai de rétractation (jours)"))
    valid_from = models.DateField(_("en vigueur à partir du"), unique=True)
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("délai de rétractation")
        verbose_name_plural = _("délais de rétractation")

    def __str__(self) -> str:
        return f"{self.days} j ({self.valid_from:%d/%m/%Y})"


class BonusLabel(models.Model):
    """A site's repairer label (QualiRépar) for the repair bonus, between two dates."""

    site = models.ForeignKey(
        Site, on_delete=models.CASCADE, related_name="bonus_labels", verbose_name=_("site")
    )
    label_number = models.CharField(_("n° de labellisation"), max_length=40)
    valid_from = models.DateField(_("labellisé à partir du"))
    valid_until = models.DateField(_("jusqu'au"), null=True, blank=True)

    site_path = "site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["site", "-valid_from"]
        verbose_name = _("label QualiRépar")
        verbose_name_plural = _("labels QualiRépar")

    def __str__(self) -> str:
        return f"{self.site.code} · {self.label_number}"


class RepairBonusRate(models.Model):
    """The repair bonus amount of an appliance category from a date of effect (no amount lives in code)."""

    family = models.CharField(_("famille de produit"), max_length=25, choices=ProductFamily.choices)
    category = models.CharField(_("catégorie du barème"), max_length=120)
    amount = models.DecimalField(_("montant du bonus TTC (€)"), **MONEY)
    min_repair_ttc = models.DecimalField(
        _("montant minimal de la réparation TTC (€)"),
        **MONEY,
        default=Decimal("0.00"),
        help_text=_("Le bonus ne s'applique pas en dessous ; il ne dépasse jamais le coût de la réparation."),
    )
    valid_from = models.DateField(_("en vigueur à partir du"))
    valid_until = models.DateField(_("jusqu'au"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        ordering = ["family", "-valid_from"]
        verbose_name = _("montant du bonus réparation")
        verbose_name_plural = _("montants du bonus réparation")
        constraints = [
            models.UniqueConstraint(fields=["family", "valid_from"], name="quotes_bonus_unique_per_date"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="quotes_bonus_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.category} : {self.amount} € ({self.valid_from:%d/%m/%Y})"


class RepairabilityRule(models.Model):
    """Per family: price of a comparable new appliance and the thresholds of the repair recommendation."""

    family = models.CharField(
        _("famille de produit"), max_length=25, choices=ProductFamily.choices, unique=True
    )
    replacement_price_ttc = models.DecimalField(_("prix d'un appareil neuf comparable TTC (€)"), **MONEY)
    max_ratio_percent = models.PositiveSmallIntegerField(
        _("coût de réparation maximal (% du neuf)"), help_text=_("Au-delà, la réparation est déconseillée.")
    )
    max_age_years = models.PositiveSmallIntegerField(
        _("âge maximal conseillé (ans)"), help_text=_("Au-delà, seule une pièce d'occasion est conseillée.")
    )

    class Meta:
        ordering = ["family"]
        verbose_name = _("règle de réparabilité")
        verbose_name_plural = _("règles de réparabilité")

    def __str__(self) -> str:
        return f"{self.get_family_display()} : {self.max_ratio_percent} % / {self.max_age_years} ans"


# ---------------------------------------------------------------- solutions


class Solution(models.Model):
    """One way to repair the dossier's appliance: actions, labour hours, parts; shown side by side."""

    case = models.ForeignKey(
        RepairCase, on_delete=models.CASCADE, related_name="solutions", verbose_name=_("dossier")
    )
    title = models.CharField(_("intitulé"), max_length=120)
    work_description = models.TextField(_("travaux à réaliser"))
    labour_hours = models.DecimalField(_("heures de main-d'œuvre"), max_digits=5, decimal_places=2)
    include_travel = models.BooleanField(_("frais de déplacement"), default=False)
    include_diagnosis = models.BooleanField(_("forfait diagnostic"), default=False)
    replacement_price_ttc = models.DecimalField(
        _("prix d'un appareil neuf comparable TTC (€)"),
        **MONEY,
        null=True,
        blank=True,
        help_text=_("Laisser vide pour prendre le prix de référence de la famille."),
    )
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("par"))
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)

    site_path = "case__site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["case", "pk"]
        verbose_name = _("solution")
        verbose_name_plural = _("solutions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(labour_hours__gte=0) & models.Q(labour_hours__lte=200),
                name="quotes_solution_hours_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class SolutionPart(models.Model):
    solution = models.ForeignKey(
        Solution, on_delete=models.CASCADE, related_name="parts", verbose_name=_("solution")
    )
    part = models.ForeignKey(Part, on_delete=models.PROTECT, related_name="+", verbose_name=_("pièce"))
    quantity = models.PositiveSmallIntegerField(_("quantité"), default=1)

    site_path = "solution__case__site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["solution", "pk"]
        verbose_name = _("pièce de la solution")
        verbose_name_plural = _("pièces de la solution")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1) & models.Q(quantity__lte=99),
                name="quotes_solpart_qty_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.part.reference}"


# ---------------------------------------------------------------- quotes


class Quote(models.Model):
    """A quote (devis) of a dossier, one version; sent means numbered and frozen, accepted means for good."""

    case = models.ForeignKey(
        RepairCase, on_delete=models.PROTECT, related_name="quotes", verbose_name=_("dossier")
    )
    version = models.PositiveSmallIntegerField(_("version"))
    number = models.CharField(_("n° de devis"), max_length=40, blank=True)
    status = models.CharField(
        _("état"), max_length=12, choices=QuoteStatus.choices, default=QuoteStatus.BROUILLON, db_index=True
    )
    solution = models.ForeignKey(
        Solution,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="quotes",
        verbose_name=_("solution choisie"),
    )
    nature_of_work = models.TextField(_("nature exacte de la réparation"))
    place_of_work = models.CharField(_("lieu d'intervention"), max_length=255)
    issued_on = models.DateField(_("date du devis"), default=timezone.localdate)
    valid_until = models.DateField(_("valable jusqu'au"))
    is_charged = models.BooleanField(_("devis payant"), default=False)
    charge_ht = models.DecimalField(_("prix du devis HT (€)"), **MONEY, default=Decimal("0.00"))
    used_part_info = models.TextField(
        _("information pièces issues de l'économie circulaire"),
        blank=True,
        help_text=_(
            "L'offre de pièce d'occasion ou reconditionnée, ou la raison pour laquelle il n'y en a pas."
        ),
    )
    used_part_exemption = models.ForeignKey(
        UsedPartExemption,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pas d'offre de pièce d'occasion : motif"),
    )
    bonus_rate = models.ForeignKey(
        RepairBonusRate,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bonus réparation"),
    )
    bonus_amount = models.DecimalField(_("bonus réparation déduit TTC (€)"), **MONEY, default=Decimal("0.00"))
    total_ht = models.DecimalField(_("total HT (€)"), **MONEY, default=Decimal("0.00"))
    total_vat = models.DecimalField(_("TVA (€)"), **MONEY, default=Decimal("0.00"))
    total_ttc = models.DecimalField(_("total TTC (€)"), **MONEY, default=Decimal("0.00"))
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("établi par")
    )
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    sent_channel = models.CharField(_("envoi"), max_length=10, choices=SendChannel.choices, blank=True)
    decided_at = models.DateTimeField(_("décision le"), null=True, blank=True)
    signer_name = models.CharField(_("nom du signataire"), max_length=150, blank=True)
    signature = models.TextField(_("signature (image)"), blank=True, help_text=_("Image PNG en data URL."))
    acceptance_context = models.CharField(
        _("lieu de l'acceptation"), max_length=20, choices=AcceptanceContext.choices, blank=True
    )
    urgent_home_repair = models.BooleanField(
        _("réparation urgente à domicile demandée par le client"),
        default=False,
        help_text=_("Pas de droit de rétractation (Code de la consommation L221-28 8°)."),
    )
    withdrawal_days = models.PositiveSmallIntegerField(
        _("délai de rétractation (jours)"), null=True, blank=True
    )
    withdrawal_ends_on = models.DateField(_("fin du délai de rétractation"), null=True, blank=True)
    early_start_at = models.DateTimeField(
        _("demande expresse de commencer avant la fin du délai, le"), null=True, blank=True
    )
    early_start_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("demande notée par"),
        help_text=_("Vide : le client l'a cochée lui-même en ligne."),
    )
    refusal_reason = models.TextField(_("motif du refus"), blank=True)
    diagnosis_fee_ht = models.DecimalField(
        _("forfait diagnostic facturé HT (€)"),
        **MONEY,
        default=Decimal("0.00"),
        help_text=_("Facturé au client qui refuse le devis, s'il en a été convenu."),
    )

    site_path = "case__site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["case", "-version"]
        verbose_name = _("devis")
        verbose_name_plural = _("devis")
        constraints = [
            models.UniqueConstraint(fields=["case", "version"], name="quotes_quote_version_unique"),
            models.CheckConstraint(
                condition=models.Q(charge_ht__gte=0), name="quotes_quote_charge_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(bonus_amount__gte=0), name="quotes_quote_bonus_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.number or _("Devis v%(v)s (brouillon)") % {"v": self.version}

    @property
    def net_to_pay(self) -> Decimal:
        return self.total_ttc - self.bonus_amount

    @property
    def is_frozen(self) -> bool:
        return self.status != QuoteStatus.BROUILLON

    @property
    def has_withdrawal_right(self) -> bool:
        """Accepted off-premises or at a distance, and not the urgent home repair of L221-28 8°."""
        return self.withdrawal_ends_on is not None

    @property
    def charge_ttc(self) -> Decimal | None:
        """The charged quote's price as the consumer reads it (TTC, rate of the quote's date)."""
        from atelier.quotes.pricing import service_ttc

        return service_ttc(self.charge_ht, self.issued_on)

    @property
    def diagnosis_fee_ttc(self) -> Decimal | None:
        from atelier.quotes.pricing import service_ttc

        return service_ttc(self.diagnosis_fee_ht, self.issued_on)


class QuoteLine(models.Model):
    """A line of a quote; price and VAT are copied here, never read back from the catalogue or tariffs."""

    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="lines", verbose_name=_("devis"))
    position = models.PositiveSmallIntegerField(_("rang"))
    kind = models.CharField(_("type"), max_length=15, choices=LineKind.choices)
    part = models.ForeignKey(
        Part, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("pièce")
    )
    part_condition = models.CharField(
        _("état de la pièce"), max_length=15, choices=PartCondition.choices, blank=True
    )
    designation = models.CharField(_("désignation"), max_length=200)
    quantity = models.DecimalField(_("quantité"), max_digits=7, decimal_places=2)
    unit_price_ht = models.DecimalField(_("prix unitaire HT (€)"), **MONEY)
    vat_kind = models.CharField(_("TVA"), max_length=20, choices=VatKind.choices)
    vat_rate = models.DecimalField(_("taux de TVA (%)"), max_digits=5, decimal_places=2)
    total_ht = models.DecimalField(_("montant HT (€)"), **MONEY)
    vat = models.DecimalField(_("TVA (€)"), **MONEY)
    lead_time_days = models.PositiveSmallIntegerField(_("délai (jours)"), default=0)

    site_path = "quote__case__site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["quote", "position", "pk"]
        verbose_name = _("ligne de devis")
        verbose_name_plural = _("lignes de devis")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0) & models.Q(quantity__lte=999), name="quotes_line_qty_range"
            ),
            models.CheckConstraint(
                condition=models.Q(unit_price_ht__gte=0), name="quotes_line_price_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.designation

    @property
    def total_ttc(self) -> Decimal:
        return self.total_ht + self.vat


# ---------------------------------------------------------------- repair orders


class RepairOrder(models.Model):
    """The repair order (ordre de réparation) created from an accepted quote: what to do, where, by when."""

    quote = models.OneToOneField(
        Quote, on_delete=models.PROTECT, related_name="repair_order", verbose_name=_("devis")
    )
    case = models.ForeignKey(
        RepairCase, on_delete=models.PROTECT, related_name="repair_orders", verbose_name=_("dossier")
    )
    number = models.CharField(_("n° d'ordre"), max_length=40)
    work_to_do = models.TextField(_("travaux à réaliser"))
    location = models.CharField(_("lieu"), max_length=10)
    promised_on = models.DateField(_("délai promis au client"))
    skills = models.CharField(_("compétences requises"), max_length=255, blank=True)
    tools = models.CharField(_("outillage requis"), max_length=255, blank=True)
    technician = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="repair_orders",
        verbose_name=_("technicien"),
    )
    planned_for = models.DateTimeField(_("intervention prévue le"), null=True, blank=True)
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("établi par")
    )
    created_at = models.DateTimeField(_("établi le"), default=timezone.now)

    site_path = "case__site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("ordre de réparation")
        verbose_name_plural = _("ordres de réparation")

    def __str__(self) -> str:
        return self.number

    @property
    def skill_labels(self) -> list[str]:
        from atelier.quotes.skills import labels, skill_choices

        return labels(self.skills, skill_choices())

    @property
    def tool_labels(self) -> list[str]:
        from atelier.quotes.skills import labels, tool_choices

        return labels(self.tools, tool_choices()) if self.tools else []


class RepairOrderPart(models.Model):
    order = models.ForeignKey(
        RepairOrder, on_delete=models.CASCADE, related_name="parts", verbose_name=_("ordre")
    )
    part = models.ForeignKey(Part, on_delete=models.PROTECT, related_name="+", verbose_name=_("pièce"))
    quantity = models.DecimalField(_("quantité"), max_digits=7, decimal_places=2)
    action = models.CharField(_("approvisionnement"), max_length=10, choices=PartAction.choices)
    lead_time_days = models.PositiveSmallIntegerField(_("délai (jours)"), default=0)

    site_path = "order__case__site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("pièce de l'ordre")
        verbose_name_plural = _("pièces de l'ordre")

    def __str__(self) -> str:
        return f"{self.quantity} × {self.part.reference}"
