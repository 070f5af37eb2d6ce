"""Invoices and credit notes (immutable once issued), payments, the hash-chained journal and its closures,
the hand-back with the customer's signature, incidents for manufacturers, notifications and tracking links,
advice sheets and complementary offers, and the legal figures as dated data."""

import datetime
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atelier.billing.choices import (
    AnomalyKind,
    DocumentKind,
    IncidentKind,
    JournalKind,
    LineKind,
    NotificationChannel,
    NotificationPurpose,
    OfferKind,
    PaymentKind,
    PaymentMethod,
    PeriodKind,
    RuleKind,
)
from atelier.core.choices import VatKind
from atelier.core.errors import AtelierError
from atelier.core.models import Site, User
from atelier.customers.choices import ProductFamily
from atelier.repairs.models import RepairCase

MONEY = {"max_digits": 12, "decimal_places": 2}


class Immutable(models.Model):
    """Written once, never changed nor deleted through the ORM's instance methods (invoices, journal)."""

    immutable_message = _("Ce document est définitif : il ne peut être ni modifié ni supprimé.")

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AtelierError(self.immutable_message)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AtelierError(self.immutable_message)


# ---------------------------------------------------------------- legal figures as data


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

    class Meta:
        verbose_name = _("mise en service de la facturation")
        verbose_name_plural = _("mises en service de la facturation")

    def __str__(self) -> str:
        return f"{self.site.code} : {self.since:%d/%m/%Y}"


# ---------------------------------------------------------------- invoices and credit notes


