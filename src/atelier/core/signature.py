"""A customer's signature drawn on screen (tablet, phone or mouse), kept as a small PNG data URL.

Used wherever the customer acknowledges something: the pre-diagnosis sheet, a loan's terms, the hand-back,
commissioning. The value is a "data:image/png;base64,…" string stored in a TextField: printed as is by the
screens (<img src>) and by WeasyPrint, no file storage to secure. The pad itself is a canvas drawn by
static/atelier/signature.js into a hidden input; without JavaScript the field stays empty and the form says so.

In a form: `signature = SignatureField()` (or `required=False`); the widget renders its label, canvas and
errors through core/_form_fields.html. In a browser journey: `tests.e2e.steps.sign(page)` draws one.
"""

import base64
import binascii

from django import forms
from django.utils.translation import gettext_lazy as _

PREFIX = "data:image/png;base64,"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MAX_BYTES = 200_000  # a signature drawn on a 600 × 200 canvas weighs 5–30 kB


class SignaturePad(forms.Widget):
    """A canvas and the hidden input it fills; a visible field, so the form shows its label and errors."""

    template_name = "core/widgets/signature_pad.html"


class SignatureField(forms.CharField):
    """Cleans to a validated PNG data URL, or "" when the field is optional and left blank."""

    widget = SignaturePad
    default_error_messages = {
        "required": _("La signature du client est nécessaire : faites-le signer dans le cadre."),
        "invalid": _("La signature reçue n'est pas une image valable : effacez et faites signer de nouveau."),
        "too_big": _("La signature reçue est trop lourde : effacez et faites signer de nouveau."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Signature du client"))
        kwargs.setdefault("strip", True)
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return ""
        if not value.startswith(PREFIX):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        encoded = value[len(PREFIX) :]
        if len(encoded) > MAX_BYTES * 4 // 3 + 4:
            raise forms.ValidationError(self.error_messages["too_big"], code="too_big")
        try:
            raw = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not raw.startswith(PNG_MAGIC):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return value
