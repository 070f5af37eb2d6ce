"""Technicians' profiles, the home visits to plan, and the day plans (draft and last validated)."""

import datetime
import secrets

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atelier.core.models import Site, User
from atelier.core.scoping import SiteScopedManager
from atelier.customers.choices import ProductFamily
from atelier.quotes.models import RepairOrder


class StartFrom(models.TextChoices):
    DOMICILE = "domicile", _("Son domicile")
    DEPOT = "depot", _("Le site (dépôt)")


class VisitPriority(models.TextChoices):
    URGENT = "urgent", _("Urgent (ex. froid en panne)")
    NORMAL = "normal", _("Normal")
    FLEXIBLE = "flexible", _("Souple")


class Need(models.TextChoices):
    """Qualifications a visit may require beyond the product family."""

    NIVEAU_2 = "niveau:2", _("Réparation de niveau 2 (composant)")
    HAB_ELEC = "hab:elec", _("Habilitation électrique")
    GAZ = "gaz", _("Qualification gaz")
    FLUIDES = "fluides", _("Attestation de capacité fluides frigorigènes")


def _token() -> str:
    return secrets.token_urlsafe(24)


def _time(h: int, m: int = 0) -> datetime.time:
    return datetime.time(h, m)


class TechnicianProfile(models.Model):
    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="technician_profile", verbose_name=_("technicien")
    )
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+", verbose_name=_("site"))
    families = models.JSONField(_("familles traitées"), default=list, blank=True)
    brands = models.CharField(
        _("marques"), max_length=255, blank=True, help_text=_("Séparées par des virgules ; vide : toutes.")
    )
    repair_level = models.PositiveSmallIntegerField(
        _("niveau de réparation"),
        choices=[(1, _("Niveau 1 (pièce, sous-ensemble)")), (2, _("Niveau 2"))],
        default=1,
    )
    electrical_clearance = models.BooleanField(_("habilitation électrique"), default=False)
    gas = models.BooleanField(_("qualification gaz"), default=False)
    refrigerant_certificate = models.BooleanField(
        _("attestation de capacité fluides frigorigènes"), default=False
    )
    zones = models.CharField(
        _("zones (départements)"),
        max_length=120,
        blank=True,
        help_text=_("Numéros de département séparés par des virgules, ex. « 75, 92 » ; vide : toutes."),
    )
    start_from = models.CharField(
        _("départ et retour"), max_length=10, choices=StartFrom.choices, default=StartFrom.DEPOT
    )
    home_postcode = models.CharField(_("code postal du domicile"), max_length=5, blank=True)
    home_city = models.CharField(_("ville du domicile"), max_length=120, blank=True)
    day_start = models.TimeField(_("début de journée"), default=_time(8))
    day_end = models.TimeField(_("fin de journée"), default=_time(17, 30))
    break_earliest = models.TimeField(_("pause au plus tôt"), default=_time(12))
    break_latest = models.TimeField(_("pause au plus tard"), default=_time(13, 30))
    break_minutes = models.PositiveSmallIntegerField(_("durée de la pause (min)"), default=45)
    working_days = models.JSONField(
        _("jours travaillés"), default=list, help_text=_("0 = lundi … 6 = dimanche.")
    )
    ical_token = models.CharField(_("jeton du calendrier"), max_length=64, unique=True, default=_token)
    is_active = models.BooleanField(_("planifiable"), default=True)

    site_path = "site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["site", "user__last_name", "user__username"]
        verbose_name = _("profil de technicien")
        verbose_name_plural = _("profils de techniciens")

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.username

    def clean(self):
        if self.day_end <= self.day_start:
            raise ValidationError({"day_end": _("La fin de journée doit suivre son début.")})
        if self.break_latest < self.break_earliest:
            raise ValidationError({"break_latest": _("La plage de pause est à l'envers.")})
        if self.start_from == StartFrom.DOMICILE and not self.home_postcode:
            raise ValidationError({"home_postcode": _("Indiquez le code postal du domicile.")})

    @property
    def family_labels(self) -> list[str]:
        labels = dict(ProductFamily.choices)
        return [str(labels.get(f, f)) for f in self.families]

    @property
    def zone_list(self) -> list[str]:
        return [z.strip() for z in self.zones.split(",") if z.strip()]

    @property
    def brand_list(self) -> list[str]:
        return [b.strip().upper() for b in self.brands.split(",") if b.strip()]


