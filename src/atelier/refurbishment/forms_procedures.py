"""Forms of the refurbishment screens (tablet): start, one step (the safety step reuses the fieldwork app's
EN 50678 form), a part from stock, the erasure certificate, the end (verdict, grade, price, wording), and the
sale at the counter with its invoice. Each parses; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from atelier.customers.models import Customer
from atelier.fieldwork.forms import SafetyTestForm
from atelier.refurbishment.choices_procedures import ErasureMethod, FunctionalVerdict, SaleWording
from atelier.refurbishment.models_procedures import CosmeticGrade
from atelier.stock.choices import LocationKind, PartStatus
from atelier.stock.models import Part, StockLocation

COUNTRY_HELP = _("Code ISO du pays où l'opération est faite (FR : en France).")


def _country_field():
    return forms.CharField(label=_("Pays"), max_length=2, initial="FR", help_text=COUNTRY_HELP)


class StartForm(forms.Form):
    holds_data = forms.BooleanField(
        label=_("L'appareil conserve des données de l'utilisateur précédent"),
        required=False,
        help_text=_("Multimédia, appareil connecté (Wi-Fi, compte, application) : l'effacement sera exigé."),
    )


class StepForm(forms.Form):
    RESULT = [("ok", _("Conforme")), ("defaut", _("Non conforme"))]
    result = forms.ChoiceField(label=_("Résultat"), choices=RESULT, widget=forms.RadioSelect)
    measured = forms.CharField(label=_("Valeur relevée / constat"), max_length=255, required=False)
    repair = forms.CharField(
        label=_("Réparation faite"),
        max_length=255,
        required=False,
        help_text=_("Obligatoire pour refaire une étape qui avait échoué."),
    )
    country = _country_field()

    def __init__(self, *args, step, **kwargs):
        super().__init__(*args, **kwargs)
        self.step = step

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "step_code": self.step.code,
            "passed": data["result"] == "ok",
            "measured": data.get("measured", ""),
            "repair": data.get("repair", ""),
            "country": data["country"],
        }


class SafetyStepForm(SafetyTestForm):
    """The fieldwork app's EN 50678 form, plus where the tests were done."""

    repair = forms.CharField(label=_("Réparation faite"), max_length=255, required=False)
    country = _country_field()

    def __init__(self, *args, step, site, **kwargs):
        super().__init__(*args, site=site, **kwargs)
        self.step = step

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            **super().service_kwargs(),
            "step_code": self.step.code,
            "repair": data.get("repair", ""),
            "country": data["country"],
        }


class PartForm(forms.Form):
    part = forms.ModelChoiceField(label=_("Pièce"), queryset=Part.objects.none())
    location = forms.ModelChoiceField(label=_("Prise à l'emplacement"), queryset=StockLocation.objects.none())
    quantity = forms.DecimalField(
        label=_("Quantité"), min_value=0.01, max_digits=9, decimal_places=2, initial=1
    )

    def __init__(self, *args, site, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["part"].queryset = (
            Part.objects.filter(
                is_active=True,
                status=PartStatus.VALIDEE,
                balances__location__site=site,
                balances__on_hand__gt=0,
            )
            .distinct()
            .order_by("reference")
        )
        self.fields["part"].label_from_instance = lambda p: f"{p.reference} · {p.designation}"
        self.fields["location"].queryset = StockLocation.objects.filter(
            site=site, is_active=True, kind=LocationKind.ETAGERE
        ).order_by("code")


class ErasureForm(forms.Form):
    medium = forms.CharField(
        label=_("Support effacé"), max_length=200, help_text=_("ex. mémoire interne 8 Go")
    )
    method = forms.ChoiceField(label=_("Méthode"), choices=ErasureMethod.choices)
    tool = forms.CharField(label=_("Outil ou procédure"), max_length=200)
    passes_requested = forms.IntegerField(label=_("Passes demandées"), min_value=1, max_value=35, initial=1)
    passes_done = forms.IntegerField(label=_("Passes effectuées"), min_value=0, max_value=35, initial=1)
    verified = forms.BooleanField(label=_("Vérification faite et concluante"), required=False)
    verification = forms.CharField(label=_("Comment l'effacement a été vérifié"), max_length=255)
    erasure_errors = forms.CharField(  # not `errors`: a form's own attribute
        label=_("Erreurs"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Vide : aucune."),
    )
    warnings = forms.CharField(
        label=_("Avertissements"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    country = _country_field()

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["errors"] = data.pop("erasure_errors", "")
        return data


class FinishForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("Verdict fonctionnel"), choices=FunctionalVerdict.choices, widget=forms.RadioSelect
    )
    # a free value shown as a list: a grade outside the scale gets the service's French message naming the scale
    grade = forms.CharField(label=_("Grade esthétique"), required=False, max_length=4, widget=forms.Select)
    price = forms.CharField(label=_("Prix de vente TTC (€)"), max_length=20, required=False)
    wording = forms.ChoiceField(
        label=_("Mention de vente"),
        required=False,
        choices=[("", _("La meilleure que les conditions permettent")), *SaleWording.choices],
    )
    notes = forms.CharField(label=_("Observations"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grade"].widget.choices = [("", "—")] + [
            (g.code, str(g)) for g in CosmeticGrade.objects.filter(is_active=True)
        ]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "verdict": data["verdict"],
            "grade": data.get("grade") or None,
            "price": data.get("price") or None,
            "wording": data.get("wording", ""),
            "notes": data.get("notes", ""),
        }


class ResaleForm(forms.Form):
    price = forms.DecimalField(label=_("Prix de vente TTC (€)"), max_digits=10, decimal_places=2, min_value=0)
    customer = forms.ModelChoiceField(
        label=_("Client"), queryset=Customer.objects.none(), help_text=_("La facture est établie à son nom.")
    )
    commercial_months = forms.IntegerField(
        label=_("Garantie commerciale du magasin (mois)"),
        min_value=0,
        max_value=60,
        initial=0,
        help_text=_("0 : aucune ; la garantie légale de conformité s'applique toujours."),
    )

    def __init__(self, *args, appliance, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = Customer.objects.filter(
            site=appliance.site_id, anonymised_at__isnull=True
        ).order_by("last_name", "first_name")
        if appliance.reserved_for_id:
            self.fields["customer"].initial = appliance.reserved_for_id
        last = appliance.refurbishments.filter(status="termine").order_by("-finished_at").first()
        if last is not None and last.price:
            self.fields["price"].initial = last.price
