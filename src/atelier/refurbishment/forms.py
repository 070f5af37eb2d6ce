"""Forms of the second life of appliances: each parses input and names the service's keyword arguments; the
choices offered are the user's sites (where they may do the step), their locations, lots and customers."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atelier.core.access import sites_allowing
from atelier.core.forms import DateInput
from atelier.core.models import Site
from atelier.customers.choices import ProductFamily
from atelier.customers.models import Customer
from atelier.refurbishment.choices import LetterMethod, LotKind, Origin, TriageOutcome
from atelier.refurbishment.models import CollectionLot
from atelier.refurbishment.services import WAITING_FOR_OWNER
from atelier.repairs.models import RepairCase
from atelier.stock.choices import LocationKind
from atelier.stock.models import StockLocation

PRICE = {"max_digits": 10, "decimal_places": 2, "min_value": 0}


def _sites(user, step):
    return Site.objects.filter(pk__in=sites_allowing(user, step)).order_by("code")


def _one_site_chosen(form) -> None:
    """A person working on one site does not choose it."""
    sites = list(form.fields["site"].queryset)
    if len(sites) == 1:
        form.fields["site"].initial = sites[0].pk


def _shelves(user, step):
    return (
        StockLocation.objects.filter(
            site__in=sites_allowing(user, step), is_active=True, kind=LocationKind.ETAGERE
        )
        .select_related("site")
        .order_by("site__code", "code")
    )


class EmptyForm(forms.Form):
    pass


class LotForm(forms.Form):
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none())
    kind = forms.ChoiceField(label=_("Provenance"), choices=LotKind.choices)
    partner = forms.CharField(label=_("Éco-organisme ou partenaire"), max_length=150)
    delivery_note = forms.CharField(label=_("N° du bon de livraison"), max_length=60)
    received_on = forms.DateField(label=_("Reçu le"), widget=DateInput(), initial=timezone.localdate)
    notes = forms.CharField(label=_("Remarques"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = _sites(user, "refurbishment.intake")
        _one_site_chosen(self)


class IntakeForm(forms.Form):
    """One appliance entering stock; the fields each origin needs are checked by the service."""

    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none())
    origin = forms.ChoiceField(label=_("Origine"), choices=Origin.choices)
    lot = forms.ModelChoiceField(
        label=_("Lot (collecte)"), queryset=CollectionLot.objects.none(), required=False
    )
    case = forms.ModelChoiceField(
        label=_("Dossier non retiré (abandon)"),
        queryset=RepairCase.objects.none(),
        required=False,
        help_text=_("Les dossiers dont la lettre de mise en demeure est enregistrée."),
    )
    family = forms.ChoiceField(
        label=_("Famille"),
        choices=[("", "—"), *ProductFamily.choices],
        required=False,
        help_text=_("Abandon : reprise du dossier."),
    )
    brand = forms.CharField(label=_("Marque"), max_length=80, required=False)
    model_ref = forms.CharField(label=_("Modèle"), max_length=120, required=False)
    serial_number = forms.CharField(label=_("N° de série"), max_length=80, required=False)
    weight_kg = forms.DecimalField(
        label=_("Poids (kg)"), max_digits=5, decimal_places=1, required=False, min_value=0.1
    )
    location = forms.ModelChoiceField(
        label=_("Emplacement"), queryset=StockLocation.objects.none(), required=False
    )
    origin_note = forms.CharField(
        label=_("Donateur / achat de la reprise"),
        max_length=255,
        required=False,
        help_text=_("Don : le donateur. Reprise : l'achat contre lequel l'appareil est repris."),
    )
    trade_in_value = forms.DecimalField(label=_("Valeur de reprise TTC (€)"), required=False, **PRICE)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        step = "refurbishment.intake"
        self.fields["site"].queryset = _sites(user, step)
        _one_site_chosen(self)
        self.fields["lot"].queryset = CollectionLot.objects.filter(site__in=sites_allowing(user, step))
        self.fields["case"].queryset = RepairCase.objects.filter(
            site__in=sites_allowing(user, step),
            status__in=WAITING_FOR_OWNER,
            abandon_letter__isnull=False,
            abandoned_appliance__isnull=True,
        ).order_by("number")
        self.fields["location"].queryset = _shelves(user, step)

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        for key in ("brand", "model_ref", "serial_number", "origin_note", "family"):
            data[key] = data.get(key) or ""
        return data


class RelocateForm(forms.Form):
    location = forms.ModelChoiceField(label=_("Nouvel emplacement"), queryset=StockLocation.objects.none())
    reason = forms.CharField(label=_("Motif"), max_length=255, required=False)

    def __init__(self, *args, appliance, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = StockLocation.objects.filter(
            site=appliance.site_id, is_active=True, kind=LocationKind.ETAGERE
        ).exclude(pk=appliance.location_id)


class ReserveForm(forms.Form):
    customer = forms.ModelChoiceField(label=_("Client"), queryset=Customer.objects.none())
    until = forms.DateField(label=_("Jusqu'au"), widget=DateInput())

    def __init__(self, *args, appliance, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = Customer.objects.filter(
            site=appliance.site_id, anonymised_at__isnull=True
        ).order_by("last_name", "first_name")


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Motif"), max_length=255, required=False)


class ScrapForm(forms.Form):
    reason = forms.CharField(label=_("Motif de la mise au rebut"), max_length=255)


class TriageForm(forms.Form):
    """One pair of fields per check of the family's list (conforme / défaut, and what was seen), the outcome."""

    outcome = forms.ChoiceField(
        label=_("Résultat du tri"), choices=TriageOutcome.choices, widget=forms.RadioSelect
    )
    notes = forms.CharField(label=_("Observations"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    RESULT_CHOICES = [("ok", _("Conforme")), ("defaut", _("Défaut"))]

    def __init__(self, *args, checks, **kwargs):
        super().__init__(*args, **kwargs)
        self.checks = list(checks)
        for check in self.checks:
            self.fields[f"check_{check.code}"] = forms.ChoiceField(
                label=check.label,
                help_text=check.expected,
                choices=self.RESULT_CHOICES,
                widget=forms.RadioSelect,
                required=False,
            )
            self.fields[f"note_{check.code}"] = forms.CharField(
                label=_("Constat"), max_length=255, required=False
            )

    def rows(self):
        return [(check, self[f"check_{check.code}"], self[f"note_{check.code}"]) for check in self.checks]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        results = {}
        for check in self.checks:
            value = data.get(f"check_{check.code}")
            results[check.code] = (
                {"ok": True, "defaut": False}.get(value),
                data.get(f"note_{check.code}", ""),
            )
        return {"results": results, "outcome": data["outcome"], "notes": data.get("notes", "")}


class LetterForm(forms.Form):
    case = forms.ModelChoiceField(label=_("Dossier"), queryset=RepairCase.objects.none())
    sent_on = forms.DateField(label=_("Envoyée le"), widget=DateInput(), initial=timezone.localdate)
    method = forms.ChoiceField(label=_("Envoi"), choices=LetterMethod.choices)
    reference = forms.CharField(label=_("N° de recommandé"), max_length=40, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = (
            RepairCase.objects.filter(
                site__in=sites_allowing(user, "refurbishment.abandon"),
                status__in=WAITING_FOR_OWNER,
                abandon_letter__isnull=True,
            )
            .select_related("customer")
            .order_by("received_at")
        )
        self.fields["case"].label_from_instance = lambda c: (
            f"{c.number} · {c.customer} · {c.get_status_display()}"
        )


class NoticeRuleForm(forms.Form):
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none())
    days = forms.IntegerField(label=_("Délai après la lettre (jours)"), min_value=1, max_value=3650)
    valid_from = forms.DateField(label=_("Pour les lettres envoyées à partir du"), widget=DateInput())
    legal_basis = forms.CharField(label=_("Fondement"), max_length=255)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = _sites(user, "refurbishment.settings")
        _one_site_chosen(self)


class CountForm(forms.Form):
    """The appliances expected are ticked in the page (present=<id>); numbers seen outside the list typed in."""

    extra_numbers = forms.CharField(
        label=_("Numéros trouvés hors liste"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("N° d'appareil (AP-…) séparés par des espaces ou des virgules."),
    )
    present = forms.TypedMultipleChoiceField(coerce=int, required=False, choices=())

    def __init__(self, *args, expected, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(a.pk, a.number) for a in expected]