class DayOff(models.Model):
    profile = models.ForeignKey(
        TechnicianProfile, on_delete=models.CASCADE, related_name="days_off", verbose_name=_("technicien")
    )
    day = models.DateField(_("jour"))
    reason = models.CharField(_("motif"), max_length=120, blank=True)

    site_path = "profile__site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["day"]
        verbose_name = _("jour d'absence")
        verbose_name_plural = _("jours d'absence")
        constraints = [models.UniqueConstraint(fields=["profile", "day"], name="planning_dayoff_unique")]

    def __str__(self) -> str:
        return f"{self.profile} · {self.day:%d/%m/%Y}"


class Visit(models.Model):
    """A home visit to plan, made from a repair order « à domicile »."""

    order = models.OneToOneField(
        RepairOrder, on_delete=models.CASCADE, related_name="visit", verbose_name=_("ordre de réparation")
    )
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+", verbose_name=_("site"))
    family = models.CharField(_("famille"), max_length=25, choices=ProductFamily.choices)
    brand = models.CharField(_("marque"), max_length=80, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("durée prévue (min)"))
    priority = models.CharField(
        _("priorité"), max_length=10, choices=VisitPriority.choices, default=VisitPriority.NORMAL
    )
    needs = models.JSONField(_("qualifications requises"), default=list, blank=True)
    tool_kinds = models.CharField(
        _("outillage requis (codes)"), max_length=255, blank=True, help_text=_("Séparés par des virgules.")
    )
    actual_minutes = models.PositiveSmallIntegerField(_("durée réelle (min)"), null=True, blank=True)
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)

    site_path = "site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("visite à planifier")
        verbose_name_plural = _("visites à planifier")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gte=5) & models.Q(duration_minutes__lte=600),
                name="planning_visit_duration_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order.case.number} · {self.get_family_display()}"

    @property
    def tool_codes(self) -> list[str]:
        return [t.strip() for t in self.tool_kinds.split(",") if t.strip()]


class VisitWindow(models.Model):
    """A time the customer is at home; several per day are allowed. No window at all: any time."""

    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="windows", verbose_name=_("visite")
    )
    day = models.DateField(_("jour"))
    start = models.TimeField(_("de"))
    end = models.TimeField(_("à"))

    site_path = "visit__site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["day", "start"]
        verbose_name = _("créneau du client")
        verbose_name_plural = _("créneaux du client")

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.start:%H:%M}–{self.end:%H:%M}"


class PlanState(models.TextChoices):
    VIDE = "vide", _("Pas encore optimisé")
    BROUILLON = "brouillon", _("Proposition à valider")
    VALIDE = "valide", _("Validé")


class DayPlan(models.Model):
    """One row per site and day: the lock two managers contend for, and the plan's revision counter."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+", verbose_name=_("site"))
    day = models.DateField(_("jour"))
    state = models.CharField(_("état"), max_length=10, choices=PlanState.choices, default=PlanState.VIDE)
    revision = models.PositiveIntegerField(_("révision"), default=0)
    optimised_at = models.DateTimeField(_("optimisé le"), null=True, blank=True)
    optimised_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("optimisé par"),
    )
    validated_at = models.DateTimeField(_("validé le"), null=True, blank=True)
    validated_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("validé par")
    )
    figures = models.JSONField(_("chiffres"), default=dict, blank=True)

    site_path = "site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["-day", "site"]
        verbose_name = _("plan du jour")
        verbose_name_plural = _("plans du jour")
        constraints = [models.UniqueConstraint(fields=["site", "day"], name="planning_dayplan_unique")]

    def __str__(self) -> str:
        return f"{self.site.code} · {self.day:%d/%m/%Y}"


class PlanRoute(models.Model):
    """A technician's day in a plan; `validated` routes are the last validated plan, kept apart from drafts."""

    plan = models.ForeignKey(DayPlan, on_delete=models.CASCADE, related_name="routes", verbose_name=_("plan"))
    validated = models.BooleanField(_("validée"), default=False)
    technician = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("technicien")
    )
    leave_at = models.DateTimeField(_("départ"))
    back_at = models.DateTimeField(_("retour"))
    break_at = models.DateTimeField(_("pause"), null=True, blank=True)
    break_minutes = models.PositiveSmallIntegerField(_("pause (min)"), default=0)
    distance_m = models.PositiveIntegerField(_("distance (m)"), default=0)
    travel_s = models.PositiveIntegerField(_("trajets (s)"), default=0)

    site_path = "plan__site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["plan", "validated", "technician__last_name", "technician__username"]
        verbose_name = _("tournée")
        verbose_name_plural = _("tournées")

    def __str__(self) -> str:
        return f"{self.plan} · {self.technician}"

    @property
    def km(self) -> float:
        return round(self.distance_m / 1000, 1)


