"""The « Questionnement et diagnostic » section of the dossier page (registered through repairs.extensions)."""

from atelier.core.choices import Role
from atelier.diagnostics import selectors
from atelier.diagnostics.services import COUNTER_ROLES, DIAGNOSIS_ROLES
from atelier.repairs.choices import CaseStatus


def dossier_section(request, case):
    user = request.user
    answers = selectors.case_answers(case)
    pre = selectors.prediagnosis_of(case)
    diagnosis = selectors.diagnosis_of(case)
    finished = case.is_closed
    can_counter = not finished and (user.is_superuser or user.has_role(*COUNTER_ROLES))
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
        and (user.is_superuser or user.has_role(*DIAGNOSIS_ROLES)),
        "is_manager": user.is_superuser or user.has_role(Role.RESPONSABLE_SAV),
    }
