"""Forms of the dismantling page and of the value page (issue 20 points 4 and 6)."""

from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atelier.core.forms import DateInput
from atelier.core.models import Site
from atelier.refurbishment.dismantling import RecoveredPart, SubAssembly
from atelier.refurbishment.services.dismantling import sub_assemblies
from atelier.stock.choices import LocationKind, PartCondition, PartStatus, UsedGrade
from atelier.stock.models import Part, StockLocation

PRICE: dict[str, Any] = {"max_digits": 10, "decimal_places": 2, "min_value": 0}


class RecoverForm(forms.Form):
    """One sub-assembly taken off: the test and, when it passed, what the used part is."""

    sub_assembly = forms.ModelChoiceField(queryset=SubAssembly.objects.none(), widget=forms.HiddenInput)
    reusable = forms.TypedChoiceField(
        label=_("Résultat de l'essai"),
        choices=[("1", _("Essai réussi : pièce récupérée")), ("0", _("Essai raté : reste avec le DEEE"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    test_record = forms.CharField(
        label=_("Essai fait et résultat"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    reference = forms.CharField(
        label=_("Référence lue sur la pièce"),
        max_length=38,
        required=False,
        help_text=_("Vide : celle de la pièce neuve qu'elle remplace."),
    )
    equivalent_of = forms.ModelChoiceField(
        label=_("Pièce neuve qu'elle remplace"),
        queryset=Part.objects.none(),
        required=False,
        help_text=_("Les devis la proposeront comme pièce d'occasion à la place de celle-ci."),
    )
    designation = forms.CharField(label=_("Description"), max_length=200, required=False)
    grade = forms.ChoiceField(label=_("Grade"), choices=[("", "—"), *UsedGrade.choices], required=False)
    price_ht = forms.DecimalField(label=_("Prix de vente HT (€)"), required=False, **PRICE)
    weight_kg = forms.DecimalField(
        label=_("Poids (kg)"), max_digits=6, decimal_places=2, required=False, min_value=0
    )

    def __init__(self, *args, appliance, sub_assembly=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sub_assembly"].queryset = sub_assemblies(appliance.family)
        kind = sub_assembly.part_kind if sub_assembly is not None else None
        # the family's new parts, and those filed under no family (catalogues imported without it)
        parts = Part.objects.filter(
            Q(family=appliance.family) | Q(family=""),
            condition=PartCondition.NEUF,
            status=PartStatus.VALIDEE,
            is_active=True,
        )
        self.fields["equivalent_of"].queryset = (parts.filter(kind=kind) if kind else parts).order_by(
            "reference"
        )
        if sub_assembly is not None:
            self.fields["sub_assembly"].initial = sub_assembly.pk


class StockEntryForm(forms.Form):
    recovered = forms.ModelChoiceField(queryset=RecoveredPart.objects.none(), widget=forms.HiddenInput)
    location = forms.ModelChoiceField(label=_("Rayon"), queryset=StockLocation.objects.none())

    def __init__(self, *args, appliance, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recovered"].queryset = RecoveredPart.objects.filter(appliance=appliance, reusable=True)
        self.fields["location"].queryset = StockLocation.objects.filter(
            site=appliance.site_id, is_active=True, kind=LocationKind.ETAGERE
        ).order_by("code")


class WeeeForm(forms.Form):
    eco_organism = forms.CharField(label=_("Éco-organisme"), max_length=150)
    bordereau = forms.CharField(label=_("N° de bordereau"), max_length=60)
    handed_on = forms.DateField(label=_("Remis le"), widget=DateInput(), initial=timezone.localdate)
    weight_kg = forms.DecimalField(label=_("Poids remis (kg)"), max_digits=6, decimal_places=2, min_value=0)


class ValueForm(forms.Form):
    """The site and the period of the value page (GET)."""

    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none())
    start = forms.DateField(label=_("Du"), widget=DateInput())
    end = forms.DateField(label=_("Au"), widget=DateInput())

    def __init__(self, *args, sites, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                raise forms.ValidationError(_("La fin de la période précède son début."))
            if (end - start).days > 3660:
                raise forms.ValidationError(_("Une période de dix ans au plus."))
        return data
