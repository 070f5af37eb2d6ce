"""After-sales: the covers of an appliance as dated data (manufacturer warranties, contracts, the shop's repair
guarantee, under which cover a dossier was taken) and the claims (réclamations) with their guided questions."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atelier.aftersales.choices import (
    CaseCoverBasis,
    ClaimChannel,
    ClaimOutcome,
    ClaimState,
    ContractKind,
    QuestionKind,
)
from atelier.core.models import Site, User
from atelier.core.scoping import SiteScopedManager
from atelier.customers.choices import ProductFamily
from atelier.customers.models import Appliance, Customer
from atelier.repairs.models import RepairCase

MONEY = {"max_digits": 10, "decimal_places": 2}

# ---------------------------------------------------------------- covers (data)


class ManufacturerWarranty(models.Model):
    """A manufacturer's commercial warranty, per brand and family, for purchases from a date (editable data)."""

    brand = models.CharField(
        _("marque"), max_length=80, help_text=_("Comparée sans tenir compte des majuscules.")
    )
    family = models.CharField(
        _("famille de produit"),
        max_length=25,
        choices=ProductFamily.choices,
        blank=True,
        help_text=_("Vide : toutes les familles de la marque."),
    )
    months = models.PositiveSmallIntegerField(_("durée (mois)"))
    covers = models.CharField(_("ce qui est couvert"), max_length=200, default="pièces et main-d'œuvre")
    valid_from = models.DateField(_("achats à partir du"))
    valid_until = models.DateField(_("achats jusqu'au"), null=True, blank=True)
    label = models.CharField(_("libellé"), max_length=200)

    class Meta:
        ordering = ["brand", "family", "-valid_from"]
        verbose_name = _("garantie fabricant")
        verbose_name_plural = _("garanties fabricant")
        constraints = [
            models.UniqueConstraint(fields=["brand", "family", "valid_from"], name="aftersales_mfr_unique"),
            models.CheckConstraint(condition=Q(months__gt=0), name="aftersales_mfr_months_positive"),
        ]

    def __str__(self) -> str:
        return self.label


class ApplianceContract(models.Model):
    """An extended warranty or an insurance contract attached to an appliance."""

    appliance = models.ForeignKey(
        Appliance, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("appareil")
    )
    kind = models.CharField(_("type"), max_length=10, choices=ContractKind.choices)
    insurer = models.CharField(_("assureur / garant"), max_length=150)
    contract_number = models.CharField(_("n° de contrat"), max_length=80)
    cover = models.CharField(_("ce qui est couvert"), max_length=255)
    excess = models.DecimalField(_("franchise TTC (€)"), **MONEY, default=0)
    claim_procedure = models.TextField(_("procédure de déclaration"), blank=True)
    start = models.DateField(_("début"))
    end = models.DateField(_("fin"))
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("par"))

    site_path = "appliance__customer__site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["appliance", "start", "pk"]
        verbose_name = _("extension de garantie ou assurance")
        verbose_name_plural = _("extensions de garantie et assurances")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")),
                name="aftersales_contract_dates",
                violation_error_message=_("La fin du contrat ne peut pas précéder son début."),
            ),
            models.CheckConstraint(
                condition=Q(excess__gte=0),
                name="aftersales_contract_excess",
                violation_error_message=_("La franchise ne peut pas être négative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.insurer} n° {self.contract_number}"


class MaintenanceContract(models.Model):
    """A maintenance contract sold by the shop for one appliance: periodic visits, what they include, renewal.
    Its visits come due on the planner's side through `aftersales.maintenance` (one dossier per visit)."""

    appliance = models.ForeignKey(
        Appliance, on_delete=models.PROTECT, related_name="maintenance_contracts", verbose_name=_("appareil")
    )
    number = models.CharField(_("n° de contrat"), max_length=40)
    visits_per_year = models.PositiveSmallIntegerField(_("visites par an"), default=1)
    includes = models.TextField(_("ce que comprend le contrat"))
    price_ttc = models.DecimalField(_("prix annuel TTC (€)"), **MONEY)
    start = models.DateField(_("début"))
    end = models.DateField(_("fin (date de renouvellement)"))
    renews_automatically = models.BooleanField(_("reconduction tacite"), default=False)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)

    site_path = "appliance__customer__site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["appliance", "start", "pk"]
        verbose_name = _("contrat d'entretien")
        verbose_name_plural = _("contrats d'entretien")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")),
                name="aftersales_maint_dates",
                violation_error_message=_("La fin du contrat ne peut pas précéder son début."),
            ),
            models.CheckConstraint(
                condition=Q(price_ttc__gte=0),
                name="aftersales_maint_price",
                violation_error_message=_("Le prix ne peut pas être négatif."),
            ),
        ]

    def __str__(self) -> str:
        return self.number


