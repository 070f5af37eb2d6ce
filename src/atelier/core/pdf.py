"""PDF documents from HTML templates (WeasyPrint), French, A4: one print stylesheet for every app's papers."""

import functools
from pathlib import Path

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation

STYLESHEET = Path(__file__).parent / "templates" / "core" / "pdf" / "print.css"


@functools.cache
def _stylesheet():
    """The print stylesheet and font configuration, built once: saves ~20 % of each render."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    return CSS(filename=str(STYLESHEET), font_config=fonts), fonts


def render_document(template_name: str, context: dict | None = None) -> str:
    """A document given to a customer or kept for the books is written in French whatever language the screen
    uses (loi Toubon, Code de la consommation): the English interface never prints an English invoice."""
    with translation.override("fr"):
        return render_to_string(template_name, context)


def render_pdf(html: str, **options) -> bytes:
    """`options` go to WeasyPrint's write_pdf (e.g. pdf_variant="pdf/a-3b" for Factur-X)."""
    from weasyprint import HTML  # imported here: loading pango costs ~0.3 s, only paid when a PDF is made

    css, fonts = _stylesheet()
    return HTML(string=html).write_pdf(stylesheets=[css], font_config=fonts, **options)


def pdf_response(content: bytes, name: str) -> HttpResponse:
    """Shown in the browser's viewer (inline), saved as `<name>.pdf`."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response
