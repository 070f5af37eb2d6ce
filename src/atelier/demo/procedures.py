"""Demo procedures followed on dossiers: disassembly and commissioning control on repaired dossiers (with their
measures), a disassembly in progress on the bench, a commissioning control not finished (the dossier cannot be
commissioned yet), and non-conformities reported at disassembly, one of them the maker's (manufacturer report)."""

import datetime
from decimal import Decimal

from atelier.billing.choices import IncidentKind
from atelier.billing.models import Incident
from atelier.procedures import selectors
from atelier.procedures.choices import ProcedureKind, StepOutcome
from atelier.procedures.models import NonConformity, ProcedureRun, StepResult
from atelier.repairs.choices import CaseStatus, EventKind
from atelier.repairs.models import CaseEvent, RepairCase

RUNS_PER_SITE = 8
NON_CONFORMITIES = [
    ("Cosse du bornier d'alimentation noircie, mal sertie d'origine.", True, "Cosse bornier"),
    ("Vis de fixation de la carte de puissance manquante (intervention précédente hors atelier).", False, ""),
]


def _value(step, rng) -> Decimal | None:
    if not step.asks_measure:
        return None
    low = step.min_value if step.min_value is not None else Decimal(0)
    high = step.max_value if step.max_value is not None else low + 10
    span = high - low
    return (low + span * Decimal(rng.randint(25, 75)) / 100).quantize(Decimal("0.1"))


def _run(case, procedure, technician, at, rng, *, upto=None, problem=None) -> ProcedureRun:
    run = ProcedureRun.objects.create(case=case, procedure=procedure, started_by=technician, started_at=at)
    CaseEvent.objects.create(
        case=case,
        actor=technician,
        at=at,
        kind=EventKind.NOTE,
        label=f"Procédure suivie : {procedure.title} (v{procedure.version})"[:120],
        note=f"{procedure.get_kind_display()} · source {procedure.get_source_display()}",
    )
    steps = list(procedure.steps.order_by("position"))
    for step in steps[:upto]:
        at += datetime.timedelta(minutes=rng.randint(2, 9))
        outcome, note = StepOutcome.FAIT, ""
        if problem and step.position == len(steps):
            outcome, note = StepOutcome.PROBLEME, problem
        StepResult.objects.create(
            run=run,
            step=step,
            outcome=outcome,
            note=note,
            measured_value=_value(step, rng),
            recorded_by=technician,
            recorded_at=at,
        )
    if upto is None:
        run.finished_at = at
        run.save(update_fields=["finished_at"])
        CaseEvent.objects.create(
            case=case,
            actor=technician,
            at=at,
            kind=EventKind.NOTE,
            label=f"Procédure terminée : {procedure.title} (v{procedure.version})"[:120],
            note="conforme" if not problem else "1 étape(s) en problème ou hors tolérance",
        )
    return run


def load(*, sites, users, rng) -> dict[str, int]:
    made = {"procédures suivies": 0, "non-conformités": 0}
    if ProcedureRun.objects.exists():
        return made
    for site in sites.values():
        cases = RepairCase.objects.filter(technician__isnull=False, site=site).select_related(
            "appliance", "technician"
        )
        repaired = cases.filter(status__in=[CaseStatus.PRET, CaseStatus.RENDU, CaseStatus.CLOTURE]).order_by(
            "-pk"
        )
        problems = list(NON_CONFORMITIES)
        for case in repaired[:RUNS_PER_SITE]:
            at = case.received_at + datetime.timedelta(hours=2)
            for procedure in selectors.applicable_procedures(case.appliance):
                if procedure.kind not in (ProcedureKind.DEMONTAGE, ProcedureKind.MISE_EN_SERVICE):
                    continue
                problem = None
                if procedure.kind == ProcedureKind.DEMONTAGE and problems:
                    problem, maker, part = problems.pop(0)
                run = _run(case, procedure, case.technician, at, rng, problem=problem)
                made["procédures suivies"] += 1
                if problem:
                    incident = (
                        Incident.objects.create(
                            case=case,
                            brand=case.appliance.brand.strip().upper(),
                            kind=IncidentKind.MONTAGE,
                            description=problem,
                            part_reference=part,
                            recorded_by=case.technician,
                            at=at,
                        )
                        if maker
                        else None
                    )
                    NonConformity.objects.create(
                        case=case,
                        run=run,
                        step=run.procedure.steps.order_by("position").last(),
                        description=problem,
                        manufacturer_fault=maker,
                        incident=incident,
                        reported_by=case.technician,
                        reported_at=at,
                    )
                    made["non-conformités"] += 1
                at += datetime.timedelta(hours=3)
        # On the bench: a disassembly in progress; repaired, awaiting commissioning: the control half done.
        for status, kind in (
            (CaseStatus.EN_REPARATION, ProcedureKind.DEMONTAGE),
            (CaseStatus.REPARE, ProcedureKind.MISE_EN_SERVICE),
        ):
            for case in cases.filter(status=status).order_by("pk")[:2]:
                procedure = selectors.applicable_procedure(case.appliance, kind)
                if procedure is not None:
                    _run(case, procedure, case.technician, case.status_changed_at, rng, upto=2)
                    made["procédures suivies"] += 1
    return made
