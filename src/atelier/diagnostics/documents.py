"""The fiche de pré-diagnostic (PDF, French, A4), rendered by WeasyPrint like the quotes' documents."""

import functools
from pathlib import Path

from django.template.loader import render_to_string

from atelier.diagnostics import selectors
from atelier.diagnostics.models import PreDiagnosis

STYLESHEET = Path(__file__).parent / "templates" / "diagnostics" / "pdf" / "print.css"


@functools.cache
def _stylesheet():
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    return CSS(filename=str(STYLESHEET), font_config=fonts), fonts


def prediagnosis_html(pre: PreDiagnosis) -> str:
    case = pre.case
    return render_to_string(
        "diagnostics/pdf/prediagnosis.html",
        {
            "pre": pre,
            "case": case,
            "site": case.site,
            "customer": case.customer,
            "appliance": case.appliance,
            "answers": selectors.case_answers(case),
            "checks": list(pre.checks.select_related("item")),
            "symptoms": list(pre.symptoms.all()),
            "process": selectors.process_for(case, pre.recorded_at.date()),
        },
    )


def prediagnosis_pdf(pre: PreDiagnosis) -> bytes:
    from weasyprint import HTML  # loading pango costs ~0.3 s: only paid when a PDF is made

    css, fonts = _stylesheet()
    return HTML(string=prediagnosis_html(pre)).write_pdf(stylesheets=[css], font_config=fonts)
