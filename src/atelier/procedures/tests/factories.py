"""Helpers for tests of other apps: follow a dossier's procedure to the end, every step done, every measure in
the middle of its range."""

from decimal import Decimal

from atelier.procedures import selectors, services
from atelier.procedures.choices import ProcedureKind, StepOutcome


def mid_range(step) -> Decimal | None:
    if not step.asks_measure:
        return None
    low = step.min_value if step.min_value is not None else Decimal(0)
    high = step.max_value if step.max_value is not None else low + 2
    return (low + high) / 2


def follow_procedure(case, actor, kind: str = ProcedureKind.MISE_EN_SERVICE, topic: str = ""):
    """The applicable procedure of `kind` followed on the dossier, all steps done; None when none applies."""
    procedure = selectors.applicable_procedure(case.appliance, kind, topic)
    if procedure is None:
        return None
    run = services.run_start(actor=actor, case=case, procedure=procedure)
    for step in procedure.steps.order_by("position"):
        services.step_record(
            actor=actor, run=run, step=step, outcome=StepOutcome.FAIT, measured_value=mid_range(step)
        )
    run.refresh_from_db()
    return run
