"""Forms of after-sales: the claim with its guided questions (one field per question of its type), the answer,
the cover under which a dossier was taken, the day of the covers."""

from django import forms
from django.utils.translation import gettext_lazy as _

from atelier.aftersales.choices import CaseCoverBasis, ClaimChannel, ClaimOutcome, QuestionKind
from atelier.aftersales.models import RefusalReason
from atelier.core.forms import DateInput

YES_NO = [("", "—"), ("oui", _("Oui")), ("non", _("Non"))]


def _question_field(question) -> forms.Field:
    if question.kind == QuestionKind.OUI_NON:
        return forms.ChoiceField(label=question.text, choices=YES_NO, required=question.required)
    if question.kind == QuestionKind.DATE:
        return forms.DateField(label=question.text, required=question.required, widget=DateInput())
    return forms.CharField(
        label=question.text, required=question.required, widget=forms.Textarea(attrs={"rows": 2})
    )


class ClaimOpenForm(forms.Form):
    """Open a claim at the counter or by phone (or, `public`, from the tracking page: no channel, no choice of
    appliance or dossier). The guided questions of `claim_type` become fields q_<code>."""

    appliance = forms.ModelChoiceField(label=_("Appareil"), queryset=None)
    earlier_case = forms.ModelChoiceField(
        label=_("Dossier d'origine"),
        queryset=None,
        required=False,
        help_text=_("Vide : le dernier dossier rendu de cet appareil."),
    )
    channel = forms.ChoiceField(
        label=_("Canal"), choices=[c for c in ClaimChannel.choices if c[0] != ClaimChannel.SUIVI]
    )
    description = forms.CharField(
        label=_("Ce que dit le client"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )

    def __init__(self, *args, claim_type, appliances=None, cases=None, public=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.claim_type = claim_type
        self.questions = list(claim_type.questions.all())
        if public:
            for name in ("appliance", "earlier_case", "channel"):
                del self.fields[name]
            self.fields["description"].label = _("Votre réclamation")
        else:
            self.fields["appliance"].queryset = appliances
            self.fields["earlier_case"].queryset = cases
            if appliances is not None and len(appliances) == 1:
                self.fields["appliance"].initial = appliances[0].pk
        for question in self.questions:
            self.fields[f"q_{question.code}"] = _question_field(question)

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        answers = {}
        for question in self.questions:
            value = data.get(f"q_{question.code}")
            answers[question.code] = value.isoformat() if hasattr(value, "isoformat") else (value or "")
        kwargs = {"claim_type": self.claim_type, "description": data["description"], "answers": answers}
        for name in ("appliance", "earlier_case", "channel"):
            if name in data:
                kwargs[name] = data[name]
        return kwargs


class AnswerForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Réponse"), choices=[("", "—"), *ClaimOutcome.choices])
    answer_text = forms.CharField(
        label=_("Réponse écrite au client"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )
    refusal_reason = forms.ModelChoiceField(
        label=_("Motif et fondement du refus"),
        queryset=RefusalReason.objects.filter(is_active=True),
        required=False,
    )
    amount = forms.DecimalField(
        label=_("Montant TTC (€)"),
        max_digits=10,
        decimal_places=2,
        min_value=0,
        required=False,
        help_text=_("Pour un remboursement ou un geste commercial."),
    )


class EmptyForm(forms.Form):
    """An action with nothing to type (take in analysis, close)."""


class MaintenanceVisitForm(forms.Form):
    """« Ouvrir le dossier d'entretien »: which due date of the contract (the contract is the action's object)."""

    due_on = forms.DateField(label=_("Échéance"), widget=DateInput())


class CaseCoverForm(forms.Form):
    basis = forms.ChoiceField(label=_("Pris en charge au titre de"), choices=CaseCoverBasis.choices)
    replaced = forms.BooleanField(label=_("Appareil remplacé (et non réparé)"), required=False)


class CoverDayForm(forms.Form):
    on = forms.DateField(label=_("Couvertures au"), widget=DateInput(), required=False)


class ApplianceContractForm(forms.ModelForm):
    class Meta:
        from atelier.aftersales.models import ApplianceContract

        model = ApplianceContract
        fields = ["kind", "insurer", "contract_number", "cover", "excess", "claim_procedure", "start", "end"]
        widgets = {
            "start": DateInput(),
            "end": DateInput(),
            "claim_procedure": forms.Textarea(attrs={"rows": 2}),
        }


class MaintenanceContractForm(forms.ModelForm):
    class Meta:
        from atelier.aftersales.models import MaintenanceContract

        model = MaintenanceContract
        fields = [
            "number",
            "visits_per_year",
            "includes",
            "price_ttc",
            "start",
            "end",
            "renews_automatically",
        ]
        widgets = {"start": DateInput(), "end": DateInput(), "includes": forms.Textarea(attrs={"rows": 2})}
