"""The hash-chained journal (its head and entries) and the closures of a site."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from atelier.billing.choices import JournalKind, PaymentMethod, PeriodKind
from atelier.billing.models.base import MONEY, Immutable
from atelier.core.models import Site, User
from atelier.core.scoping import SiteScopedManager


class JournalHead(models.Model):
    """The end of one site's chain: locked by each writer of that site, so its entries follow one another while
    other sites write at the same time."""

    site = models.OneToOneField(
        Site, on_delete=models.PROTECT, related_name="journal_head", verbose_name=_("site")
    )
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="")

    site_path = "site"
    objects = SiteScopedManager()

    class Meta:
        verbose_name = _("tête du journal")
        verbose_name_plural = _("têtes du journal")

    def __str__(self) -> str:
        return f"#{self.last_seq}"


class JournalCheckpoint(models.Model):
    """How far a site's chain and documents were last found intact, so the accountant's page re-checks only
    what was written since (billing.verify.journal_verify_incremental), and what the last FULL check said.

    Not a document: no trigger guards it. An attacker who rewinds or edits it gains nothing the full check
    (`atelier journal verify`, nightly) does not catch: the incremental check still requires the checkpoint's
    own entry to match, and the full check resets the checkpoint to what it verified (to 0 when it finds a
    break, so the page shows the break again)."""

    site = models.OneToOneField(
        Site, on_delete=models.PROTECT, related_name="journal_checkpoint", verbose_name=_("site")
    )
    seq = models.PositiveBigIntegerField(_("vérifié jusqu'à l'écriture n°"), default=0)
    hash = models.CharField(_("empreinte de cette écriture"), max_length=64, blank=True)
    # the highest document ids seen at the checkpoint ("billing.Invoice" → id): documents written since are
    # checked, with the entries after `seq`
    documents = models.JSONField(_("derniers documents vérifiés"), default=dict, blank=True)
    checked_at = models.DateTimeField(_("vérifié le"), null=True, blank=True)
    checked_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("par")
    )
    full_checked_at = models.DateTimeField(_("dernière vérification complète"), null=True, blank=True)
    full_ok = models.BooleanField(_("vérification complète sans anomalie"), null=True)
    full_message = models.CharField(_("verdict de la vérification complète"), max_length=500, blank=True)

    site_path = "site"
    objects = SiteScopedManager()

    class Meta:
        verbose_name = _("point de contrôle du journal")
        verbose_name_plural = _("points de contrôle du journal")

    def __str__(self) -> str:
        return f"{self.site_id} #{self.seq}"


class JournalEntry(Immutable):
    """One event of a site's journal. `digest` is the SHA-256 of its payload (for a document, the document's
    whole content); `hash` links it to the site's previous entry; `signature` is the Ed25519 signature of `hash`
    by the key `key_id` (billing.signing)."""

    seq = models.PositiveBigIntegerField(_("n° d'ordre"))
    at = models.DateTimeField(_("le"))
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+", verbose_name=_("site"))
    kind = models.CharField(_("type"), max_length=10, choices=JournalKind.choices)
    reference = models.CharField(_("référence"), max_length=60)
    document_id = models.PositiveBigIntegerField(_("n° interne du document"), null=True, blank=True)
    amount = models.DecimalField(_("montant TTC (€)"), **MONEY)
    payload = models.TextField(_("contenu (JSON)"))
    digest = models.CharField(_("empreinte du contenu"), max_length=64)
    prev_hash = models.CharField(_("empreinte précédente"), max_length=64)
    hash = models.CharField(_("empreinte"), max_length=64)
    key_id = models.CharField(_("clé de signature"), max_length=16)
    signature = models.CharField(_("signature"), max_length=88)

    immutable_message = _("Le journal ne s'écrit qu'en ajout : aucune écriture ne peut être modifiée.")

    site_path = "site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["site", "seq"]
        verbose_name = _("écriture du journal")
        verbose_name_plural = _("journal")
        constraints = [
            models.UniqueConstraint(fields=["site", "seq"], name="billing_journal_seq_per_site"),
        ]
        indexes = [models.Index(fields=["kind", "document_id"], name="billing_journal_document")]

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
    # the perpetual totals are CARRIED: the previous closure's of the same site and period kind + this net
    previous = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="following",  # one-to-one: the chain of a site's closures of a kind cannot fork
        verbose_name=_("clôture précédente"),
    )
    grand_total = models.DecimalField(_("grand total perpétuel TTC (€)"), **MONEY)
    # null on closures made before the totals were carried (HT and VAT were not kept then)
    perpetual_ht = models.DecimalField(_("total perpétuel HT (€)"), null=True, blank=True, **MONEY)
    perpetual_vat = models.DecimalField(_("TVA perpétuelle (€)"), null=True, blank=True, **MONEY)
    closed_at = models.DateTimeField(_("clôturée le"))
    # null: made by the daily task (`atelier journal close-due`), not by a person
    closed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("par")
    )

    site_path = "site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["site", "-start", "period"]
        verbose_name = _("clôture")
        verbose_name_plural = _("clôtures")
        constraints = [
            models.UniqueConstraint(fields=["site", "period", "start"], name="billing_closure_unique"),
        ]
        # the accountant's page shows the latest 30 in this order: read from an index, not sorted whole
        indexes = [models.Index(fields=["site", "-start", "period"], name="billing_closure_latest")]

    def __str__(self) -> str:
        return f"{self.site.code} {self.get_period_display()} {self.start:%d/%m/%Y}"

    @property
    def net_ttc(self) -> Decimal:
        """What the period adds to the perpetual grand total: invoices and deposit invoices − credit notes."""
        return self.invoices_ttc - self.credit_notes_ttc

    def parts(self):
        """The closures it covers: the days of a month, the months of a year (none for a day)."""
        sub = {PeriodKind.MOIS: PeriodKind.JOUR, PeriodKind.ANNEE: PeriodKind.MOIS}.get(self.period)
        if sub is None:
            return Closure.objects.none()
        return Closure.objects.filter(
            site_id=self.site_id, period=sub, start__gte=self.start, end__lte=self.end
        ).order_by("start")

    def methods(self) -> list[tuple[str, Decimal]]:
        """(label, net amount) per payment method of the period, in the usual order."""
        return [
            (m.label, Decimal(self.by_method[m.value])) for m in PaymentMethod if m.value in self.by_method
        ]
