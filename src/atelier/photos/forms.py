"""Forms of photos: the tablet's upload (camera or gallery, several at once) and the removal with its reason."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from atelier.photos.choices import PhotoStage
from atelier.repairs.choices import CaseStatus


class CameraInput(forms.FileInput):
    """<input type=file accept=image/* capture=environment multiple>: the tablet opens its back camera, a
    computer its file picker; several photos in one sending."""

    allow_multiple_selected = True

    def __init__(self, attrs=None):
        super().__init__({"accept": "image/*", "capture": "environment", "multiple": True, **(attrs or {})})


class PhotoFilesField(forms.Field):
    """The files as sent (a list); the service reads each one and says in French what it refuses."""

    widget = CameraInput

    def to_python(self, data):
        if not data:
            return []
        return list(data) if isinstance(data, (list, tuple)) else [data]


def stage_for(case) -> str:
    """The stage a new photo most likely belongs to, from the dossier's state (the user may change it)."""
    if case is None:
        return PhotoStage.RECLAMATION
    if case.status in (CaseStatus.RECU, CaseStatus.PREDIAGNOSTIQUE):
        return PhotoStage.RECEPTION
    if case.status in (CaseStatus.DEVIS_ENVOYE, CaseStatus.ACCEPTE, CaseStatus.REFUSE, CaseStatus.PLANIFIE):
        return PhotoStage.DIAGNOSTIC
    return PhotoStage.REPARATION


class PhotoUploadForm(forms.Form):
    images = PhotoFilesField(label=_("Photos"), required=False)
    stage = forms.ChoiceField(label=_("Étape"), choices=PhotoStage.choices)
    caption = forms.CharField(label=_("Légende (facultative)"), max_length=200, required=False)

    def __init__(self, *args, fixed_stage: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["images"].help_text = _("Images JPEG, PNG ou WebP, %(mb)s Mo au plus chacune.") % {
            "mb": settings.ATELIER_PHOTO_MAX_MB
        }
        if fixed_stage:  # a claim's photo is taken at the claim
            self.fields["stage"].initial = fixed_stage
            self.fields["stage"].widget = forms.HiddenInput()

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"files": data["images"], "stage": data["stage"], "caption": data["caption"]}


class PhotoDeleteForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif de la suppression"),
        max_length=200,
        help_text=_("Gardé avec la trace de la photo supprimée (qui, quand, pourquoi)."),
    )
