"""Reads: the procedures that apply to an appliance (the most specific wins), a dossier's runs and their state,
the non-conformities a manager has to see, and the condition procedures put on commissioning."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _

from atelier.core.scoping import visible_or_404
from atelier.procedures.choices import ProcedureKind, StepOutcome
from atelier.procedures.models import (
    NonConformity,
    Procedure,
    ProcedureRun,
    ProcedureStep,
    StepResult,
    fr_number,
)


def current_procedures(*, family: str = "", brand: str = "", model_ref: str = "", kind: str = ""):
    """Current versions, filtered exactly (the manager's list and the API)."""
    queryset = Procedure.objects.filter(is_current=True)
    if family:
        queryset = queryset.filter(family=family)
    if brand:
        queryset = queryset.filter(brand__iexact=brand.strip())
    if model_ref:
        queryset = queryset.filter(model_ref__iexact=model_ref.strip())
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset


def _specificity(procedure: Procedure) -> int:
    return 2 * bool(procedure.model_ref) + bool(procedure.brand)


def applicable_procedures(appliance, kind: str = "") -> list[Procedure]:
    """The procedures that apply to an appliance: for each (type, objet), the most specific current version
    (this model, else this brand, else the whole family), in the order démontage, réparation, mise en service,
    reconditionnement."""
    brand, model_ref = appliance.brand.strip(), appliance.model_ref.strip()
    queryset = Procedure.objects.filter(is_current=True, family=appliance.family).filter(
        Q(brand="") | Q(brand__iexact=brand),
        Q(model_ref="") | Q(model_ref__iexact=model_ref, brand__iexact=brand),
    )
    if kind:
        queryset = queryset.filter(kind=kind)
    best: dict[tuple[str, str], Procedure] = {}
    for procedure in queryset.order_by("pk"):
        key = (procedure.kind, procedure.topic.strip().lower())
        if key not in best or _specificity(procedure) > _specificity(best[key]):
            best[key] = procedure
    order = list(ProcedureKind.values)
    return sorted(best.values(), key=lambda p: (order.index(p.kind), p.topic.lower(), p.title))


def applicable_procedure(appliance, kind: str, topic: str = "") -> Procedure | None:
    key = topic.strip().lower()
    return next((p for p in applicable_procedures(appliance, kind) if p.topic.strip().lower() == key), None)


def procedure_get(pk) -> Procedure:
    from django.shortcuts import get_object_or_404

    try:
        return get_object_or_404(Procedure, pk=int(pk))
    except (TypeError, ValueError):
        from django.http import Http404

        raise Http404 from None


def procedure_versions(procedure: Procedure):
    return Procedure.objects.filter(code=procedure.code).order_by("-version")


def _runs():
    return ProcedureRun.objects.select_related("procedure", "started_by").prefetch_related(
        Prefetch("results", queryset=StepResult.objects.select_related("step", "recorded_by")),
        Prefetch("procedure__steps", queryset=ProcedureStep.objects.select_related("document")),
    )


def case_runs(case) -> list[ProcedureRun]:
    return list(_runs().filter(case=case))


def runs_visible(user):
    return _runs().select_related("case__site").visible_to(user)


def run_get(*, user, pk) -> ProcedureRun:
    return visible_or_404(_runs().select_related("case__appliance", "case__site"), user, pk=pk)


@dataclass
class RunState:
    """Where a run stands: results by step, steps left, blocking results (problem or measure out of range)."""

    run: ProcedureRun
    rows: list[tuple[ProcedureStep, StepResult | None]]

    @property
    def left(self) -> list[ProcedureStep]:
        return [step for step, result in self.rows if result is None]

    @property
    def blocking(self) -> list[StepResult]:
        return [result for _step, result in self.rows if result is not None and result.is_blocking]

    @property
    def complete(self) -> bool:
        return not self.left

    @property
    def passed(self) -> bool:
        return self.complete and not self.blocking

    @property
    def done_count(self) -> int:
        return len(self.rows) - len(self.left)


def run_state(run: ProcedureRun) -> RunState:
    """Uses the run's prefetched steps and results when there are (see `_runs`)."""
    results = {r.step_id: r for r in run.results.all()}
    steps = sorted(run.procedure.steps.all(), key=lambda s: s.position)
    return RunState(run=run, rows=[(step, results.get(step.pk)) for step in steps])


def commissioning_procedure_problem(case) -> str | None:
    """Why the dossier may not be commissioned yet as far as procedures go, or None.

    When a control procedure « mise en service » applies to the dossier's appliance, its newest run on the
    dossier must be complete: every step done or not applicable, no problem, every measure in range."""
    procedure = applicable_procedure(case.appliance, ProcedureKind.MISE_EN_SERVICE)
    if procedure is None:
        return None
    run = next(
        (r for r in _runs().filter(case=case, procedure__kind=ProcedureKind.MISE_EN_SERVICE)),
        None,
    )
    if run is None:
        return _("le contrôle de mise en service « %(t)s » n'est pas fait") % {"t": procedure.title}
    state = run_state(run)
    if state.left:
        return _("le contrôle de mise en service « %(t)s » n'est pas terminé (étapes %(n)s à faire)") % {
            "t": run.procedure.title,
            "n": ", ".join(str(s.position) for s in state.left),
        }
    if state.blocking:
        first = state.blocking[0]
        if first.outcome == StepOutcome.PROBLEME:
            return _("le contrôle de mise en service signale un problème à l'étape %(n)s") % {
                "n": first.step.position
            }
        return _(
            "le contrôle de mise en service a une mesure hors tolérance à l'étape %(n)s (%(v)s, attendu %(r)s)"
        ) % {
            "n": first.step.position,
            "v": fr_number(first.measured_value) if first.measured_value is not None else "",
            "r": first.step.range_label,
        }
    return None


def non_conformities_to_see(user):
    return (
        NonConformity.objects.visible_to(user)
        .filter(seen_at__isnull=True)
        .select_related("case", "reported_by", "step__procedure")
    )


def non_conformities_for(user):
    return NonConformity.objects.visible_to(user).select_related(
        "case__appliance", "reported_by", "seen_by", "step__procedure", "incident"
    )
