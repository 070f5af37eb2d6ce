"""Customers (particuliers, professionnels) and the appliances they own; legal warranty rules as data."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atelier.core.models import Site, User
from atelier.core.scoping import SiteScopedManager
from atelier.core.validators import validate_postcode, validate_siren, validate_vat_fr
from atelier.customers.choices import (
    Civility,
    ConsentField,
    ConsentSource,
    ContactChannel,
    CustomerKind,
    PrivacyActionKind,
    ProductFamily,
    RequestChannel,
)
from atelier.customers.cleaning import name_words, search_key


def validate_buyer_vat(value: str) -> None:
    """A business buyer's intra-community VAT number as given by the customer: French ones are checked with
    their key; another Member State's by its shape (two letters, then 2 to 12 characters)."""
    import re

    if value.startswith("FR"):
        validate_vat_fr(value)
    elif not re.fullmatch(r"[A-Z]{2}[0-9A-Z+*]{2,12}", value):
        raise ValidationError(
            _("« %(value)s » n'est pas un numéro de TVA intracommunautaire valide (code pays + numéro)."),
            code="invalid_vat",
            params={"value": value},
        )


class Customer(models.Model):
    """A customer file of one site: identity, contacts, accessibility needs, consent to be contacted."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="customers", verbose_name=_("site"))
    kind = models.CharField(
        _("type de client"), max_length=15, choices=CustomerKind.choices, default=CustomerKind.PARTICULIER
    )
    civility = models.CharField(_("civilité"), max_length=3, choices=Civility.choices, blank=True)
    last_name = models.CharField(_("nom"), max_length=100)
    first_name = models.CharField(_("prénom"), max_length=100, blank=True)
    company_name = models.CharField(_("raison sociale"), max_length=200, blank=True)
    siren = models.CharField(_("SIREN"), max_length=9, blank=True, validators=[validate_siren])
    vat_number = models.CharField(
        _("n° TVA intracommunautaire"),
        max_length=14,
        blank=True,
        validators=[validate_buyer_vat],
        help_text=_(
            "Celui que le client vous donne (facture, Kbis) : jamais déduit du SIREN, un professionnel peut être "
            "non assujetti ou en franchise de TVA. Imprimé sur ses factures."
        ),
    )
    phone = models.CharField(
        _("téléphone"),
        max_length=20,
        blank=True,
        db_index=True,
        help_text=_("Enregistré au format international (+33…)."),
    )
    phone2 = models.CharField(_("second téléphone"), max_length=20, blank=True, db_index=True)
    email = models.EmailField(_("e-mail"), blank=True, db_index=True)
    address = models.CharField(_("adresse"), max_length=200, blank=True)
    address2 = models.CharField(_("complément d'adresse"), max_length=200, blank=True)
    postcode = models.CharField(
        _("code postal"), max_length=5, blank=True, db_index=True, validators=[validate_postcode]
    )
    city = models.CharField(_("ville"), max_length=120, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5, null=True, blank=True)
    preferred_contact = models.CharField(
        _("contact préféré"), max_length=10, choices=ContactChannel.choices, default=ContactChannel.TELEPHONE
    )
    needs_reduced_mobility = models.BooleanField(_("mobilité réduite"), default=False)
    needs_hearing = models.BooleanField(_("surdité / malentendant"), default=False)
    needs_low_vision = models.BooleanField(_("malvoyance"), default=False)
    language = models.CharField(_("langue"), max_length=40, default="français")
    accessibility_notes = models.CharField(_("autres besoins"), max_length=255, blank=True)
    consent_contact = models.BooleanField(
        _("accepte d'être contacté"),
        default=False,
        help_text=_("Messages de suivi de sa réparation (devis, rendez-vous, appareil prêt)."),
    )
    consent_at = models.DateTimeField(_("date du consentement"), null=True, blank=True)
    consent_marketing = models.BooleanField(
        _("accepte les offres commerciales"),
        default=False,
        help_text=_("Promotions, contrats d'entretien, enquêtes commerciales : seulement s'il l'a demandé."),
    )
    notes = models.TextField(_("remarques"), blank=True)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("créé par")
    )
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True, null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymisé le"), null=True, blank=True, editable=False)
    department = models.CharField(
        _("département"),
        max_length=3,
        blank=True,
        editable=False,
        help_text=_("Seul reste du code postal d'une fiche anonymisée (statistiques par département)."),
    )
    kept_until = models.DateField(_("conservée jusqu'au"), null=True, blank=True, editable=False)
    kept_reason = models.CharField(_("motif de conservation"), max_length=255, blank=True, editable=False)
    search_name = models.CharField(
        _("clé de recherche"),
        max_length=420,
        blank=True,
        editable=False,
        help_text=_(
            "Nom, prénom et raison sociale sans accents ni majuscules, tenue à jour à l'enregistrement."
        ),
    )

    NAME_FIELDS = ("last_name", "first_name", "company_name")

    site_path = "site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        indexes = [
            models.Index(Lower("last_name"), "site", name="customer_lastname_ci"),
            # the list's order, per site and across sites: a page is read in index order, never sorted whole
            models.Index(fields=["site", "last_name", "first_name", "id"], name="customer_site_name_order"),
            models.Index(fields=["last_name", "first_name", "id"], name="customer_name_order"),
            # a postcode's customers in the list's order, for one site or several (the site carried along on
            # PostgreSQL, so that the capped count reads the index alone)
            models.Index(
                fields=["postcode", "last_name", "first_name", "id"],
                include=["site"],
                name="customer_postcode_name",
            ),
        ]
        # PostgreSQL only (migration 0005): a trigram GIN index on search_name serves « contains » for names;
        # (migration 0008) a B-tree (search_name varchar_pattern_ops, site, id) serves a name's beginning.
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="professionnel") | ~models.Q(company_name=""),
                name="customer_pro_has_company_name",
            ),
            models.CheckConstraint(  # an anonymised file keeps neither
                condition=~models.Q(phone="", email="") | models.Q(anonymised_at__isnull=False),
                name="customer_has_phone_or_email",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args, **kwargs):
        """Keep the search key in step with the names, whoever saves (services, admin, tests, imports)."""
        self.search_name = search_key(" ".join(getattr(self, f) for f in self.NAME_FIELDS))
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) & set(self.NAME_FIELDS):
            kwargs["update_fields"] = {*update_fields, "search_name"}
        super().save(*args, **kwargs)
        if update_fields is None or "search_name" in kwargs["update_fields"]:
            index_name_words([self])

    @property
    def display_name(self) -> str:
        if self.anonymised_at:
            return self.last_name
        person = " ".join(p for p in (self.civility, self.first_name, self.last_name.upper()) if p)
        if self.kind == CustomerKind.PROFESSIONNEL and self.company_name:
            return f"{self.company_name} ({person})" if person else self.company_name
        return person

    @property
    def accessibility_needs(self) -> list[str]:
        """Human labels of the needs to show prominently wherever staff deal with this customer."""
        needs = [
            str(f.verbose_name).capitalize()
            for f in (
                self._meta.get_field("needs_reduced_mobility"),
                self._meta.get_field("needs_hearing"),
                self._meta.get_field("needs_low_vision"),
            )
            if getattr(self, f.name)
        ]
        if self.language and self.language.lower() not in {"français", "francais", "fr"}:
            needs.append(_("Langue : %(lang)s") % {"lang": self.language})
        if self.accessibility_notes:
            needs.append(self.accessibility_notes)
        return needs

    def clean(self):
        errors = {}
        if self.kind == CustomerKind.PROFESSIONNEL:
            if not self.company_name:
                errors["company_name"] = _("La raison sociale est obligatoire pour un professionnel.")
            if not self.siren:
                errors["siren"] = _("Le SIREN est obligatoire pour un professionnel.")
        elif self.vat_number:
            errors["vat_number"] = _("Un particulier n'a pas de numéro de TVA intracommunautaire.")
        if not self.phone and not self.email:
            errors["phone"] = _("Indiquez au moins un téléphone ou un e-mail.")
        if self.preferred_contact in (ContactChannel.TELEPHONE, ContactChannel.SMS) and not self.phone:
            errors.setdefault(
                "preferred_contact",
                _("Le contact préféré est le téléphone, mais aucun numéro n'est indiqué."),
            )
        if self.preferred_contact == ContactChannel.EMAIL and not self.email:
            errors["preferred_contact"] = _(
                "Le contact préféré est l'e-mail, mais aucune adresse n'est indiquée."
            )
        if self.preferred_contact == ContactChannel.COURRIER and not (self.address and self.postcode):
            errors["preferred_contact"] = _(
                "Le contact préféré est le courrier, mais l'adresse est incomplète."
            )
        if errors:
            raise ValidationError(errors)


class NameWord(models.Model):
    """One word of a customer's names, accent- and case-free: the index through which SQLite finds the
    beginning of any of them (« mar » → Martin, Marie, Boulangerie Martin). PostgreSQL searches search_name
    through a trigram index instead. Kept by Customer.save(); bulk loaders call index_name_words()."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="+")
    word = models.CharField(max_length=100)

    class Meta:
        verbose_name = _("mot du nom")
        verbose_name_plural = _("mots des noms")
        indexes = [models.Index(fields=["word", "customer"], name="customer_nameword")]

    def __str__(self) -> str:
        return self.word


