"""Sites (magasins / ateliers), users and their roles, tariffs with dates of effect, number sequences."""

import datetime
from decimal import Decimal

from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atelier.core.choices import PermissionPreset, Role, SiteKind, TariffKind, VatKind
from atelier.core.scoping import SiteScopedManager
from atelier.core.validators import validate_postcode, validate_siren, validate_siret, validate_vat_fr

site_code_validator = RegexValidator(
    r"^[A-Z0-9]{2,8}$", _("Le code du site se compose de 2 à 8 lettres majuscules ou chiffres (ex. PAR1).")
)
# the ORDS table schema's id pattern is ^[a-z]+-[0-9]+$: the prefix is its letters part
ords_prefix_validator = RegexValidator(
    r"^[a-z]+$", _("Le préfixe ne contient que des lettres minuscules sans accent (ex. atelierdupont).")
)


class Site(models.Model):
    """A shop (magasin) or workshop (atelier) with its legal identity; every business record belongs to one."""

    code = models.CharField(
        _("code"),
        max_length=8,
        unique=True,
        validators=[site_code_validator],
        help_text=_("Préfixe des numéros de dossier, ex. PAR1."),
    )
    name = models.CharField(_("nom"), max_length=120)
    kind = models.CharField(
        _("type"), max_length=20, choices=SiteKind.choices, default=SiteKind.MAGASIN_ATELIER
    )
    legal_name = models.CharField(_("raison sociale"), max_length=200)
    legal_form = models.CharField(
        _("forme juridique"), max_length=60, blank=True, help_text=_("ex. SARL, SAS")
    )
    share_capital = models.DecimalField(
        _("capital social (€)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    siren = models.CharField(_("SIREN"), max_length=9, validators=[validate_siren])
    siret = models.CharField(_("SIRET"), max_length=14, validators=[validate_siret])
    vat_number = models.CharField(
        _("n° TVA intracommunautaire"), max_length=13, blank=True, validators=[validate_vat_fr]
    )
    rcs = models.CharField(_("RCS / RM"), max_length=80, blank=True, help_text=_("ex. RCS Paris ou RM 75"))
    address = models.CharField(_("adresse"), max_length=200)
    postcode = models.CharField(_("code postal"), max_length=5, validators=[validate_postcode])
    city = models.CharField(_("ville"), max_length=120)
    phone = models.CharField(_("téléphone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    vat_on_debits = models.BooleanField(
        _("TVA d'après les débits"),
        default=False,
        help_text=_(
            "Cochez si l'entreprise a opté pour le paiement de la TVA d'après les débits : la mention est alors "
            "portée sur ses factures (art. 242 nonies A du CGI)."
        ),
    )
    is_active = models.BooleanField(_("actif"), default=True)
    permission_preset = models.CharField(
        _("répartition des droits"),
        max_length=20,
        choices=PermissionPreset.choices,
        default=PermissionPreset.RESEAU,
        help_text=_(
            "Le modèle de droits appliqué en dernier (« Personnalisé » après une modification à la main), "
            "voir Paramètres › Droits."
        ),
    )
    idle_logout_minutes = models.PositiveSmallIntegerField(
        _("déconnexion après inactivité (minutes)"),
        default=30,
        validators=[MinValueValidator(5), MaxValueValidator(720)],
        help_text=_(
            "Une session sans activité pendant ce temps est fermée (de 5 à 720 minutes). Un utilisateur de "
            "plusieurs sites suit la plus courte de leurs durées."
        ),
    )
    retention_years = models.PositiveSmallIntegerField(
        _("conservation des fiches clients (années)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_(
            "Une fiche client sans contact depuis ce nombre d'années est anonymisée (CNIL : 3 ans après le "
            "dernier contact). Les factures restent conservées 10 ans, inchangées."
        ),
    )

    # Open Repair Data (improvement.ords): the export is refused until both are set (issue 21, point 5)
    ords_data_provider = models.CharField(
        _("fournisseur de données Open Repair"),
        max_length=120,
        blank=True,
        help_text=_("Nom publié dans la colonne data_provider de l'export ORDS, ex. Atelier Dupont SAV."),
    )
    ords_id_prefix = models.CharField(
        _("préfixe des identifiants Open Repair"),
        max_length=20,
        blank=True,
        validators=[ords_prefix_validator],
        help_text=_(
            "Lettres minuscules sans accent, ex. atelierdupont : les lignes sont numérotées atelierdupont-12."
        ),
    )

    site_path = "pk"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.siren and self.siret and not self.siret.startswith(self.siren):
            raise ValidationError({"siret": _("Le SIRET doit commencer par le SIREN du site.")})

    def tariff(self, kind: str, on: datetime.date | None = None) -> Decimal | None:
        """The amount of a tariff in force on a date (today by default), or None when none is set."""
        from django.utils import timezone

        on = on or timezone.localdate()
        row = self.tariffs.filter(kind=kind, valid_from__lte=on).order_by("-valid_from").first()
        return row.amount if row else None


class SiteTariff(models.Model):
    """A price of a site (hourly rate, travel fee…) from a date of effect; the newest one in force applies."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="tariffs", verbose_name=_("site"))
    kind = models.CharField(_("tarif"), max_length=30, choices=TariffKind.choices)
    amount = models.DecimalField(_("montant HT (€)"), max_digits=10, decimal_places=2)
    valid_from = models.DateField(_("en vigueur à partir du"))

    site_path = "site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["site", "kind", "-valid_from"]
        verbose_name = _("tarif du site")
        verbose_name_plural = _("tarifs du site")
        constraints = [
            models.UniqueConstraint(
                fields=["site", "kind", "valid_from"], name="core_tariff_unique_per_date"
            ),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="core_tariff_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} : {self.amount} € ({self.valid_from:%d/%m/%Y})"


class User(AbstractUser):
    """A person using Atelier: works in one or more sites and holds one or more roles."""

    sites = models.ManyToManyField(Site, blank=True, related_name="users", verbose_name=_("sites"))
    is_chain_manager = models.BooleanField(
        _("responsable réseau"),
        default=False,
        help_text=_("Voit les données de tous les sites de l'enseigne."),
    )
    phone = models.CharField(_("téléphone"), max_length=20, blank=True)

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def role_set(self) -> frozenset[str]:
        """The user's roles, read once per request object."""
        if not hasattr(self, "_role_cache"):
            self._role_cache = frozenset(self.roles.values_list("role", flat=True))
        return self._role_cache

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_set.intersection(roles))

    @property
    def visible_site_ids(self) -> frozenset[int]:
        """Primary keys of visible_sites(), read once per user object (one request, one service call)."""
        if not hasattr(self, "_site_ids_cache"):
            self._site_ids_cache = frozenset(self.visible_sites().values_list("pk", flat=True))
        return self._site_ids_cache

    def visible_sites(self):
        """Sites whose data this user may see: their own, or all for a chain manager (never for a superuser
        flag alone: the admin account of a one-site shop still sees one site)."""
        if self.is_chain_manager:
            return Site.objects.filter(is_active=True)
        return self.sites.filter(is_active=True)


class UserRole(models.Model):
    """One role held by one user."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="roles", verbose_name=_("utilisateur")
    )
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices)

    class Meta:
        ordering = ["user", "role"]
        verbose_name = _("rôle")
        verbose_name_plural = _("rôles")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="core_userrole_unique")]

    def __str__(self) -> str:
        return self.get_role_display()


class SiteStepRoles(models.Model):
    """A step whose roles were set by hand on a site (Paramètres › Droits): it overrides the site's preset for
    that step (an empty list: no role may). Steps with no row follow the preset (core.access)."""

    site = models.ForeignKey(
        Site, on_delete=models.CASCADE, related_name="step_roles", verbose_name=_("site")
    )
    step = models.CharField(_("opération"), max_length=80)
    roles = models.JSONField(_("rôles autorisés"), default=list, blank=True)

    site_path = "site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["site", "step"]
        verbose_name = _("droits d'une opération")
        verbose_name_plural = _("droits des opérations")
        constraints = [models.UniqueConstraint(fields=["site", "step"], name="core_sitesteproles_unique")]

    def __str__(self) -> str:
        return f"{self.site.code} {self.step}"


class PermissionChange(models.Model):
    """The journal of the permission matrix: a preset applied or a step's roles changed, by whom and when."""

    site = models.ForeignKey(
        Site, on_delete=models.CASCADE, related_name="permission_changes", verbose_name=_("site")
    )
    actor = models.ForeignKey(
        "core.User", on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("par")
    )
    at = models.DateTimeField(_("le"), default=timezone.now)
    preset = models.CharField(_("modèle appliqué"), max_length=20, blank=True)
    step = models.CharField(_("opération"), max_length=80, blank=True)
    before = models.JSONField(_("rôles avant"), default=list, blank=True)
    after = models.JSONField(_("rôles après"), default=list, blank=True)

    site_path = "site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("changement de droits")
        verbose_name_plural = _("changements de droits")

    def __str__(self) -> str:
        return f"{self.site.code} {self.preset or self.step} ({self.at:%d/%m/%Y %H:%M})"

    @property
    def what(self) -> str:
        """The change in French: the preset's name, or the step's label (a step removed since: its code)."""
        from atelier.core.access import PRESETS, all_steps

        if self.preset:
            return str(PRESETS.get(self.preset, self.preset))
        step = all_steps().get(self.step)
        return str(step.label) if step else self.step

    @staticmethod
    def _roles(values) -> str:
        labels = dict(Role.choices)
        return ", ".join(str(labels.get(v, v)) for v in values) or "—"

    @property
    def before_label(self) -> str:
        return self._roles(self.before)

    @property
    def after_label(self) -> str:
        return self._roles(self.after)


class NumberSequence(models.Model):
    """A gapless counter per site, kind and year (dossiers, later invoices); changed only under a row lock."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="sequences", verbose_name=_("site"))
    kind = models.CharField(_("type"), max_length=20)
    year = models.PositiveSmallIntegerField(_("année"))
    last_value = models.PositiveIntegerField(_("dernier numéro"), default=0)

    site_path = "site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["site", "kind", "year"]
        verbose_name = _("séquence de numérotation")
        verbose_name_plural = _("séquences de numérotation")
        constraints = [
            models.UniqueConstraint(fields=["site", "kind", "year"], name="core_sequence_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.site.code} {self.kind} {self.year} : {self.last_value}"


class VatRate(models.Model):
    """A VAT rate (taux normal, intermédiaire…) in force from a date, until an optional end date.

    Documents copy the percentage onto their lines when issued, so a later change never alters them.
    """

    kind = models.CharField(_("taux"), max_length=20, choices=VatKind.choices)
    rate = models.DecimalField(_("taux (%)"), max_digits=5, decimal_places=2)
    valid_from = models.DateField(_("en vigueur à partir du"))
    valid_until = models.DateField(_("jusqu'au"), null=True, blank=True)

    class Meta:
        ordering = ["kind", "-valid_from"]
        verbose_name = _("taux de TVA")
        verbose_name_plural = _("taux de TVA")
        constraints = [
            models.UniqueConstraint(fields=["kind", "valid_from"], name="core_vatrate_unique_per_date"),
            models.CheckConstraint(
                condition=models.Q(rate__gte=0) & models.Q(rate__lt=100), name="core_vatrate_rate_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} : {self.rate} % ({self.valid_from:%d/%m/%Y})"

    @classmethod
    def in_force(cls, kind: str, on: datetime.date) -> Decimal:
        """The percentage of a kind of VAT on a date; AtelierError when none is in force then."""
        from django.db.models import Q

        from atelier.core.errors import AtelierError

        row = (
            cls.objects.filter(kind=kind, valid_from__lte=on)
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
            .order_by("-valid_from")
            .first()
        )
        if row is None:
            label = VatKind(kind).label if kind in VatKind.values else kind
            raise AtelierError(
                _("Aucun taux de TVA « %(kind)s » n'est en vigueur au %(date)s.")
                % {"kind": label, "date": on.strftime("%d/%m/%Y")},
                field="vat_kind",
            )
        return row.rate


class ApiToken(models.Model):
    """A named API key of one user: only its SHA-256 is stored (the key is shown once, at creation), with the
    first characters to recognise it; it expires, and its owner may revoke it (core.tokens, core.accounts)."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("utilisateur")
    )
    name = models.CharField(_("nom"), max_length=80)
    prefix = models.CharField(_("début de la clé"), max_length=8)
    key_hash = models.CharField(_("empreinte de la clé"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    expires_at = models.DateTimeField(_("expire le"))
    last_used_at = models.DateTimeField(_("dernière utilisation"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("jeton d'API")
        verbose_name_plural = _("jetons d'API")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and not self.is_expired
