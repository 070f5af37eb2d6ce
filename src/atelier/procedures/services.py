"""Writes: publish a procedure version (the previous one is frozen and superseded), start a run on a dossier,
record a step's outcome and measure, report a non-conformity (to the manager; to the manufacturer feedback
report when it is the maker's), mark it seen. Each run and non-conformity leaves a line in the dossier's
history."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.billing.choices import IncidentKind
from atelier.billing.models import Incident
from atelier.core.access import require_step
from atelier.core.errors import AtelierError, TransitionRefused
from atelier.core.locking import lock
from atelier.core.permissions import require_site
from atelier.customers.choices import ProductFamily
from atelier.procedures import selectors
from atelier.procedures.choices import ProcedureKind, ProcedureSource, StepOutcome
from atelier.procedures.models import NonConformity, Procedure, ProcedureRun, ProcedureStep, StepResult
from atelier.repairs.choices import EventKind
from atelier.repairs.models import CaseEvent, RepairCase

STEP_FIELDS = (
    "instruction",
    "document",
    "document_url",
    "measure_label",
    "unit",
    "min_value",
    "max_value",
    "safety_note",
)


def _clean_steps(steps: list[dict]) -> list[dict]:
    cleaned = []
    for number, raw in enumerate(steps, start=1):
        step = {f: raw.get(f) for f in STEP_FIELDS}
        for f in ("instruction", "document_url", "measure_label", "unit", "safety_note"):
            step[f] = (step[f] or "").strip()
        if not step["instruction"]:
            raise AtelierError(_("Étape %(n)s : écrivez la consigne.") % {"n": number})
        low, high = step["min_value"], step["max_value"]
        if (low is not None or high is not None or step["unit"]) and not step["measure_label"]:
            raise AtelierError(_("Étape %(n)s : nommez la grandeur à mesurer.") % {"n": number})
        if low is not None and high is not None and low > high:
            raise AtelierError(_("Étape %(n)s : le minimum dépasse le maximum.") % {"n": number})
        cleaned.append(step)
    if not cleaned:
        raise AtelierError(_("Une procédure a au moins une étape."))
    return cleaned


@transaction.atomic
def procedure_publish(
    *,
    actor,
    kind: str,
    title: str,
    family: str,
    source: str,
    steps: list[dict],
    topic: str = "",
    brand: str = "",
    model_ref: str = "",
    reference: str = "",
    change_note: str = "",
    previous: Procedure | None = None,
    at: datetime.datetime | None = None,
) -> Procedure:
    """Publish a procedure, or its next version when `previous` is given: the published version is never
    changed (runs keep pointing to the version they followed), it is superseded."""
    require_step(actor, "procedures.manage")
    title, topic, brand, model_ref = (v.strip() for v in (title, topic, brand, model_ref))
    if kind not in ProcedureKind.values:
        raise AtelierError(_("Type de procédure inconnu."), field="kind")
    if family not in ProductFamily.values:
        raise AtelierError(_("Famille de produit inconnue."), field="family")
    if source not in ProcedureSource.values:
        raise AtelierError(_("Source inconnue."), field="source")
    if not title:
        raise AtelierError(_("Donnez un titre à la procédure."), field="title")
    if model_ref and not brand:
        raise AtelierError(_("Indiquez la marque du modèle."), field="brand")
    steps = _clean_steps(steps)
    if previous is not None:
        previous = lock(previous)
        if not previous.is_current:
            raise TransitionRefused(
                _("La version %(v)s n'est plus en vigueur : modifiez la dernière version.")
                % {"v": previous.version}
            )
        code, version = previous.code, previous.version + 1
        previous.is_current = False
        previous.save(update_fields=["is_current"])
    else:
        code, version = f"{kind[:3].upper()}-{Procedure.objects.values('code').distinct().count() + 1:04d}", 1
    procedure = Procedure.objects.create(
        code=code,
        version=version,
        kind=kind,
        title=title,
        topic=topic,
        family=family,
        brand=brand,
        model_ref=model_ref,
        source=source,
        reference=reference.strip(),
        change_note=change_note.strip(),
        published_at=at or timezone.now(),
        published_by=actor,
    )
    ProcedureStep.objects.bulk_create(
        ProcedureStep(procedure=procedure, position=n, **step) for n, step in enumerate(steps, start=1)
    )
    return procedure


def _event(case, actor, label: str, note: str = "", at=None) -> None:
    CaseEvent.objects.create(
        case=case, actor=actor, at=at or timezone.now(), kind=EventKind.NOTE, label=label[:120], note=note
    )


@transaction.atomic
def run_start(*, actor, case: RepairCase, procedure: Procedure, at=None) -> ProcedureRun:
    """Start following a procedure on the dossier (the version in force, which must apply to the appliance)."""
    require_site(actor, case.site)
    require_step(actor, "procedures.follow", site=case.site)
    case = lock(case)
    if case.is_closed:
        raise TransitionRefused(_("Le dossier %(n)s est clos.") % {"n": case.number})
    if procedure.pk not in {p.pk for p in selectors.applicable_procedures(case.appliance)}:
        raise AtelierError(
            _("Cette procédure ne s'applique pas à l'appareil du dossier (ou n'est plus en vigueur).")
        )
    at = at or timezone.now()
    run = ProcedureRun.objects.create(case=case, procedure=procedure, started_by=actor, started_at=at)
    _event(
        case,
        actor,
        _("Procédure suivie : %(t)s (v%(v)s)") % {"t": procedure.title, "v": procedure.version},
        _("%(k)s · source %(s)s") % {"k": procedure.get_kind_display(), "s": procedure.get_source_display()},
        at,
    )
    return run


@transaction.atomic
def step_record(
    *,
    actor,
    run: ProcedureRun,
    step: ProcedureStep,
    outcome: str,
    note: str = "",
    measured_value: Decimal | None = None,
    manufacturer_fault: bool = False,
    at=None,
) -> StepResult:
    """Record (or correct) one step's outcome. A step that asks for a measure needs it when done; a value out of
    the step's range is flagged. A problem at a disassembly step is reported as a non-conformity."""
    case = run.case
    require_site(actor, case.site)
    require_step(actor, "procedures.follow", site=case.site)
    run = lock(run)
    if step.procedure_id != run.procedure_id:
        raise AtelierError(_("Cette étape n'appartient pas à la procédure suivie."))
    if case.is_closed:
        raise TransitionRefused(_("Le dossier %(n)s est clos.") % {"n": case.number})
    if outcome not in StepOutcome.values:
        raise AtelierError(_("Choisissez fait, non applicable ou problème."), field="outcome")
    note = (note or "").strip()
    if outcome == StepOutcome.PROBLEME and not note:
        raise AtelierError(_("Décrivez le problème constaté."), field="note")
    if outcome == StepOutcome.NON_APPLICABLE and not note and step.asks_measure:
        raise AtelierError(_("Dites pourquoi la mesure ne s'applique pas."), field="note")
    if step.asks_measure and outcome == StepOutcome.FAIT and measured_value is None:
        raise AtelierError(
            _("Saisissez la mesure (%(q)s, %(r)s).") % {"q": step.measure_label, "r": step.range_label},
            field="measured_value",
        )
    if not step.asks_measure:
        measured_value = None
    out_of_range = measured_value is not None and not step.in_range(measured_value)
    at = at or timezone.now()
    result, _created = StepResult.objects.update_or_create(
        run=run,
        step=step,
        defaults={
            "outcome": outcome,
            "note": note,
            "measured_value": measured_value,
            "out_of_range": out_of_range,
            "recorded_by": actor,
            "recorded_at": at,
        },
    )
    if outcome == StepOutcome.PROBLEME and run.procedure.kind == ProcedureKind.DEMONTAGE:
        non_conformity_report(
            actor=actor,
            case=case,
            description=_("Étape %(n)s « %(i)s » : %(note)s")
            % {"n": step.position, "i": step.instruction[:80], "note": note},
            manufacturer_fault=manufacturer_fault,
            run=run,
            step=step,
            at=at,
        )
    done = run.results.count() == run.procedure.steps.count()
    if done and run.finished_at is None:
        run.finished_at = at
        run.save(update_fields=["finished_at"])
        state = selectors.run_state(run)
        _event(
            case,
            actor,
            _("Procédure terminée : %(t)s (v%(v)s)") % {"t": run.procedure.title, "v": run.procedure.version},
            _("conforme")
            if state.passed
            else _("%(n)s étape(s) en problème ou hors tolérance") % {"n": len(state.blocking)},
            at,
        )
    return result