def index_name_words(customers) -> None:
    """Rewrite the name words of these customers (saved, search_name up to date): 2 queries for any number."""
    customers = list(customers)
    NameWord.objects.filter(customer__in=[c.pk for c in customers]).delete()
    NameWord.objects.bulk_create(
        [
            NameWord(customer_id=c.pk, word=word[:100])
            for c in customers
            for word in sorted(set(name_words(c.search_name)))
        ],
        batch_size=2000,
    )


class WarrantyRule(models.Model):
    """Legal conformity warranty (garantie légale de conformité) in force for purchases from a date.

    Data, not code: the durations changed over time (ordonnance 2005-136, loi 2014-344 from 2016-03-18, then
    ordonnance 2021-1247 from 2022-01-01). `months` is the guarantee (L217-3: 2 years, new and used goods alike);
    `presumption_months` the presumption of non-conformity (L217-7: 24 months, 12 for used goods).
    """

    valid_from = models.DateField(_("achats à partir du"))
    bought_new = models.BooleanField(_("appareil acheté neuf"), default=True)
    months = models.PositiveSmallIntegerField(_("durée (mois)"))
    presumption_months = models.PositiveSmallIntegerField(
        _("présomption d'antériorité (mois)"),
        null=True,
        blank=True,
        help_text=_(
            "Délai pendant lequel un défaut est présumé exister à la délivrance (art. L217-7) : distinct de la "
            "durée de la garantie."
        ),
    )
    label = models.CharField(_("libellé"), max_length=200)

    class Meta:
        ordering = ["-valid_from", "bought_new"]
        verbose_name = _("règle de garantie légale")
        verbose_name_plural = _("règles de garantie légale")
        constraints = [
            models.UniqueConstraint(fields=["valid_from", "bought_new"], name="warrantyrule_unique_per_date"),
        ]

    def __str__(self) -> str:
        return self.label

    @classmethod
    def in_force(cls, *, purchase_date: datetime.date, bought_new: bool) -> "WarrantyRule | None":
        return (
            cls.objects.filter(valid_from__lte=purchase_date, bought_new=bought_new)
            .order_by("-valid_from")
            .first()
        )


