"""Forms of the fieldwork screens; measurements are read as text so the service gives the French refusal."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atelier.core.models import Site
from atelier.core.selectors import technicians_for
from atelier.core.signature import SignatureField
from atelier.fieldwork.choices import (
    INSTALLATION_POINTS,
    AnomalyAction,
    ApplianceClass,
    CheckResult,
    MaintenanceKind,
    Measure,
    PointState,
    RepairLevel,
)
from atelier.fieldwork.models import ToolKind
from atelier.fieldwork.selectors import instruments_of

# Instruments that make the electrical safety tests after repair (EN 50678).
SAFETY_TEST_KINDS = ("testeur-pat", "controleur-isolement")

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 3})


class ToolForm(forms.Form):
    site = forms.ModelChoiceField(label=_("Site"), queryset=None)
    kind = forms.ModelChoiceField(label=_("Type d'outil"), queryset=ToolKind.objects.all())
    serial = forms.CharField(label=_("N° de série"), max_length=60)
    label = forms.CharField(label=_("Marque et modèle"), max_length=120, required=False)
    holder = forms.ModelChoiceField(
        label=_("Détenteur"), queryset=None, required=False, empty_label=_("— en atelier, non attribué —")
    )
    is_checked = forms.BooleanField(
        label=_("Vérifiable (contrôle ou étalonnage périodique)"), required=False, initial=True
    )
    last_checked_on = forms.DateField(label=_("Date du dernier contrôle"), required=False, widget=DATE)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.visible_to(user)
        self.fields["holder"].queryset = technicians_for(user)
        if self.fields["site"].queryset.count() == 1:
            self.fields["site"].initial = self.fields["site"].queryset.first()


class HolderForm(forms.Form):
    holder = forms.ModelChoiceField(
        label=_("Détenteur"), queryset=None, required=False, empty_label=_("— en atelier, non attribué —")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["holder"].queryset = technicians_for(user)


class ToolCheckForm(forms.Form):
    checked_on = forms.DateField(label=_("Date du contrôle"), widget=DATE, initial=timezone.localdate)
    result = forms.ChoiceField(label=_("Résultat"), choices=CheckResult.choices, widget=forms.RadioSelect)
    notes = forms.CharField(label=_("Observations"), widget=TEXT, required=False)


class MalfunctionForm(forms.Form):
    description = forms.CharField(label=_("Dysfonctionnement constaté"), widget=TEXT)


class ConfirmForm(forms.Form):
    """A button with nothing to type (retire a tool): its refusal is shown on top of it."""


class SiteRulesForm(forms.Form):
    site = forms.ModelChoiceField(label=_("Site"), queryset=None)
    enforced = forms.BooleanField(label=_("Contrôles obligatoires"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.visible_to(user)


class PpeForm(forms.Form):
    """The family's safety sheet, one box per line (`sheet_<id>`), then the tools and what is missing."""

    tools_ok = forms.BooleanField(
        label=_("Mes outils sont vérifiés (à jour, en bon état, aucun en quarantaine)"), required=False
    )
    notes = forms.CharField(
        label=_("Observations (ce qui manque, ce que je fais)"), widget=TEXT, required=False
    )

    def __init__(self, *args, sheet=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.sheet = list(sheet)
        fields = {
            f"sheet_{item.pk}": forms.BooleanField(label=item.label, required=False) for item in self.sheet
        }
        self.fields = {**fields, **self.fields}

    def groups(self):
        """The sheet's boxes by heading (EPI, hygiène, environnement), for the page."""
        rows: dict[str, list] = {}
        for item in self.sheet:
            rows.setdefault(item.get_kind_display(), []).append(self[f"sheet_{item.pk}"])
        return rows.items()

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "items": {str(item.pk): data[f"sheet_{item.pk}"] for item in self.sheet},
            "tools_ok": data["tools_ok"],
            "notes": data["notes"],
        }


class MaintenanceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Ce qui a été fait"), choices=MaintenanceKind.choices)
    done_on = forms.DateField(label=_("Date"), widget=DATE, initial=timezone.localdate)
    work_done = forms.CharField(label=_("Détail (produits, pièces, réglages)"), widget=TEXT)
    next_due_on = forms.DateField(
        label=_("Prochain entretien avant le"),
        widget=DATE,
        required=False,
        help_text=_("Vide : selon la périodicité du type d'outil."),
    )


