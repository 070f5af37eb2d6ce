"""Demo of the questioning, pre-diagnosis and diagnosis (atelier.diagnostics) on the demo dossiers.

Answers on the dossiers just received (one in three left without, so the « Questionner le client » button shows),
a pre-diagnosis with its checklist and the customer's acknowledgement on every dossier past « Reçu », and a
technician's diagnosis with measurements on some dossiers being repaired. Written directly (the dossiers'
states are already set by the demo's story); idempotent: dossiers that already have them are skipped.
"""

from decimal import Decimal

from django.db import transaction

from atelier.diagnostics.choices import Acknowledgement, CheckResult, QuestionKind
from atelier.diagnostics.flow import asked, questions_for
from atelier.diagnostics.models import (
    Answer,
    ChecklistItem,
    Diagnosis,
    Measurement,
    PreDiagnosis,
    PreDiagnosisCheck,
)
from atelier.diagnostics.selectors import suggestions_for
from atelier.knowledge.models import Check
from atelier.repairs.choices import CaseStatus
from atelier.repairs.models import RepairCase

DIAGNOSED = (CaseStatus.ACCEPTE, CaseStatus.ATTENTE_PIECES, CaseStatus.EN_REPARATION, CaseStatus.REPARE)
SUGGESTED = (CaseStatus.PREDIAGNOSTIQUE, CaseStatus.DEVIS_ENVOYE)
TOLD = "Diagnostic en atelier sous 2 à 5 jours ouvrés ; forfait diagnostic annoncé ; devis avant toute réparation."


def _answer_value(question, rng) -> str:
    if question.key == "code_affiche":
        return "non"  # the demo's stories carry no error code
    if question.kind == QuestionKind.YES_NO:
        return "oui" if rng.random() < 0.3 else "non"
    if question.kind == QuestionKind.CHOICE:
        return rng.choice(question.choice_list)
    if question.kind == QuestionKind.ERROR_CODE:
        return ""
    return ""


def _answers(case, user, rng, questions_by_family, at) -> int:
    family = case.appliance.family
    if family not in questions_by_family:
        questions_by_family[family] = questions_for(family)
    questions = questions_by_family[family]
    values: dict[int, str] = {}
    for question in questions:  # in order: a child sees its parent's answer
        if question in asked(questions, values):
            values[question.pk] = _answer_value(question, rng)
    rows = [
        Answer(case=case, question_id=pk, value=value, answered_by=user, answered_at=at)
        for pk, value in values.items()
        if value
    ]
    for question in questions:
        if question.kind == QuestionKind.TEXT and question.key == "constat":
            rows.append(
                Answer(
                    case=case,
                    question=question,
                    value=case.customer_words[:500],
                    answered_by=user,
                    answered_at=at,
                )
            )
    Answer.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def _measure(diagnosis, check, rng, user, at) -> Measurement:
    low, high = check.expected_min, check.expected_max
    if low is None and high is None:
        value = Decimal(rng.randint(1, 50))
    else:
        base = low if low is not None else high
        top = high if high is not None else base * 2
        value = (low or 0) + (top - (low or 0)) * Decimal(str(round(rng.random(), 2)))
        if rng.random() < 0.3:
            value = top * Decimal("1.8") + 1  # out of range: the faulty part
    value = value.quantize(Decimal("0.1"))
    conforming = (low is None or value >= low) and (high is None or value <= high)
    return Measurement(
        diagnosis=diagnosis,
        check_ref=check,
        instrument=check.instrument or "Multimètre",
        point=check.point or check.title,
        value=value,
        unit=check.unit,
        expected_min=low,
        expected_max=high,
        conforming=conforming,
        measured_by=user,
        measured_at=at,
    )


@transaction.atomic  # one transaction: each dossier's rows would otherwise be a commit of their own
def load(*, sites, users, rng) -> dict[str, int]:
    counts = {"réponses au questionnement": 0, "pré-diagnostics": 0, "diagnostics": 0, "mesures": 0}
    accueil, technicien = users["accueil"], users["technicien"]
    cases = list(
        RepairCase.objects.filter(site__in=sites.values())
        .select_related("appliance", "customer", "technician")
        .order_by("pk")
    )
    with_pre = set(PreDiagnosis.objects.filter(case__in=cases).values_list("case_id", flat=True))
    with_answers = set(Answer.objects.filter(case__in=cases).values_list("case_id", flat=True))
    with_diag = set(Diagnosis.objects.filter(case__in=cases).values_list("case_id", flat=True))
    questions_by_family: dict = {}
    checklists: dict = {}
    checks: dict = {}
    for case in cases:
        family = case.appliance.family
        if case.pk not in with_answers and (case.status != CaseStatus.RECU or case.pk % 3):
            counts["réponses au questionnement"] += _answers(
                case, accueil, rng, questions_by_family, case.received_at
            )
        if case.status == CaseStatus.RECU or case.status == CaseStatus.ANNULE or case.pk in with_pre:
            continue
        if family not in checklists:
            checklists[family] = list(ChecklistItem.objects.filter(family=family, is_active=True))
        items = checklists[family]
        will_diagnose = case.status in DIAGNOSED and case.pk not in with_diag and case.pk % 2 == 0
        # The suggester (~50 ms a dossier) runs where its result shows: open pre-diagnoses and diagnoses.
        ranked = suggestions_for(case, limit=3) if will_diagnose or case.status in SUGGESTED else []
        lead = ranked[0].label if ranked else ""
        pre = PreDiagnosis.objects.create(
            case=case,
            findings=f"Panne constatée avec le client : {case.customer_words[:200]}",
            visible_damage=case.visible_condition,
            leads=f"Piste principale : {lead}." if lead else "",
            told_customer=TOLD,
            suggestions=[{"label": s.label, "percent": s.percent} for s in ranked],
            recorded_by=accueil,
            recorded_at=case.received_at,
            acknowledgement=Acknowledgement.PAPER,
            signer_name=str(case.customer.display_name)[:120],
            acknowledged_at=case.received_at,
        )
        PreDiagnosisCheck.objects.bulk_create(
            PreDiagnosisCheck(
                prediagnosis=pre,
                item=item,
                result=CheckResult.ANOMALY if rng.random() < 0.15 else CheckResult.OK,
            )
            for item in items
        )
        counts["pré-diagnostics"] += 1
        if will_diagnose:
            diagnosis = Diagnosis.objects.create(
                case=case,
                disassembly_notes="Capot et façade déposés, connecteurs contrôlés.",
                non_conformities="Traces d'oxydation sur un connecteur." if rng.random() < 0.3 else "",
                conclusion=f"Cause confirmée par les mesures : {lead}."
                if lead
                else "Cause confirmée par les mesures.",
                confirmed_cause=ranked[0].cause if ranked else None,
                labour_hours=Decimal(rng.choice(["0.75", "1.00", "1.50", "2.00"])),
                technician=case.technician or technicien,
                updated_at=case.status_changed_at,
            )
            if family not in checks:
                checks[family] = list(Check.objects.filter(family=family).exclude(unit=""))
            family_checks = checks[family]
            picked = rng.sample(family_checks, k=min(2, len(family_checks)))
            Measurement.objects.bulk_create(
                _measure(diagnosis, check, rng, diagnosis.technician, diagnosis.updated_at)
                for check in picked
            )
            counts["diagnostics"] += 1
            counts["mesures"] += len(picked)
    return counts