class Invoice(Immutable):
    """A facture, a facture d'acompte (deposit received before the work, CGI art. 289 I-1-c) or an avoir, with
    the seller's and buyer's identity copied at issue; never changed.

    The final invoice of a dossier deducts its deposit invoices with negative lines (kind « deduction », one per
    deposit and VAT rate): its totals are net of them, so a dossier's documents add up to what was sold once,
    VAT included, and `deposits_ttc` keeps what was deducted."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="invoices", verbose_name=_("site"))
    case = models.ForeignKey(
        RepairCase, on_delete=models.PROTECT, related_name="invoices", verbose_name=_("dossier")
    )
    kind = models.CharField(
        _("type"), max_length=8, choices=DocumentKind.choices, default=DocumentKind.FACTURE
    )
    number = models.CharField(_("numéro"), max_length=40)
    issued_at = models.DateTimeField(_("émise le"))
    credited = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="credit_notes",
        verbose_name=_("facture corrigée"),
    )
    reason = models.TextField(_("motif de l'avoir"), blank=True)
    quote = models.ForeignKey(
        "quotes.Quote",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("devis"),
    )
    seller = models.JSONField(_("vendeur (copie)"))
    buyer = models.JSONField(_("client (copie)"))
    is_business = models.BooleanField(_("client professionnel"), default=False)
    total_ht = models.DecimalField(_("total HT (€)"), **MONEY)
    total_vat = models.DecimalField(_("TVA (€)"), **MONEY)
    total_ttc = models.DecimalField(_("total TTC (€)"), **MONEY)
    bonus_amount = models.DecimalField(_("bonus réparation déduit (€)"), **MONEY, default=Decimal("0.00"))
    bonus_label = models.CharField(_("bonus réparation"), max_length=200, blank=True)
    deposits_ttc = models.DecimalField(_("acomptes déduits TTC (€)"), **MONEY, default=Decimal("0.00"))
    due_on = models.DateField(_("date d'échéance"))
    mentions = models.JSONField(_("mentions légales (copie)"), default=dict)
    issued_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("par"))

    immutable_message = _("Une facture émise ne peut être ni modifiée ni supprimée : établissez un avoir.")

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("facture ou avoir")
        verbose_name_plural = _("factures et avoirs")
        constraints = [
            models.UniqueConstraint(fields=["site", "number"], name="billing_invoice_number_unique"),
            models.CheckConstraint(condition=Q(total_ttc__gte=0), name="billing_invoice_ttc_not_negative"),
            models.CheckConstraint(
                condition=Q(deposits_ttc__gte=0), name="billing_invoice_deposits_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def net_to_pay(self) -> Decimal:
        return self.total_ttc - self.bonus_amount

    @property
    def is_credit_note(self) -> bool:
        return self.kind == DocumentKind.AVOIR

    @property
    def is_deposit(self) -> bool:
        return self.kind == DocumentKind.ACOMPTE

    @property
    def gross_ttc(self) -> Decimal:
        """Total TTC of what the invoice sells, before the deposits already invoiced are deducted."""
        return self.total_ttc + self.deposits_ttc


class InvoiceLine(Immutable):
    invoice = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, related_name="lines", verbose_name=_("facture")
    )
    position = models.PositiveSmallIntegerField(_("rang"))
    kind = models.CharField(_("origine"), max_length=12, choices=LineKind.choices)
    designation = models.CharField(_("désignation"), max_length=200)
    quantity = models.DecimalField(_("quantité"), max_digits=7, decimal_places=2)
    unit_price_ht = models.DecimalField(_("prix unitaire HT (€)"), **MONEY)
    vat_rate = models.DecimalField(_("taux de TVA (%)"), max_digits=5, decimal_places=2)
    total_ht = models.DecimalField(_("montant HT (€)"), **MONEY)
    vat = models.DecimalField(_("TVA (€)"), **MONEY)
    is_goods = models.BooleanField(_("bien vendu"), default=False)
    deposit = models.ForeignKey(
        Invoice,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deductions",
        verbose_name=_("facture d'acompte déduite"),
    )

    immutable_message = Invoice.immutable_message

    class Meta:
        ordering = ["invoice", "position"]
        verbose_name = _("ligne de facture")
        verbose_name_plural = _("lignes de facture")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind=LineKind.DEDUCTION) & Q(deposit__isnull=False))
                | (~Q(kind=LineKind.DEDUCTION) & Q(deposit__isnull=True)),
                name="billing_line_deduction_names_its_deposit",
            ),
        ]

    def __str__(self) -> str:
        return self.designation


# ---------------------------------------------------------------- payments


class Payment(Immutable):
    """Money received for a dossier (deposit or payment), by one method; a mixed payment is several rows.

    A refund to the customer (after a credit note) is a row of its own with a negative amount, so every sum of
    payments (paid on a dossier, cash taken in a closure) is net of what was given back."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="payments", verbose_name=_("site"))
    case = models.ForeignKey(
        RepairCase, on_delete=models.PROTECT, related_name="payments", verbose_name=_("dossier")
    )
    invoice = models.ForeignKey(
        Invoice,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments",
        verbose_name=_("facture"),
    )
    kind = models.CharField(_("nature"), max_length=16, choices=PaymentKind.choices)
    method = models.CharField(_("moyen"), max_length=10, choices=PaymentMethod.choices)
    amount = models.DecimalField(_("montant (€)"), **MONEY)
    tendered = models.DecimalField(_("espèces remises (€)"), **MONEY, null=True, blank=True)
    change_given = models.DecimalField(_("monnaie rendue (€)"), **MONEY, default=Decimal("0.00"))
    reference = models.CharField(_("référence"), max_length=80, blank=True)
    payer_resident = models.BooleanField(_("domicile fiscal en France"), default=True)
    for_business = models.BooleanField(_("paiement professionnel"), default=False)
    at = models.DateTimeField(_("reçu le"))
    received_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("par"))

    immutable_message = _("Un paiement enregistré ne se modifie pas : enregistrez une anomalie ou un avoir.")

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("paiement")
        verbose_name_plural = _("paiements")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="remboursement") & Q(amount__lt=0))
                | (~Q(kind="remboursement") & Q(amount__gt=0)),
                name="billing_payment_sign_by_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.amount} €"


class PaymentAnomaly(models.Model):
    case = models.ForeignKey(
        RepairCase, on_delete=models.PROTECT, related_name="payment_anomalies", verbose_name=_("dossier")
    )
    kind = models.CharField(_("anomalie"), max_length=16, choices=AnomalyKind.choices)
    method = models.CharField(_("moyen"), max_length=10, choices=PaymentMethod.choices, blank=True)
    amount = models.DecimalField(_("montant (€)"), **MONEY, null=True, blank=True)
    note = models.TextField(_("précisions"), blank=True)
    at = models.DateTimeField(_("le"), default=timezone.now)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("par"))

    class Meta:
        ordering = ["-at"]
        verbose_name = _("anomalie de paiement")
        verbose_name_plural = _("anomalies de paiement")

    def __str__(self) -> str:
        return self.get_kind_display()


class UnpaidBalance(models.Model):
    """An unpaid balance accepted at closing: why, and who follows it up."""

    case = models.OneToOneField(
        RepairCase, on_delete=models.PROTECT, related_name="unpaid_balance", verbose_name=_("dossier")
    )
    amount = models.DecimalField(_("reste dû (€)"), **MONEY)
    reason = models.TextField(_("motif"))
    assigned_to = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="unpaid_balances", verbose_name=_("suivi par")
    )
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("par"))
    at = models.DateTimeField(_("le"), default=timezone.now)

    class Meta:
        verbose_name = _("reste dû")
        verbose_name_plural = _("restes dus")

    def __str__(self) -> str:
        return f"{self.case} : {self.amount} €"


