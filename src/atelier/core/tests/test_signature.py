"""The on-screen signature field: a PNG data URL or a clear French refusal."""

import base64

import pytest
from django import forms

from atelier.core.signature import PNG_MAGIC, SignatureField

PNG = "data:image/png;base64," + base64.b64encode(PNG_MAGIC + b"\x00" * 40).decode()


class Ack(forms.Form):
    signature = SignatureField()


class OptionalAck(forms.Form):
    signature = SignatureField(required=False)


def test_a_png_data_url_is_kept_as_is():
    form = Ack({"signature": PNG})
    assert form.is_valid()
    assert form.cleaned_data["signature"] == PNG


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "La signature du client est nécessaire : faites-le signer dans le cadre."),
        ("bonjour", "La signature reçue n'est pas une image valable : effacez et faites signer de nouveau."),
        (
            "data:image/png;base64,%%%",
            "La signature reçue n'est pas une image valable : effacez et faites signer de nouveau.",
        ),
        (
            "data:image/png;base64," + base64.b64encode(b"GIF89a" + b"\x00" * 10).decode(),
            "La signature reçue n'est pas une image valable : effacez et faites signer de nouveau.",
        ),
        (
            "data:image/png;base64," + base64.b64encode(PNG_MAGIC + b"\x00" * 300_000).decode(),
            "La signature reçue est trop lourde : effacez et faites signer de nouveau.",
        ),
    ],
)
def test_bad_signatures_are_refused_in_french(value, message):
    form = Ack({"signature": value})
    assert not form.is_valid()
    assert form.errors["signature"] == [message]


def test_an_optional_signature_may_stay_blank():
    form = OptionalAck({"signature": ""})
    assert form.is_valid()
    assert form.cleaned_data["signature"] == ""


def test_the_pad_renders_a_canvas_its_hidden_input_and_its_label():
    html = Ack().as_div()
    assert "Signature du client" in html
    assert '<canvas width="600" height="200"' in html
    assert '<input type="hidden" name="signature"' in html
    assert "atelier/signature.js" in html