class MaintenanceVisit(models.Model):
    """The dossier opened for one due visit of a maintenance contract: a due visit is served once."""

    contract = models.ForeignKey(
        MaintenanceContract, on_delete=models.PROTECT, related_name="visits", verbose_name=_("contrat")
    )
    due_on = models.DateField(_("échéance"))
    case = models.OneToOneField(
        RepairCase, on_delete=models.PROTECT, related_name="maintenance_visit", verbose_name=_("dossier")
    )
    opened_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("ouvert par")
    )
    opened_at = models.DateTimeField(_("ouvert le"), default=timezone.now)

    site_path = "contract__appliance__customer__site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("visite d'entretien")
        verbose_name_plural = _("visites d'entretien")
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "due_on"],
                name="aftersales_maint_visit_once",
                violation_error_message=_("Cette visite d'entretien a déjà son dossier."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.contract} · {self.due_on:%d/%m/%Y}"


class RepairGuaranteeTerm(models.Model):
    """The shop's own guarantee on its repairs (parts and labour, same fault), per site, from a date. A site
    without a row follows the figure printed on invoices (billing « garantie_reparation_jours »)."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+", verbose_name=_("site"))
    valid_from = models.DateField(_("remises à partir du"))
    days = models.PositiveSmallIntegerField(_("durée (jours)"))
    covers = models.CharField(_("ce qui est couvert"), max_length=200, default="pièces et main-d'œuvre")

    site_path = "site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["site", "-valid_from"]
        verbose_name = _("garantie de réparation du site")
        verbose_name_plural = _("garanties de réparation des sites")
        constraints = [
            models.UniqueConstraint(fields=["site", "valid_from"], name="aftersales_repair_term_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.site.code} : {self.days} j"


class CaseCover(models.Model):
    """Under which cover a dossier was taken (nothing on the dossier recorded it): a repair under the legal
    guarantee extends it by six months, a replacement under it starts a new one (L217-13)."""

    case = models.OneToOneField(
        RepairCase, on_delete=models.CASCADE, related_name="cover", verbose_name=_("dossier")
    )
    basis = models.CharField(_("pris en charge au titre de"), max_length=20, choices=CaseCoverBasis.choices)
    replaced = models.BooleanField(_("appareil remplacé"), default=False)
    recorded_at = models.DateTimeField(_("noté le"), default=timezone.now)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("par"))

    site_path = "case__site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["case"]
        verbose_name = _("prise en charge d'un dossier")
        verbose_name_plural = _("prises en charge des dossiers")

    def __str__(self) -> str:
        return f"{self.case} · {self.get_basis_display()}"


class AftersalesSettings(models.Model):
    """A site's after-sales settings: the consumer mediator named in refusal letters (L612-1, L616-1)."""

    site = models.OneToOneField(
        Site, on_delete=models.CASCADE, related_name="aftersales_settings", verbose_name=_("site")
    )
    mediator_name = models.CharField(_("médiateur de la consommation"), max_length=200, blank=True)
    mediator_website = models.URLField(_("site internet du médiateur"), blank=True)

    site_path = "site"
    objects = SiteScopedManager()

    class Meta:
        verbose_name = _("réglages après-vente")
        verbose_name_plural = _("réglages après-vente")

    def __str__(self) -> str:
        return str(self.site)


# ---------------------------------------------------------------- claims


