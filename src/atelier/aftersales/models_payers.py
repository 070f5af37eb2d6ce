"""Third-party payers (issue 18 point 3): who pays, their filing deadlines as dated data, the split of a
dossier's invoice lines between them, and each payer's claim (its B2B invoice, its claim file, its states)."""

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atelier.aftersales.choices import ClaimFileItem, PayerClaimState, PayerKind, ShareMode
from atelier.core.models import Site, User
from atelier.core.scoping import SiteScopedManager
from atelier.repairs.models import RepairCase

MONEY = {"max_digits": 10, "decimal_places": 2}


class Payer(models.Model):
    """A manufacturer, an insurer, an extended-warranty company or the shop's own goodwill: shared data of the
    network (edited in the administration). A payer other than the shop's goodwill gets a B2B invoice, which
    needs its SIREN; its VAT number is printed only when known (never derived)."""

    kind = models.CharField(_("type"), max_length=15, choices=PayerKind.choices)
    name = models.CharField(_("nom"), max_length=150, unique=True)
    siren = models.CharField(_("SIREN"), max_length=9, blank=True)
    vat_number = models.CharField(_("n° de TVA intracommunautaire"), max_length=20, blank=True)
    address = models.CharField(_("adresse"), max_length=255, blank=True)
    postcode = models.CharField(_("code postal"), max_length=10, blank=True)
    city = models.CharField(_("ville"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail des demandes"), blank=True)
    requires = models.JSONField(
        _("pièces exigées dans le dossier de demande"),
        default=list,
        blank=True,
        help_text=_("Codes : %(codes)s.") % {"codes": ", ".join(ClaimFileItem.values)},
    )
    active = models.BooleanField(_("actif"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("payeur tiers")
        verbose_name_plural = _("payeurs tiers")
        constraints = [
            models.CheckConstraint(
                condition=Q(siren="") | Q(siren__regex=r"^[0-9]{9}$"), name="aftersales_payer_siren_9_digits"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display().lower()})"

    @property
    def invoiced(self) -> bool:
        """The shop's goodwill is a reduction of the customer's invoice: nobody to invoice."""
        return self.kind != PayerKind.GESTE_ATELIER

    def required_items(self) -> list[str]:
        return [code for code in ClaimFileItem.values if code in (self.requires or [])]

    def deadline_on(self, on: datetime.date) -> "PayerDeadline | None":
        """The filing deadline in force on a day, read from `deadlines.all()` (prefetch it for a list)."""
        rules = [rule for rule in self.deadlines.all() if rule.valid_from <= on]
        return max(rules, key=lambda rule: rule.valid_from) if rules else None

    def required_labels(self) -> list[str]:
        return [str(ClaimFileItem(code).label) for code in self.required_items()]

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        unknown = [code for code in (self.requires or []) if code not in ClaimFileItem.values]
        if unknown:
            raise ValidationError(
                {"requires": _("Pièces inconnues : %(c)s.") % {"c": ", ".join(map(str, unknown))}}
            )


class PayerDeadline(models.Model):
    """How many days a payer gives to file a claim, counted from the invoice date, from a date of effect."""

    payer = models.ForeignKey(
        Payer, on_delete=models.CASCADE, related_name="deadlines", verbose_name=_("payeur")
    )
    days = models.PositiveSmallIntegerField(_("délai de dépôt (jours)"))
    valid_from = models.DateField(_("en vigueur à partir du"))

    class Meta:
        ordering = ["payer", "-valid_from"]
        verbose_name = _("délai de dépôt d'un payeur")
        verbose_name_plural = _("délais de dépôt des payeurs")
        constraints = [
            models.UniqueConstraint(fields=["payer", "valid_from"], name="aftersales_payer_deadline_unique"),
            models.CheckConstraint(condition=Q(days__gt=0), name="aftersales_payer_deadline_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.payer.name} : {self.days} j ({self.valid_from:%d/%m/%Y})"

    @classmethod
    def in_force(cls, payer: Payer, on: datetime.date) -> "PayerDeadline | None":
        return cls.objects.filter(payer=payer, valid_from__lte=on).order_by("-valid_from").first()


class CaseSplit(models.Model):
    """How a dossier taken under a cover shares its invoice lines between payers; the customer pays the rest.
    The customer's excess (franchise) is a fixed amount taken off one payer's shares, line after line."""

    case = models.OneToOneField(
        RepairCase, on_delete=models.CASCADE, related_name="payer_split", verbose_name=_("dossier")
    )
    excess = models.DecimalField(_("franchise à la charge du client TTC (€)"), **MONEY, default=0)
    excess_payer = models.ForeignKey(
        Payer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("payeur qui applique la franchise"),
    )
    updated_at = models.DateTimeField(_("modifiée le"), default=timezone.now)
    updated_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("par"))

    site_path = "case__site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["case"]
        verbose_name = _("répartition entre payeurs")
        verbose_name_plural = _("répartitions entre payeurs")
        constraints = [
            models.CheckConstraint(condition=Q(excess__gte=0), name="aftersales_split_excess_not_negative"),
        ]

    def __str__(self) -> str:
        return str(self.case)


class PayerShare(models.Model):
    """A payer's share of one invoice line (its rank in the invoice draft, with the designation and TTC seen
    when the split was made: a split made on other lines is refused at invoicing)."""

    split = models.ForeignKey(
        CaseSplit, on_delete=models.CASCADE, related_name="shares", verbose_name=_("répartition")
    )
    position = models.PositiveSmallIntegerField(_("ligne"))
    designation = models.CharField(_("désignation de la ligne"), max_length=200)
    line_ttc = models.DecimalField(_("TTC de la ligne (€)"), **MONEY)
    payer = models.ForeignKey(
        Payer, on_delete=models.PROTECT, related_name="shares", verbose_name=_("payeur")
    )
    mode = models.CharField(_("part"), max_length=12, choices=ShareMode.choices)
    value = models.DecimalField(_("montant TTC (€) ou pourcentage"), **MONEY)

    site_path = "split__case__site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["split", "position", "pk"]
        verbose_name = _("part d'un payeur")
        verbose_name_plural = _("parts des payeurs")
        constraints = [
            models.UniqueConstraint(fields=["split", "position", "payer"], name="aftersales_share_unique"),
            models.CheckConstraint(condition=Q(value__gte=0), name="aftersales_share_not_negative"),
            models.CheckConstraint(
                condition=~Q(mode=ShareMode.POURCENTAGE) | Q(value__lte=100),
                name="aftersales_share_percent_max",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.payer.name} · {self.designation}"


class PayerClaim(models.Model):
    """A payer's claim for one dossier: its B2B invoice, the file it requires, its filing deadline (from the
    payer's data and the invoice date) and its states, each change journalled (PayerClaimEvent)."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+", verbose_name=_("site"))
    case = models.ForeignKey(
        RepairCase, on_delete=models.PROTECT, related_name="payer_claims", verbose_name=_("dossier")
    )
    payer = models.ForeignKey(
        Payer, on_delete=models.PROTECT, related_name="claims", verbose_name=_("payeur")
    )
    invoice = models.OneToOneField(
        "billing.Invoice",
        on_delete=models.PROTECT,
        related_name="payer_claim",
        verbose_name=_("facture du payeur"),
    )
    amount = models.DecimalField(_("montant demandé TTC (€)"), **MONEY)
    state = models.CharField(
        _("état"), max_length=12, choices=PayerClaimState.choices, default=PayerClaimState.A_COMPLETER
    )
    deadline = models.DateField(_("à déposer au plus tard le"), null=True, blank=True)
    payer_reference = models.CharField(_("n° de dossier chez le payeur"), max_length=80, blank=True)
    purchase_proof = models.CharField(_("preuve d'achat"), max_length=200, blank=True)
    fault = models.TextField(_("panne constatée"), blank=True)
    faulty_serials = models.CharField(_("n° de série des pièces défectueuses"), max_length=255, blank=True)
    replacement_serials = models.CharField(_("n° de série des pièces posées"), max_length=255, blank=True)
    photos_attached = models.BooleanField(_("photos jointes"), default=False)
    sent_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)
    accepted_amount = models.DecimalField(_("montant accepté TTC (€)"), **MONEY, null=True, blank=True)
    paid_amount = models.DecimalField(_("montant payé (€)"), **MONEY, null=True, blank=True)
    paid_on = models.DateField(_("payée le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)

    site_path = "site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("demande de prise en charge")
        verbose_name_plural = _("demandes de prise en charge")
        indexes = [models.Index(fields=["site", "state"], name="aftersales_payerclaim_state")]
        constraints = [
            models.CheckConstraint(
                condition=Q(accepted_amount__isnull=True) | Q(accepted_amount__gte=0),
                name="aftersales_payerclaim_accepted_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.payer.name} · {self.case.number}"

    @property
    def is_open(self) -> bool:
        return self.state not in (PayerClaimState.PAYEE, PayerClaimState.REFUSEE)


class PayerClaimEvent(models.Model):
    """One change of a payer claim: who, when, from which state to which, and why."""

    claim = models.ForeignKey(
        PayerClaim, on_delete=models.CASCADE, related_name="events", verbose_name=_("demande")
    )
    at = models.DateTimeField(_("le"), default=timezone.now)
    actor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("par"))
    from_state = models.CharField(_("de"), max_length=12, choices=PayerClaimState.choices, blank=True)
    to_state = models.CharField(_("vers"), max_length=12, choices=PayerClaimState.choices)
    note = models.TextField(_("note"), blank=True)

    site_path = "claim__site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["claim", "at", "pk"]
        verbose_name = _("étape d'une demande de prise en charge")
        verbose_name_plural = _("étapes des demandes de prise en charge")

    def __str__(self) -> str:
        return f"{self.claim} : {self.to_state}"