# ---------------------------------------------------------------- journal and closures


class JournalHead(models.Model):
    """The single row that holds the chain's end: locked by each writer, so entries follow one another."""

    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="")

    class Meta:
        verbose_name = _("tête du journal")

    def __str__(self) -> str:
        return f"#{self.last_seq}"


class JournalEntry(Immutable):
    """One event of the journal; `hash` = HMAC-SHA256(key, canonical text including the previous hash)."""

    seq = models.PositiveBigIntegerField(_("n° d'ordre"), unique=True)
    at = models.DateTimeField(_("le"))
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+", verbose_name=_("site"))
    kind = models.CharField(_("type"), max_length=10, choices=JournalKind.choices)
    reference = models.CharField(_("référence"), max_length=60)
    amount = models.DecimalField(_("montant TTC (€)"), **MONEY)
    payload = models.TextField(_("contenu (JSON)"))
    prev_hash = models.CharField(_("empreinte précédente"), max_length=64)
    hash = models.CharField(_("empreinte"), max_length=64)

    immutable_message = _("Le journal ne s'écrit qu'en ajout : aucune écriture ne peut être modifiée.")

    class Meta:
        ordering = ["seq"]
        verbose_name = _("écriture du journal")
        verbose_name_plural = _("journal")

    def __str__(self) -> str:
        return f"#{self.seq} {self.kind} {self.reference}"


