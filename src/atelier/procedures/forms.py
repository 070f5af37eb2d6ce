from django import forms
from django.utils.translation import gettext_lazy as _

from atelier.billing.choices import IncidentKind
from atelier.customers.choices import ProductFamily
from atelier.knowledge.models import TechnicalDocument
from atelier.procedures.choices import ProcedureKind, ProcedureSource, StepOutcome

EXTRA_STEPS = 3


class StepResultForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Résultat"), choices=StepOutcome.choices, widget=forms.RadioSelect)
    measured_value = forms.DecimalField(
        label=_("Valeur mesurée"), required=False, max_digits=10, decimal_places=3
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    manufacturer_fault = forms.BooleanField(label=_("Dû au fabricant"), required=False)


class NonConformityForm(forms.Form):
    description = forms.CharField(label=_("Constat"), widget=forms.Textarea(attrs={"rows": 3}))
    manufacturer_fault = forms.BooleanField(label=_("Due au fabricant (remontée fabricant)"), required=False)
    incident_kind = forms.ChoiceField(
        label=_("Type de remontée"), choices=IncidentKind.choices, initial=IncidentKind.MONTAGE
    )
    part_reference = forms.CharField(label=_("Référence de pièce"), required=False, max_length=60)


class StepForm(forms.Form):
    instruction = forms.CharField(
        label=_("Consigne"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    document = forms.ModelChoiceField(
        label=_("Document technique"), queryset=TechnicalDocument.objects.none(), required=False
    )
    document_url = forms.URLField(label=_("ou lien"), required=False, max_length=500, assume_scheme="https")
    measure_label = forms.CharField(label=_("Mesure demandée"), required=False, max_length=80)
    unit = forms.CharField(label=_("Unité"), required=False, max_length=12)
    min_value = forms.DecimalField(label=_("Min."), required=False, max_digits=10, decimal_places=3)
    max_value = forms.DecimalField(label=_("Max."), required=False, max_digits=10, decimal_places=3)
    safety_note = forms.CharField(label=_("Sécurité"), required=False, max_length=300)

    def __init__(self, *args, documents=None, document_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if documents is not None:
            self.fields["document"].queryset = documents
            self.fields["document"].widget.choices = document_choices  # read once for every row


StepFormSet = forms.formset_factory(StepForm, extra=EXTRA_STEPS)


class ProcedureForm(forms.Form):
    """The procedure and its steps (a formset inside): blank step rows are left out."""

    title = forms.CharField(label=_("Titre"), max_length=200)
    kind = forms.ChoiceField(label=_("Type"), choices=ProcedureKind.choices)
    topic = forms.CharField(label=_("Objet (pièce, organe)"), max_length=80, required=False)
    family = forms.ChoiceField(label=_("Famille"), choices=ProductFamily.choices)
    brand = forms.CharField(label=_("Marque (vide : toutes)"), max_length=80, required=False)
    model_ref = forms.CharField(label=_("Modèle (vide : tous)"), max_length=120, required=False)
    source = forms.ChoiceField(label=_("Source"), choices=ProcedureSource.choices)
    reference = forms.CharField(label=_("Document source"), max_length=120, required=False)
    change_note = forms.CharField(label=_("Ce qui change"), max_length=200, required=False)

    def __init__(self, data=None, files=None, *, steps_initial=None, **kwargs):
        super().__init__(data, files, **kwargs)
        documents = TechnicalDocument.objects.order_by("family", "title")
        choices = [("", "---------"), *((d.pk, str(d)) for d in documents)]
        self.steps = StepFormSet(
            data,
            prefix="steps",
            initial=steps_initial,
            form_kwargs={"documents": documents, "document_choices": choices},
        )

    def is_valid(self):
        valid = super().is_valid()
        if not self.steps.is_valid():
            self.add_error(None, _("Vérifiez les étapes signalées."))
            return False
        return valid

    def service_kwargs(self) -> dict:
        steps = [
            form.cleaned_data
            for form in self.steps.forms
            if form.cleaned_data and any(v not in (None, "") for v in form.cleaned_data.values())
        ]
        return {**self.cleaned_data, "steps": steps}