class PlanStop(models.Model):
    route = models.ForeignKey(
        PlanRoute, on_delete=models.CASCADE, related_name="stops", verbose_name=_("tournée")
    )
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="stops", verbose_name=_("visite"))
    position = models.PositiveSmallIntegerField(_("rang"))
    start = models.DateTimeField(_("début"))
    end = models.DateTimeField(_("fin"))
    arrival_from = models.DateTimeField(_("arrivée annoncée à partir de"))
    arrival_to = models.DateTimeField(_("arrivée annoncée jusqu'à"))
    pinned = models.BooleanField(_("épinglée"), default=False)

    site_path = "route__plan__site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["route", "position"]
        verbose_name = _("étape")
        verbose_name_plural = _("étapes")

    def __str__(self) -> str:
        return f"{self.route} · {self.position}"


class PlanDrop(models.Model):
    """A visit the draft leaves out, and why."""

    plan = models.ForeignKey(DayPlan, on_delete=models.CASCADE, related_name="drops", verbose_name=_("plan"))
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="+", verbose_name=_("visite"))
    reason = models.CharField(_("raison"), max_length=255)

    site_path = "plan__site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["plan", "pk"]
        verbose_name = _("visite non planifiée")
        verbose_name_plural = _("visites non planifiées")

    def __str__(self) -> str:
        return f"{self.plan} · {self.visit}"


class PlanPin(models.Model):
    """A visit the manager put on a technician by hand: re-optimising keeps it with him."""

    plan = models.ForeignKey(DayPlan, on_delete=models.CASCADE, related_name="pins", verbose_name=_("plan"))
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="+", verbose_name=_("visite"))
    technician = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("technicien")
    )

    site_path = "plan__site"
    objects = SiteScopedManager()

    class Meta:
        verbose_name = _("visite épinglée")
        verbose_name_plural = _("visites épinglées")
        constraints = [models.UniqueConstraint(fields=["plan", "visit"], name="planning_pin_unique")]

    def __str__(self) -> str:
        return f"{self.visit} → {self.technician}"


class DropOffSlot(models.TextChoices):
    """Half-days of the counter: a drop-off appointment is for one of them."""

    MATIN = "matin", _("Matin")
    APRES_MIDI = "apres_midi", _("Après-midi")


# When each half-day's arrivals are on the bench at the earliest (the workshop week reserves time from then).
SLOT_START = {DropOffSlot.MATIN: _time(9), DropOffSlot.APRES_MIDI: _time(14)}


class DropOffCapacity(models.Model):
    """How many appliances of a family the counter may take per half-day (e.g. 4 washing machines)."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+", verbose_name=_("site"))
    family = models.CharField(_("famille"), max_length=25, choices=ProductFamily.choices)
    slot = models.CharField(_("demi-journée"), max_length=10, choices=DropOffSlot.choices)
    capacity = models.PositiveSmallIntegerField(_("appareils par demi-journée"))

    site_path = "site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["site", "family", "slot"]
        verbose_name = _("capacité de dépôt")
        verbose_name_plural = _("capacités de dépôt")
        constraints = [
            models.UniqueConstraint(fields=["site", "family", "slot"], name="planning_dropoffcap_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.site.code} · {self.get_family_display()} · {self.get_slot_display()} : {self.capacity}"


class DropOff(models.Model):
    """A drop-off appointment at the counter: a customer brings an appliance on a half-day."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+", verbose_name=_("site"))
    day = models.DateField(_("jour"))
    slot = models.CharField(_("demi-journée"), max_length=10, choices=DropOffSlot.choices)
    family = models.CharField(_("famille"), max_length=25, choices=ProductFamily.choices)
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="+", verbose_name=_("client")
    )
    appliance = models.ForeignKey(
        "customers.Appliance",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("appareil"),
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    booked_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("pris par")
    )
    booked_at = models.DateTimeField(_("pris le"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("annulé le"), null=True, blank=True)

    site_path = "site"
    objects = SiteScopedManager()

    class Meta:
        ordering = ["day", "slot", "pk"]
        verbose_name = _("rendez-vous de dépôt")
        verbose_name_plural = _("rendez-vous de dépôt")
        indexes = [models.Index(fields=["site", "day"], name="planning_dropoff_site_day")]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.get_slot_display()} · {self.get_family_display()}"
