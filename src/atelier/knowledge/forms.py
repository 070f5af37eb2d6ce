"""Edit forms of the knowledge base; the services do the writing (call_service)."""

from django import forms

from atelier.knowledge.models import Cause, Check, ErrorCode, SafetyWarning, Symptom, TechnicalDocument

SCOPE = ["family", "brand", "model_ref"]


class CauseChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_family_display()} — {obj.title}"


def _causes_field():
    return CauseChoice(
        queryset=Cause.objects.all(),
        required=False,
        label="Causes probables",
        help_text="Ctrl (ou Cmd) + clic pour en choisir plusieurs ; causes de la même famille.",
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )


class KnowledgeForm(forms.ModelForm):
    """Values for the service: the model fields of the form (the causes are passed apart)."""

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name != "causes"}


class CauseForm(KnowledgeForm):
    class Meta:
        model = Cause
        fields = [*SCOPE, "title", "description", "parts"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "parts": forms.Textarea(attrs={"rows": 3}),
        }


class SymptomForm(KnowledgeForm):
    causes = _causes_field()

    class Meta:
        model = Symptom
        fields = [*SCOPE, "title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class ErrorCodeForm(KnowledgeForm):
    causes = _causes_field()

    class Meta:
        model = ErrorCode
        fields = ["family", "brand", "model_ref", "code", "meaning", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class CheckForm(KnowledgeForm):
    class Meta:
        model = Check
        fields = [
            *SCOPE,
            "cause",
            "title",
            "point",
            "instrument",
            "expected_min",
            "expected_max",
            "unit",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}


class DocumentForm(KnowledgeForm):
    url = forms.URLField(label="Lien", required=False, assume_scheme="https", max_length=500)

    class Meta:
        model = TechnicalDocument
        fields = [*SCOPE, "title", "kind", "file", "url"]
        help_texts = {
            "file": "PDF ou image (PNG, JPEG, WebP), 20 Mo au plus.",
            "url": "Ou un lien vers le document.",
        }


class SafetyWarningForm(KnowledgeForm):
    class Meta:
        model = SafetyWarning
        fields = [*SCOPE, "title", "severity", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}
