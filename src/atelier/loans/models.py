"""Replacement appliances lent to customers while theirs is repaired (C2.8): the pool per site and the loans
with the terms the customer signs."""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atelier.core.models import Site, User
from atelier.core.scoping import SiteScopedManager
from atelier.customers.choices import ProductFamily
from atelier.loans.choices import Handover, LoanCondition
from atelier.repairs.models import RepairCase

MONEY = {"max_digits": 10, "decimal_places": 2}


class LoanAppliance(models.Model):
    """One appliance of a site's loan pool."""

    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="loan_appliances", verbose_name=_("site")
    )
    code = models.CharField(_("n° d'inventaire"), max_length=30)
    family = models.CharField(_("famille"), max_length=25, choices=ProductFamily.choices)
    label = models.CharField(_("appareil"), max_length=150, help_text=_("Marque et modèle."))
    condition = models.CharField(
        _("état"), max_length=15, choices=LoanCondition.choices, default=LoanCondition.BON
    )
    location = models.CharField(_("emplacement"), max_length=100, help_text=_("ex. réserve, étagère B2"))
    is_active = models.BooleanField(_("dans le parc"), default=True)

    site_path = "site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["site", "family", "code"]
        verbose_name = _("appareil de prêt")
        verbose_name_plural = _("appareils de prêt")
        constraints = [models.UniqueConstraint(fields=["site", "code"], name="loans_appliance_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} – {self.label}"


class Loan(models.Model):
    """A loan for a dossier: terms signed by the customer, then the return."""

    appliance = models.ForeignKey(
        LoanAppliance, on_delete=models.PROTECT, related_name="loans", verbose_name=_("appareil prêté")
    )
    case = models.ForeignKey(
        RepairCase, on_delete=models.PROTECT, related_name="loans", verbose_name=_("dossier")
    )
    lent_at = models.DateTimeField(_("prêté le"), default=timezone.now)
    due_on = models.DateField(_("à rendre au plus tard le"))
    delivery = models.CharField(
        _("remise"), max_length=10, choices=Handover.choices, default=Handover.MAGASIN
    )
    return_mode = models.CharField(
        _("retour"), max_length=10, choices=Handover.choices, default=Handover.MAGASIN
    )
    deposit = models.DecimalField(_("dépôt de garantie (€)"), **MONEY, default=Decimal("0.00"))
    fee = models.DecimalField(_("frais de prêt TTC (€)"), **MONEY, default=Decimal("0.00"))
    condition_out = models.CharField(_("état au départ"), max_length=15, choices=LoanCondition.choices)
    terms = models.TextField(_("conditions signées"))
    signer_name = models.CharField(_("nom du signataire"), max_length=150)
    signature = models.TextField(_("signature (image)"))
    lent_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("par"))
    returned_at = models.DateTimeField(_("rendu le"), null=True, blank=True)
    condition_back = models.CharField(
        _("état au retour"), max_length=15, choices=LoanCondition.choices, blank=True
    )
    return_note = models.CharField(_("remarques au retour"), max_length=255, blank=True)
    returned_to = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("repris par")
    )

    site_path = "case__site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["-lent_at"]
        verbose_name = _("prêt")
        verbose_name_plural = _("prêts")
        constraints = [
            models.UniqueConstraint(
                fields=["appliance"],
                condition=Q(returned_at__isnull=True),
                name="loans_one_open_loan_per_appliance",
            ),
            models.CheckConstraint(
                condition=Q(deposit__gte=0) & Q(fee__gte=0), name="loans_amounts_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.appliance} → {self.case}"

    @property
    def is_out(self) -> bool:
        return self.returned_at is None

    @property
    def is_overdue(self) -> bool:
        return self.is_out and self.due_on < timezone.localdate()