class ClaimType(models.Model):
    """A type of claim (return after a repair, fault under warranty…), with its guided questions (data)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    label = models.CharField(_("libellé"), max_length=120)
    position = models.PositiveSmallIntegerField(_("rang"), default=0)
    is_active = models.BooleanField(_("proposé"), default=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("type de réclamation")
        verbose_name_plural = _("types de réclamation")

    def __str__(self) -> str:
        return self.label


class ClaimQuestion(models.Model):
    """A question asked for a type of claim (C2.16: the right questions)."""

    claim_type = models.ForeignKey(
        ClaimType, on_delete=models.CASCADE, related_name="questions", verbose_name=_("type de réclamation")
    )
    code = models.SlugField(_("code"), max_length=40)
    text = models.CharField(_("question"), max_length=200)
    kind = models.CharField(_("réponse attendue"), max_length=10, choices=QuestionKind.choices)
    required = models.BooleanField(_("obligatoire"), default=True)
    position = models.PositiveSmallIntegerField(_("rang"), default=0)

    class Meta:
        ordering = ["claim_type", "position", "pk"]
        verbose_name = _("question guidée")
        verbose_name_plural = _("questions guidées")
        constraints = [
            models.UniqueConstraint(fields=["claim_type", "code"], name="aftersales_question_unique"),
        ]

    def __str__(self) -> str:
        return self.text


class RefusalReason(models.Model):
    """A lawful reason to refuse a claim, with its legal basis (data, chosen from a list, never typed)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    label = models.CharField(_("motif"), max_length=200)
    legal_basis = models.CharField(_("fondement"), max_length=255)
    position = models.PositiveSmallIntegerField(_("rang"), default=0)
    is_active = models.BooleanField(_("proposé"), default=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("motif de refus")
        verbose_name_plural = _("motifs de refus")

    def __str__(self) -> str:
        return self.label


class Claim(models.Model):
    """A claim (réclamation) about an appliance: the guided answers, the covers found when it was opened, the
    « retour SAV » flag, and the written answer sent to the customer."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="claims", verbose_name=_("site"))
    number = models.CharField(_("n° de réclamation"), max_length=30, editable=False)
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="claims", verbose_name=_("client")
    )
    appliance = models.ForeignKey(
        Appliance, on_delete=models.PROTECT, related_name="claims", verbose_name=_("appareil")
    )
    earlier_case = models.ForeignKey(
        RepairCase,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claims",
        verbose_name=_("dossier d'origine"),
    )
    claim_type = models.ForeignKey(
        ClaimType, on_delete=models.PROTECT, related_name="+", verbose_name=_("type de réclamation")
    )
    channel = models.CharField(_("canal"), max_length=10, choices=ClaimChannel.choices)
    description = models.TextField(_("ce que dit le client"))
    answers = models.JSONField(_("réponses aux questions"), default=list, blank=True)
    covers = models.JSONField(_("couvertures trouvées"), default=list, blank=True)
    cover_notes = models.TextField(_("remarques sur les couvertures"), blank=True)
    repair_return = models.BooleanField(
        _("retour SAV"),
        default=False,
        help_text=_("Même panne, dans la garantie de la réparation d'un dossier de l'atelier."),
    )
    state = models.CharField(
        _("état"), max_length=16, choices=ClaimState.choices, default=ClaimState.OUVERTE, db_index=True
    )
    opened_at = models.DateTimeField(_("ouverte le"), default=timezone.now)
    opened_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("ouverte par")
    )
    outcome = models.CharField(_("réponse"), max_length=15, choices=ClaimOutcome.choices, blank=True)
    answer_text = models.TextField(_("réponse au client"), blank=True)
    refusal_reason = models.ForeignKey(
        RefusalReason,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("motif de refus"),
    )
    amount = models.DecimalField(_("montant TTC (€)"), **MONEY, null=True, blank=True)
    new_case = models.OneToOneField(
        RepairCase,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="from_claim",
        verbose_name=_("nouveau dossier"),
    )
    answered_at = models.DateTimeField(_("réponse le"), null=True, blank=True)
    answered_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("réponse par")
    )
    letter = models.BinaryField(_("lettre de réponse (PDF)"), null=True, blank=True, editable=False)
    message = models.ForeignKey(
        "messaging.Message",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("e-mail"),
    )
    closed_at = models.DateTimeField(_("close le"), null=True, blank=True)

    site_path = "site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["-opened_at", "-pk"]
        verbose_name = _("réclamation")
        verbose_name_plural = _("réclamations")
        constraints = [
            models.UniqueConstraint(fields=["site", "number"], name="aftersales_claim_number_unique"),
            models.CheckConstraint(condition=~Q(description=""), name="aftersales_claim_has_description"),
            models.CheckConstraint(
                condition=~Q(outcome="refus") | Q(refusal_reason__isnull=False),
                name="aftersales_claim_refusal_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0), name="aftersales_claim_amount"
            ),
        ]
        indexes = [models.Index(fields=["site", "state", "-opened_at"], name="aftersales_claim_site_state")]

    def __str__(self) -> str:
        return self.number

    @property
    def is_answered(self) -> bool:
        return bool(self.outcome)


# third-party payers live in their own module (models.py stays readable); imported here for Django
from atelier.aftersales.models_payers import (  # noqa: E402
    CaseSplit,
    Payer,
    PayerClaim,
    PayerClaimEvent,
    PayerDeadline,
    PayerShare,
)

__all__ = [
    "AftersalesSettings",
    "ApplianceContract",
    "CaseCover",
    "CaseSplit",
    "Claim",
    "ClaimQuestion",
    "ClaimType",
    "MaintenanceContract",
    "ManufacturerWarranty",
    "Payer",
    "PayerClaim",
    "PayerClaimEvent",
    "PayerDeadline",
    "PayerShare",
    "RefusalReason",
    "RepairGuaranteeTerm",
]
