"""Forms of the questioning, pre-diagnosis and diagnosis screens. They only collect what was typed: the
services validate (one place for the French messages) and forms show their refusals (core.forms.call_service)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from atelier.core.signature import SignatureField
from atelier.diagnostics.choices import CheckResult, QuestionKind, SourceKind
from atelier.knowledge.choices import CheckUnit
from atelier.knowledge.models import Cause, Check, Symptom
from atelier.stock.choices import Availability
from atelier.stock.models import Part

TEXTAREA = {"rows": 3}


def _question_field(question) -> forms.Field:
    common = {"label": question.text, "required": False, "help_text": question.help_text}
    if question.kind == QuestionKind.YES_NO:
        return forms.CharField(widget=forms.RadioSelect(choices=[("oui", "Oui"), ("non", "Non")]), **common)
    if question.kind == QuestionKind.CHOICE:
        choices = [("", "—")] + [(c, c) for c in question.choice_list]
        return forms.CharField(widget=forms.Select(choices=choices), **common)
    if question.kind == QuestionKind.TEXT:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=500, **common)
    return forms.CharField(max_length=12, widget=forms.TextInput(attrs={"autocomplete": "off"}), **common)


class QuestionsForm(forms.Form):
    """One field `q_<id>` per question of the family; a child question carries its condition in data-
    attributes so the page shows it only when the parent's answer calls for it (the service re-checks)."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[f"q_{question.pk}"] = _question_field(question)

    def rows(self):
        for question in self.questions:
            yield question, self[f"q_{question.pk}"]

    def answers(self) -> dict[int, str]:
        return {q.pk: self.cleaned_data.get(f"q_{q.pk}") or "" for q in self.questions}


class PreDiagnosisForm(forms.Form):
    findings = forms.CharField(label=_("Constats"), widget=forms.Textarea(attrs=TEXTAREA))
    visible_damage = forms.CharField(
        label=_("Dommages visibles"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    symptoms = forms.ModelMultipleChoiceField(
        label=_("Symptômes reconnus"),
        queryset=Symptom.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    leads = forms.CharField(
        label=_("Premières pistes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    told_customer = forms.CharField(
        label=_("Ce qui a été dit au client"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Délais, coût du diagnostic, suite donnée : imprimé sur la fiche."),
    )

    def __init__(self, *args, family: str, checklist, **kwargs):
        super().__init__(*args, **kwargs)
        self.checklist = checklist
        self.fields["symptoms"].queryset = Symptom.objects.filter(family=family).order_by("title")
        for item in checklist:
            self.fields[f"check_{item.pk}"] = forms.ChoiceField(
                label=item.title,
                choices=CheckResult.choices,
                initial=CheckResult.NOT_DONE,
                widget=forms.RadioSelect,
            )
            self.fields[f"remark_{item.pk}"] = forms.CharField(
                label=_("Remarque"), required=False, max_length=200
            )

    def check_rows(self):
        for item in self.checklist:
            yield item, self[f"check_{item.pk}"], self[f"remark_{item.pk}"]

    def main_fields(self):
        return [self[name] for name in ("findings", "visible_damage", "symptoms", "leads", "told_customer")]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "findings": data["findings"],
            "visible_damage": data["visible_damage"],
            "leads": data["leads"],
            "told_customer": data["told_customer"],
            "symptoms": list(data["symptoms"]),
            "checks": {i.pk: (data[f"check_{i.pk}"], data[f"remark_{i.pk}"]) for i in self.checklist},
        }


class AcknowledgeForm(forms.Form):
    signer_name = forms.CharField(label=_("Nom du signataire"), max_length=120)
    signature = SignatureField(required=False)
    on_paper = forms.BooleanField(
        label=_("Signée sur papier (la fiche imprimée signée est classée au dossier)"), required=False
    )


class CauseChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.title} ({obj.brand})" if obj.brand else obj.title


class DiagnosisForm(forms.Form):
    disassembly_notes = forms.CharField(
        label=_("Notes de démontage"), required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )
    non_conformities = forms.CharField(
        label=_("Non-conformités visuelles"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    conclusion = forms.CharField(label=_("Conclusion"), required=False, widget=forms.Textarea(attrs=TEXTAREA))
    confirmed_cause = CauseChoice(
        label=_("Cause confirmée (base technique)"), queryset=Cause.objects.none(), required=False
    )
    new_cause = forms.CharField(
        label=_("… ou nouvelle cause à ajouter à la base"),
        required=False,
        max_length=200,
        help_text=_("Si la cause n'est pas dans la liste : elle est ajoutée à la base de la famille."),
    )
    labour_hours = forms.CharField(label=_("Main-d'œuvre estimée (heures)"), required=False, max_length=10)
    unsolved = forms.BooleanField(
        label=_("Panne non résolue : je consulte d'autres sources"),
        required=False,
        help_text=_("Notez chaque source consultée ci-dessous ; décoché dès qu'une cause est confirmée."),
    )

    def __init__(self, *args, family: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirmed_cause"].queryset = Cause.objects.filter(family=family).order_by("title")


class CheckChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        expected = obj.expected_display
        return f"{obj.title} ({expected})" if expected else obj.title


class MeasurementForm(forms.Form):
    check = CheckChoice(
        label=_("Contrôle de la base"),
        queryset=Check.objects.none(),
        required=False,
        help_text=_("Reprend l'instrument, le point et la plage attendue du contrôle."),
    )
    instrument = forms.ModelChoiceField(
        label=_("Appareil de mesure"),
        queryset=None,
        empty_label=_("— choisir dans le registre —"),
        help_text=_("Un appareil en quarantaine ou dont le contrôle est échu est refusé."),
    )
    point = forms.CharField(label=_("Point de mesure"), required=False, max_length=160)
    value = forms.CharField(label=_("Valeur mesurée"), max_length=20)
    unit = forms.ChoiceField(label=_("Unité"), choices=[("", "—"), *CheckUnit.choices], required=False)
    expected_min = forms.CharField(label=_("Minimum attendu"), required=False, max_length=20)
    expected_max = forms.CharField(label=_("Maximum attendu"), required=False, max_length=20)

    def __init__(self, *args, family: str, site, **kwargs):
        from atelier.fieldwork.selectors import instruments_of

        super().__init__(*args, **kwargs)
        self.fields["check"].queryset = Check.objects.filter(family=family).order_by("title")
        self.fields["instrument"].queryset = instruments_of(site)

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class SourceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Source consultée"), choices=[("", "—"), *SourceKind.choices])
    reference = forms.CharField(
        label=_("Référence"),
        required=False,
        max_length=200,
        help_text=_("Document et page, n° d'appel à la hotline, article, lien…"),
    )
    notes = forms.CharField(label=_("Ce qui en a été retenu"), widget=forms.Textarea(attrs={"rows": 2}))


class PartForm(forms.Form):
    part = forms.ModelChoiceField(
        label=_("Pièce"),
        queryset=Part.objects.filter(is_active=True).exclude(availability=Availability.INDISPONIBLE),
    )
    quantity = forms.IntegerField(label=_("Quantité"), initial=1)
