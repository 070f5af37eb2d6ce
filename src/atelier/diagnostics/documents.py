"""The fiche de pré-diagnostic (PDF, French, A4), rendered by WeasyPrint like the quotes' documents."""

from atelier.core.pdf import render_document, render_pdf
from atelier.diagnostics import selectors
from atelier.diagnostics.models import PreDiagnosis


def prediagnosis_html(pre: PreDiagnosis) -> str:
    case = pre.case
    return render_document(
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
    return render_pdf(prediagnosis_html(pre))