class Appliance(models.Model):
    """An appliance owned by a customer; the dossiers of its repairs hang on it."""

    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="appliances", verbose_name=_("client")
    )
    family = models.CharField(_("famille de produit"), max_length=25, choices=ProductFamily.choices)
    brand = models.CharField(_("marque"), max_length=80)
    model_ref = models.CharField(_("modèle"), max_length=120, blank=True)
    serial_number = models.CharField(_("n° de série"), max_length=80, blank=True, db_index=True)
    purchase_date = models.DateField(_("date d'achat"), null=True, blank=True)
    purchase_place = models.CharField(_("lieu d'achat"), max_length=150, blank=True)
    purchase_price = models.DecimalField(
        _("prix d'achat TTC (€)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    bought_new = models.BooleanField(_("acheté neuf"), default=True)
    warranty_end = models.DateField(
        _("fin de garantie"),
        null=True,
        blank=True,
        help_text=_("Calculée depuis la date d'achat (garantie légale) si vous la laissez vide."),
    )
    notes = models.TextField(_("remarques"), blank=True)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)

    site_path = "customer__site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["customer", "-created_at", "pk"]
        verbose_name = _("appareil")
        verbose_name_plural = _("appareils")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(purchase_price__isnull=True) | models.Q(purchase_price__gte=0),
                name="appliance_price_not_negative",
            ),
        ]

    def __str__(self) -> str:
        parts = [self.get_family_display(), self.brand, self.model_ref]
        return " ".join(p for p in parts if p)

    def clean(self):
        errors = {}
        today = timezone.localdate()
        # clean() runs even when clean_fields() failed: only compare values that were parsed.
        purchase_date = self.purchase_date if isinstance(self.purchase_date, datetime.date) else None
        warranty_end = self.warranty_end if isinstance(self.warranty_end, datetime.date) else None
        if purchase_date and purchase_date > today:
            errors["purchase_date"] = _("La date d'achat ne peut pas être dans le futur.")
        if purchase_date and warranty_end and warranty_end < purchase_date:
            errors["warranty_end"] = _("La fin de garantie ne peut pas précéder la date d'achat.")
        if isinstance(self.purchase_price, Decimal | int) and self.purchase_price < 0:
            errors["purchase_price"] = _("Le prix d'achat ne peut pas être négatif.")
        if errors:
            raise ValidationError(errors)

    @property
    def under_warranty(self) -> bool:
        return bool(self.warranty_end and self.warranty_end >= timezone.localdate())