@transaction.atomic
def non_conformity_report(
    *,
    actor,
    case: RepairCase,
    description: str,
    manufacturer_fault: bool = False,
    incident_kind: str = IncidentKind.MONTAGE,
    part_reference: str = "",
    run: ProcedureRun | None = None,
    step: ProcedureStep | None = None,
    at=None,
) -> NonConformity:
    """A non-conformity seen on the appliance: the manager sees it on their home page; when it is the maker's, it
    is added to the manufacturer feedback report (« Remontées aux fabricants »)."""
    require_site(actor, case.site)
    require_step(actor, "procedures.follow", site=case.site)
    description = (description or "").strip()
    if not description:
        raise AtelierError(_("Décrivez la non-conformité constatée."), field="description")
    if manufacturer_fault and incident_kind not in IncidentKind.values:
        raise AtelierError(_("Type de remontée inconnu."), field="incident_kind")
    at = at or timezone.now()
    incident = None
    if manufacturer_fault:
        incident = Incident.objects.create(
            case=case,
            brand=case.appliance.brand.strip().upper(),
            kind=incident_kind,
            description=description,
            part_reference=(part_reference or "").strip(),
            recorded_by=actor,
            at=at,
        )
    item = NonConformity.objects.create(
        case=case,
        run=run,
        step=step,
        description=description,
        manufacturer_fault=manufacturer_fault,
        incident=incident,
        reported_by=actor,
        reported_at=at,
    )
    _event(
        case,
        actor,
        _("Non-conformité constatée (fabricant)") if manufacturer_fault else _("Non-conformité constatée"),
        description,
        at,
    )
    return item


@transaction.atomic
def non_conformity_seen(*, actor, item: NonConformity, at=None) -> NonConformity:
    require_site(actor, item.case.site)
    require_step(actor, "procedures.manage", site=item.case.site)
    item = lock(item)
    if item.seen_at is None:
        item.seen_at = at or timezone.now()
        item.seen_by = actor
        item.save(update_fields=["seen_at", "seen_by"])
    return item