class InstallationForm(forms.Form):
    anomalies = forms.CharField(label=_("Anomalies constatées"), widget=TEXT, required=False)
    action = forms.ChoiceField(
        label=_("Suite donnée aux anomalies"),
        choices=[("", _("— aucune anomalie —"))] + [c for c in AnomalyAction.choices if c[0]],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = {
            f"point_{code}": forms.ChoiceField(
                label=label, choices=PointState.choices, widget=forms.RadioSelect(attrs={"class": "fw-radio"})
            )
            for code, label in INSTALLATION_POINTS
        }
        self.fields = {**fields, **self.fields}

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "points": {code: data[f"point_{code}"] for code, _label in INSTALLATION_POINTS},
            "anomalies": data["anomalies"],
            "action": data["action"],
        }


class RepairRecordForm(forms.Form):
    level = forms.TypedChoiceField(
        label=_("Niveau d'intervention"), choices=RepairLevel.choices, coerce=int, widget=forms.RadioSelect
    )
    work_done = forms.CharField(label=_("Travaux effectués"), widget=TEXT)
    parts = forms.CharField(
        label=_("Pièces utilisées"),
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "DC97-16350C ; pompe de vidange ; 1"}),
        required=False,
        help_text=_("Une pièce par ligne : référence ; désignation ; quantité."),
    )
    software_updated = forms.BooleanField(label=_("Mise à jour logicielle / micrologiciel"), required=False)
    software_name = forms.CharField(label=_("Logiciel ou carte concerné"), max_length=120, required=False)
    version_before = forms.CharField(label=_("Version avant"), max_length=60, required=False)
    version_after = forms.CharField(label=_("Version après"), max_length=60, required=False)

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        rows = []
        for line in (data.pop("parts") or "").splitlines():
            cells = [c.strip() for c in line.split(";")]
            if cells and cells[0]:
                rows.append(
                    {
                        "reference": cells[0],
                        "designation": cells[1] if len(cells) > 1 else "",
                        "quantity": cells[2] if len(cells) > 2 and cells[2] else "1",
                    }
                )
        return {**data, "parts": rows}


class SafetyTestForm(forms.Form):
    appliance_class = forms.ChoiceField(label=_("Classe de l'appareil"), choices=ApplianceClass.choices)
    instrument = forms.ModelChoiceField(
        label=_("Appareil de mesure"),
        queryset=None,
        empty_label=_("— choisir dans le registre —"),
        help_text=_("Un appareil en quarantaine ou dont le contrôle est échu est refusé."),
    )
    pe_resistance = forms.CharField(
        label=Measure.PE_RESISTANCE.label, required=False, help_text=_("Classe I, ex. 0,12 Ω")
    )
    insulation = forms.CharField(label=Measure.INSULATION.label, required=False, help_text=_("ex. 250 MΩ"))
    pe_current = forms.CharField(
        label=Measure.PE_CURRENT.label, required=False, help_text=_("Classe I, ex. 0,8 mA")
    )
    touch_current = forms.CharField(
        label=Measure.TOUCH_CURRENT.label, required=False, help_text=_("Classe II, ex. 120 µA")
    )

    def __init__(self, *args, site, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instrument"].queryset = instruments_of(site).filter(kind__code__in=SAFETY_TEST_KINDS)

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "appliance_class": data["appliance_class"],
            "instrument": data["instrument"],
            "measurements": {m: data[m] for m in Measure.values},
        }


class CommissioningForm(forms.Form):
    control_tests = forms.CharField(label=_("Tests de contrôle effectués"), widget=TEXT)
    settings_chosen = forms.CharField(
        label=_("Réglages choisis pour l'usage du client"), widget=TEXT, required=False
    )
    explanations = forms.CharField(label=_("Explications données au client"), widget=TEXT)
    signer_name = forms.CharField(label=_("Nom du signataire"), max_length=120)
    signature = SignatureField(required=False)


class RequiredToolsForm(forms.Form):
    kinds = forms.ModelMultipleChoiceField(
        label=_("Outillage requis"),
        queryset=ToolKind.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