class ConsentChange(models.Model):
    """One change of a customer's consent or preferred channel: what, from what to what, when, who, from where.

    Written by the services that change consent (customers.services), never edited: the proof asked by RGPD
    art. 7(1) that the person consented, and since when."""

    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="consent_changes", verbose_name=_("client")
    )
    field = models.CharField(_("consentement"), max_length=20, choices=ConsentField.choices)
    old = models.CharField(_("avant"), max_length=20, blank=True)
    new = models.CharField(_("après"), max_length=20, blank=True)
    at = models.DateTimeField(_("le"), default=timezone.now)
    actor = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("par")
    )
    source = models.CharField(_("origine"), max_length=15, choices=ConsentSource.choices)

    site_path = "customer__site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("changement de consentement")
        verbose_name_plural = _("historique des consentements")
        indexes = [models.Index(fields=["customer", "-at"], name="consentchange_customer_at")]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.field} {self.old} → {self.new}"

    def _label(self, value: str) -> str:
        if value == "":
            return "—"
        if self.field == ConsentField.PREFERRED_CONTACT:
            return str(ContactChannel(value).label) if value in ContactChannel.values else value
        return str(_("oui")) if value == "True" else str(_("non"))

    @property
    def old_label(self) -> str:
        return self._label(self.old)

    @property
    def new_label(self) -> str:
        return self._label(self.new)


class PrivacyAction(models.Model):
    """The register of what was done with a customer's personal data: exports, erasures, anonymisations by the
    retention job, files kept longer and why. Kept after anonymisation (it names no one but the file number)."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+", verbose_name=_("site"))
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="privacy_actions", verbose_name=_("client")
    )
    kind = models.CharField(_("action"), max_length=15, choices=PrivacyActionKind.choices)
    at = models.DateTimeField(_("le"), default=timezone.now)
    actor = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("par")
    )
    channel = models.CharField(_("demande reçue"), max_length=10, choices=RequestChannel.choices, blank=True)
    requested_on = models.DateField(_("demande du"), null=True, blank=True)
    reason = models.CharField(_("motif"), max_length=255, blank=True)
    details = models.JSONField(_("détail"), default=dict, blank=True)

    site_path = "site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("action sur les données personnelles")
        verbose_name_plural = _("registre des données personnelles")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.customer_id}"