class Closure(Immutable):
    """A daily, monthly or yearly closure of a site: period totals and the perpetual grand total."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="closures", verbose_name=_("site"))
    period = models.CharField(_("période"), max_length=6, choices=PeriodKind.choices)
    start = models.DateField(_("du"))
    end = models.DateField(_("au"))
    invoices_ttc = models.DecimalField(_("factures TTC (€)"), **MONEY)
    credit_notes_ttc = models.DecimalField(_("avoirs TTC (€)"), **MONEY)
    total_ht = models.DecimalField(_("chiffre d'affaires HT (€)"), **MONEY)
    total_vat = models.DecimalField(_("TVA (€)"), **MONEY)
    payments = models.DecimalField(_("encaissements (€)"), **MONEY)
    # what the till and the bank must show for the period: method → net amount ("123.45"), refunds deducted
    by_method = models.JSONField(_("encaissements par moyen"), default=dict, blank=True)
    grand_total = models.DecimalField(_("grand total perpétuel TTC (€)"), **MONEY)
    closed_at = models.DateTimeField(_("clôturée le"))
    closed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("par"))

    class Meta:
        ordering = ["site", "-start", "period"]
        verbose_name = _("clôture")
        verbose_name_plural = _("clôtures")
        constraints = [
            models.UniqueConstraint(fields=["site", "period", "start"], name="billing_closure_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.site.code} {self.get_period_display()} {self.start:%d/%m/%Y}"

    def methods(self) -> list[tuple[str, Decimal]]:
        """(label, net amount) per payment method of the period, in the usual order."""
        return [
            (m.label, Decimal(self.by_method[m.value])) for m in PaymentMethod if m.value in self.by_method
        ]


# ---------------------------------------------------------------- hand-back, incidents, notifications


class HandBack(models.Model):
    """The appliance given back to its owner, who signs for it."""

    case = models.OneToOneField(
        RepairCase, on_delete=models.PROTECT, related_name="hand_back_record", verbose_name=_("dossier")
    )
    signer_name = models.CharField(_("nom du signataire"), max_length=150)
    signature = models.TextField(_("signature (image)"))
    at = models.DateTimeField(_("rendu le"))
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("par"))
    advice_sheet = models.ForeignKey(
        "AdviceSheet",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("fiche"),
    )
    advice_emailed_at = models.DateTimeField(_("fiche conseils envoyée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("remise de l'appareil")
        verbose_name_plural = _("remises d'appareils")

    def __str__(self) -> str:
        return f"{self.case} · {self.signer_name}"


class Incident(models.Model):
    """Feedback for the manufacturer found while repairing (wrong assembly, unsuitable part…)."""

    case = models.ForeignKey(
        RepairCase, on_delete=models.PROTECT, related_name="incidents", verbose_name=_("dossier")
    )
    brand = models.CharField(_("marque"), max_length=80, db_index=True)
    kind = models.CharField(_("type"), max_length=16, choices=IncidentKind.choices)
    description = models.TextField(_("constat"))
    part_reference = models.CharField(_("référence de pièce"), max_length=60, blank=True)
    at = models.DateTimeField(_("le"), default=timezone.now)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("par"))

    class Meta:
        ordering = ["brand", "-at"]
        verbose_name = _("remontée constructeur")
        verbose_name_plural = _("remontées constructeur")

    def __str__(self) -> str:
        return f"{self.brand} · {self.get_kind_display()}"


class Notification(models.Model):
    case = models.ForeignKey(
        RepairCase, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("dossier")
    )
    channel = models.CharField(_("canal"), max_length=5, choices=NotificationChannel.choices)
    purpose = models.CharField(_("objet"), max_length=8, choices=NotificationPurpose.choices, blank=True)
    recipient = models.CharField(_("destinataire"), max_length=254)
    body = models.TextField(_("message"))
    at = models.DateTimeField(_("envoyé le"), default=timezone.now)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("par"))

    class Meta:
        ordering = ["-at"]
        verbose_name = _("avis au client")
        verbose_name_plural = _("avis aux clients")

    def __str__(self) -> str:
        return f"{self.get_channel_display()} · {self.recipient}"


class TrackingLink(models.Model):
    """An unguessable link to the public page of one dossier, valid until a date."""

    case = models.ForeignKey(
        RepairCase, on_delete=models.CASCADE, related_name="tracking_links", verbose_name=_("dossier")
    )
    token = models.CharField(_("jeton"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    expires_at = models.DateTimeField(_("expire le"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("lien de suivi")
        verbose_name_plural = _("liens de suivi")

    def __str__(self) -> str:
        return f"{self.case} · {self.expires_at:%d/%m/%Y}"


# ---------------------------------------------------------------- advice and complementary sale


class AdviceSheet(models.Model):
    """Advice for a product family: use, settings, maintenance to make the appliance last."""

    family = models.CharField(
        _("famille de produit"), max_length=25, choices=ProductFamily.choices, unique=True
    )
    title = models.CharField(_("titre"), max_length=150)
    use = models.TextField(_("bon usage"))
    settings = models.TextField(_("réglages"))
    maintenance = models.TextField(_("entretien"))

    class Meta:
        ordering = ["family"]
        verbose_name = _("fiche conseils")
        verbose_name_plural = _("fiches conseils")

    def __str__(self) -> str:
        return self.title


class Suggestion(models.Model):
    """A complementary product or service that fits a family (and, optionally, a kind of repair)."""

    family = models.CharField(_("famille de produit"), max_length=25, choices=ProductFamily.choices)
    kind = models.CharField(_("type"), max_length=8, choices=OfferKind.choices)
    designation = models.CharField(_("désignation"), max_length=200)
    why = models.CharField(_("pourquoi le proposer"), max_length=255)
    unit_price_ht = models.DecimalField(_("prix unitaire HT (€)"), **MONEY)
    vat_kind = models.CharField(_("TVA"), max_length=20, choices=VatKind.choices, default=VatKind.NORMAL)
    is_active = models.BooleanField(_("proposée"), default=True)

    class Meta:
        ordering = ["family", "designation"]
        verbose_name = _("suggestion complémentaire")
        verbose_name_plural = _("suggestions complémentaires")
        constraints = [models.CheckConstraint(condition=Q(unit_price_ht__gte=0), name="billing_sugg_price")]

    def __str__(self) -> str:
        return self.designation


class Offer(models.Model):
    """A suggestion offered to the customer on a dossier and their answer; accepted ones are invoiced."""

    case = models.ForeignKey(
        RepairCase, on_delete=models.PROTECT, related_name="offers", verbose_name=_("dossier")
    )
    suggestion = models.ForeignKey(
        Suggestion, on_delete=models.PROTECT, related_name="+", verbose_name=_("offre")
    )
    designation = models.CharField(_("désignation"), max_length=200)
    quantity = models.DecimalField(_("quantité"), max_digits=7, decimal_places=2, default=Decimal("1"))
    unit_price_ht = models.DecimalField(_("prix unitaire HT (€)"), **MONEY)
    vat_rate = models.DecimalField(_("taux de TVA (%)"), max_digits=5, decimal_places=2)
    is_goods = models.BooleanField(_("bien vendu"), default=True)
    accepted = models.BooleanField(_("acceptée"), default=False)
    decided_at = models.DateTimeField(_("le"), default=timezone.now)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("par"))
    invoice = models.ForeignKey(
        Invoice,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("facturée sur"),
    )

    class Meta:
        ordering = ["case", "pk"]
        verbose_name = _("proposition complémentaire")
        verbose_name_plural = _("propositions complémentaires")
        constraints = [
            models.UniqueConstraint(fields=["case", "suggestion"], name="billing_offer_once_per_case"),
        ]

    def __str__(self) -> str:
        return self.designation
