"""Forms beside the grid (timer, question, evidence dossier) and of the preparation screens (account link,
role-play). Choices are limited to what the user may see: a forged value is a French error on the field."""

from django import forms
from django.utils.translation import gettext_lazy as _

from atelier.certification.forms import PersonChoiceField
from atelier.certification.models import Competence, ScenarioKind
from atelier.certification.services_evidence import TIMER_ACTIONS
from atelier.core.models import User
from atelier.repairs.models import RepairCase


class TimerForm(forms.Form):
    part = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    timer = forms.ChoiceField(choices=[(a, a) for a in TIMER_ACTIONS], widget=forms.HiddenInput)

    def service_kwargs(self) -> dict:
        return {"part": self.cleaned_data["part"], "action": self.cleaned_data["timer"]}


class CompetenceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.code} {obj.short_title}"


class QuestionForm(forms.Form):
    text = forms.CharField(
        label=_("Question posée"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    competence = CompetenceChoiceField(
        label=_("Compétence concernée"), queryset=Competence.objects.none(), required=False
    )
    answer_summary = forms.CharField(
        label=_("Réponse du candidat (résumé)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, epreuve, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competence"].queryset = epreuve.competences.order_by("position")

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class CaseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.number} · {obj.appliance.get_family_display()} {obj.appliance.brand} · {obj.get_status_display()}"


class EvidenceForm(forms.Form):
    case = CaseChoiceField(label=_("Dossier réel du candidat"), queryset=RepairCase.objects.none())

    def __init__(self, *args, cases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = cases

    def service_kwargs(self) -> dict:
        return {"case": self.cleaned_data["case"]}


class AccountForm(forms.Form):
    user = PersonChoiceField(label=_("Utilisateur d'Atelier du candidat"), queryset=User.objects.none())

    def __init__(self, *args, candidate, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(
            sites=candidate.organisation.site, is_active=True
        ).order_by("last_name", "first_name", "username")

    def service_kwargs(self) -> dict:
        return {"user": self.cleaned_data["user"]}


class ScenarioForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jeu de rôle"), choices=ScenarioKind.choices)
    case = CaseChoiceField(label=_("Dossier clôturé"), queryset=RepairCase.objects.none())

    def __init__(self, *args, cases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = cases

    def service_kwargs(self) -> dict:
        return {"kind": self.cleaned_data["kind"], "case": self.cleaned_data["case"]}
