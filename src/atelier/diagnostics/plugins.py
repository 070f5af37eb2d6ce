"""The « Questionnement et diagnostic » section of the dossier page (registered through repairs.extensions)."""

from atelier.core.access import may
from atelier.diagnostics import selectors
from atelier.repairs.choices import CaseStatus


def dossier_section(request, case):
    user = request.user
    answers = selectors.case_answers(case)
    pre = selectors.prediagnosis_of(case)
    diagnosis = selectors.diagnosis_of(case)
    finished = case.is_closed
    can_counter = not finished and may(user, "diagnostics.counter", case.site_id)
    return {
        "template": "diagnostics/_dossier_section.html",
        "case": case,
        "answers": answers,
        "flagged": [a for a in answers if a.flag],
        "prediagnosis": pre,
        "diagnosis": diagnosis,
        "process": selectors.process_for(case),
        "can_question": can_counter,
        "propose_questions": can_counter and not answers and case.status == CaseStatus.RECU,
        "can_prediagnose": can_counter and pre is None and case.status == CaseStatus.RECU,
        "can_diagnose": not finished
        and case.status != CaseStatus.RECU
        and may(user, "diagnostics.diagnose", case.site_id),
        "is_manager": may(user, "repairs.supervise", case.site_id),
    }
