"""Writes of the questioning, the pre-diagnosis and the diagnosis of a dossier.

Keyword-only, atomic; each locks the dossier row (two people at the counter and in the workshop may write at
once), re-checks role and site, validates everything, then writes.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.core.access import require_step
from atelier.core.choices import Role
from atelier.core.errors import AtelierError, TransitionRefused
from atelier.core.locking import lock
from atelier.core.models import User
from atelier.core.permissions import require_role, require_site
from atelier.diagnostics import flow, measures
from atelier.diagnostics.choices import Acknowledgement, CheckResult, SourceKind
from atelier.diagnostics.models import (
    Answer,
    ChecklistItem,
    Diagnosis,
    DiagnosisPart,
    Measurement,
    PreDiagnosis,
    PreDiagnosisCheck,
    SourceConsulted,
)
from atelier.diagnostics.selectors import case_error_code, case_text, suggestions_for
from atelier.knowledge.models import Cause, Check, ConfirmedCause
from atelier.repairs.choices import CaseStatus
from atelier.repairs.models import RepairCase
from atelier.repairs.services import case_prediagnose
from atelier.stock.choices import Availability
from atelier.stock.models import Part

COUNTER_ROLES = (Role.ACCUEIL, Role.TECHNICIEN, Role.RESPONSABLE_SAV)
DIAGNOSIS_ROLES = (Role.TECHNICIEN, Role.RESPONSABLE_SAV)


def _open_case(case: RepairCase, actor: User, roles) -> RepairCase:
    """The dossier re-read under its row lock, after the role and site checks; refused once it is finished."""
    require_role(actor, *roles)
    require_site(actor, case.site)
    fresh = lock(case, related=("appliance", "site"))
    if fresh.is_closed:
        raise TransitionRefused(
            _("Le dossier %(number)s est « %(state)s » : il ne change plus.")
            % {"number": fresh.number, "state": fresh.get_status_display()}
        )
    return fresh


# ---------------------------------------------------------------- questioning (C2.4)


@transaction.atomic
def answers_save(*, case: RepairCase, actor: User, answers: dict[int, str], at=None) -> list[Answer]:
    """Record the customer's answers (question id → typed value); a blank value clears an answer.

    Only the questions asked given these answers are kept (answering « non » to « Un code erreur
    s'affiche ? » removes the code given before). An unknown error code is kept and flagged.
    """
    case = _open_case(case, actor, COUNTER_ROLES)
    family, brand = case.appliance.family, case.appliance.brand
    questions = flow.questions_for(family)
    raw = {q.pk: (answers.get(q.pk) or "").strip() for q in questions}
    cleaned: dict[int, tuple[str, str]] = {}
    for question in flow.asked(questions, raw):
        if raw[question.pk]:
            cleaned[question.pk] = flow.clean_answer(question, raw[question.pk], family=family, brand=brand)
    if not cleaned:
        raise AtelierError(_("Aucune réponse saisie : répondez au moins à une question."))
    at = at or timezone.now()
    Answer.objects.filter(case=case).exclude(question_id__in=list(cleaned)).delete()
    existing = {a.question_id: a for a in Answer.objects.filter(case=case)}
    saved = []
    for question_id, (value, flag) in cleaned.items():
        answer = existing.get(question_id)
        if answer and (answer.value, answer.flag) == (value, flag):
            saved.append(answer)
            continue
        answer = answer or Answer(case=case, question_id=question_id)
        answer.value, answer.flag, answer.answered_by, answer.answered_at = value, flag, actor, at
        answer.save()
        saved.append(answer)
    return saved


# ---------------------------------------------------------------- pre-diagnosis (C2.5)


def _prediagnosis_note(pre: PreDiagnosis, checks: list[PreDiagnosisCheck]) -> str:
    lines = [_("Constats : %(t)s") % {"t": pre.findings}]
    if pre.visible_damage:
        lines.append(_("Dommages visibles : %(t)s") % {"t": pre.visible_damage})
    anomalies = [c.item.title for c in checks if c.result == CheckResult.ANOMALY]
    if checks:
        lines.append(
            _("Vérifications de base : %(done)s faite(s), %(bad)s anomalie(s)%(list)s")
            % {
                "done": sum(c.result != CheckResult.NOT_DONE for c in checks),
                "bad": len(anomalies),
                "list": f" ({' ; '.join(anomalies)})" if anomalies else "",
            }
        )
    if pre.leads:
        lines.append(_("Pistes : %(t)s") % {"t": pre.leads})
    if pre.suggestions:
        top = ", ".join(f"{s['label']} ({s['percent']} %)" for s in pre.suggestions[:3])
        lines.append(_("Causes suggérées : %(t)s") % {"t": top})
    return "\n".join(lines)


@transaction.atomic
def prediagnosis_record(
    *,
    case: RepairCase,
    actor: User,
    findings: str,
    checks: dict[int, tuple[str, str]] | None = None,
    visible_damage: str = "",
    leads: str = "",
    told_customer: str = "",
    symptoms=(),
    at: datetime.datetime | None = None,
) -> PreDiagnosis:
    """Record the counter's pre-diagnosis and move the dossier Reçu → Pré-diagnostiqué (case_prediagnose)."""
    case = _open_case(case, actor, COUNTER_ROLES)
    if PreDiagnosis.objects.filter(case=case).exists() or case.status != CaseStatus.RECU:
        raise TransitionRefused(
            _("Le pré-diagnostic du dossier %(number)s est déjà enregistré (état « %(state)s »).")
            % {"number": case.number, "state": case.get_status_display()}
        )
    findings = (findings or "").strip()
    if not findings:
        raise AtelierError(_("Notez les constats du pré-diagnostic."), field="findings")
    family = case.appliance.family
    checks = checks or {}
    items = {i.pk: i for i in ChecklistItem.objects.filter(family=family, pk__in=list(checks))}
    rows = []
    for item_id, (result, remark) in checks.items():
        if item_id not in items:
            raise AtelierError(
                _("Cette vérification n'est pas celle de la famille de l'appareil."), field="checks"
            )
        if result not in CheckResult.values:
            raise AtelierError(
                _("Résultat de vérification inconnu : « %(r)s ».") % {"r": result}, field="checks"
            )
        rows.append((items[item_id], result, (remark or "").strip()[:200]))
    symptoms = list(symptoms)
    if any(s.family != family for s in symptoms):
        raise AtelierError(_("Ces symptômes sont d'une autre famille d'appareil."), field="symptoms")
    at = at or timezone.now()
    extra = "\n".join((findings, visible_damage, leads))
    ranked = suggestions_for(case, extra_text=extra, symptoms=symptoms)
    pre = PreDiagnosis(
        case=case,
        findings=findings,
        visible_damage=(visible_damage or "").strip(),
        leads=(leads or "").strip(),
        told_customer=(told_customer or "").strip(),
        suggestions=[{"label": s.label, "percent": s.percent} for s in ranked],
        recorded_by=actor,
        recorded_at=at,
    )
    pre.full_clean()
    pre.save()
    pre.symptoms.set(symptoms)
    saved = [
        PreDiagnosisCheck.objects.create(prediagnosis=pre, item=item, result=result, remark=remark)
        for item, result, remark in sorted(rows, key=lambda r: (r[0].position, r[0].pk))
    ]
    case_prediagnose(case=case, actor=actor, note=_prediagnosis_note(pre, saved), at=at)
    return pre


@transaction.atomic
def prediagnosis_acknowledge(
    *,
    prediagnosis: PreDiagnosis,
    actor: User,
    signer_name: str,
    signature: str = "",
    on_paper: bool = False,
    at=None,
) -> PreDiagnosis:
    """The customer acknowledges the sheet: signed on screen (PNG data URL) or on the printed sheet."""
    _open_case(prediagnosis.case, actor, COUNTER_ROLES)
    pre = lock(prediagnosis)
    if pre.acknowledgement:
        raise AtelierError(_("La fiche est déjà signée par le client."))
    signer_name = (signer_name or "").strip()
    if not signer_name:
        raise AtelierError(_("Indiquez le nom de la personne qui signe."), field="signer_name")
    if bool(signature) == bool(on_paper):
        raise AtelierError(
            _("Faites signer le client à l'écran, ou cochez « Signée sur papier » (l'un ou l'autre)."),
            field="signature",
        )
    pre.acknowledgement = Acknowledgement.SCREEN if signature else Acknowledgement.PAPER
    pre.signature = signature
    pre.signer_name = signer_name
    pre.acknowledged_at = at or timezone.now()
    pre.save(update_fields=["acknowledgement", "signature", "signer_name", "acknowledged_at"])
    return pre


# ---------------------------------------------------------------- diagnosis (C1.4–C1.6)


def _diagnosis(case: RepairCase, actor: User) -> Diagnosis:
    diagnosis = Diagnosis.objects.filter(case=case).first()
    return diagnosis or Diagnosis.objects.create(case=case, technician=actor)


@transaction.atomic
def diagnosis_save(
    *,
    case: RepairCase,
    actor: User,
    disassembly_notes: str = "",
    non_conformities: str = "",
    conclusion: str = "",
    confirmed_cause: Cause | None = None,
    new_cause: str = "",
    labour_hours=None,
    unsolved: bool = False,
    at=None,
) -> Diagnosis:
    """Save the technician's notes, conclusion, confirmed cause (chosen, or added to the base) and labour."""
    case = _open_case(case, actor, DIAGNOSIS_ROLES)
    family = case.appliance.family
    hours = measures.parse_value(
        labour_hours, field="labour_hours", label=_("Main-d'œuvre estimée"), places="0.01"
    )
    if hours is not None and not Decimal(0) <= hours <= Decimal(200):
        raise AtelierError(
            _("Main-d'œuvre estimée invraisemblable : entre 0 et 200 heures."), field="labour_hours"
        )
    new_cause = (new_cause or "").strip()
    if confirmed_cause and new_cause:
        raise AtelierError(
            _("Choisissez une cause de la base ou écrivez-en une nouvelle, pas les deux."), field="new_cause"
        )
    if confirmed_cause and confirmed_cause.family != family:
        raise AtelierError(_("Cette cause est d'une autre famille d'appareil."), field="confirmed_cause")
    if len(new_cause) > 160:
        raise AtelierError(_("Cause : 160 caractères au plus."), field="new_cause")
    if new_cause:
        from atelier.knowledge.services import cause_add_from_diagnosis

        confirmed_cause = cause_add_from_diagnosis(actor=actor, family=family, title=new_cause)
    diagnosis = _diagnosis(case, actor)
    diagnosis.disassembly_notes = (disassembly_notes or "").strip()
    diagnosis.non_conformities = (non_conformities or "").strip()
    diagnosis.conclusion = (conclusion or "").strip()
    diagnosis.confirmed_cause = confirmed_cause
    # a confirmed cause solves the fault; the sources consulted on the way stay on the dossier
    diagnosis.unsolved = bool(unsolved) and confirmed_cause is None
    diagnosis.labour_hours = hours
    diagnosis.technician = actor
    diagnosis.updated_at = at or timezone.now()
    diagnosis.full_clean(exclude=["solution"])
    diagnosis.save()
    return diagnosis


@transaction.atomic
def measurement_add(
    *,
    case: RepairCase,
    actor: User,
    value,
    unit: str,
    instrument,
    check: Check | None = None,
    point: str = "",
    expected_min=None,
    expected_max=None,
    at=None,
) -> Measurement:
    """Record a measurement taken with an instrument of the tool register (fieldwork.Tool, never typed): one
    quarantined or whose check is overdue is refused, as for the safety tests. With a check of the base its
    expected range applies (converted to the unit typed when it is the same quantity, e.g. kΩ for Ω).
    Conformity is computed, absurd values refused."""
    from atelier.fieldwork.services import require_usable_instrument

    case = _open_case(case, actor, DIAGNOSIS_ROLES)
    at = at or timezone.now()
    if instrument is None:
        raise AtelierError(
            _("Choisissez l'appareil de mesure dans le registre de l'outillage."), field="instrument"
        )
    if not instrument.kind.is_instrument:
        raise AtelierError(
            _("%(tool)s n'est pas un appareil de mesure.") % {"tool": instrument}, field="instrument"
        )
    require_usable_instrument(instrument, site=case.site, on=timezone.localdate(at))
    number = measures.parse_value(value, field="value", label=_("Valeur mesurée"))
    if number is None:
        raise AtelierError(_("Indiquez la valeur mesurée."), field="value")
    unit = (unit or "").strip()
    measures.check_value(number, unit)
    low = measures.parse_value(expected_min, field="expected_min", label=_("Minimum attendu"))
    high = measures.parse_value(expected_max, field="expected_max", label=_("Maximum attendu"))
    if check is not None:
        if check.family != case.appliance.family:
            raise AtelierError(_("Ce contrôle est d'une autre famille d'appareil."), field="check")
        if check.unit and not measures.same_quantity(unit, check.unit):
            raise AtelierError(
                _("Le contrôle « %(check)s » se mesure en %(expected)s : unité « %(unit)s » refusée.")
                % {"check": check.title, "expected": check.get_unit_display(), "unit": unit},
                field="unit",
            )
        if check.unit:
            low = measures.convert(check.expected_min, from_unit=check.unit, to_unit=unit)
            high = measures.convert(check.expected_max, from_unit=check.unit, to_unit=unit)
        point = point.strip() or check.point or check.title
    if low is not None and high is not None and low > high:
        raise AtelierError(_("Le minimum attendu dépasse le maximum."), field="expected_min")
    point = (point or "").strip()
    if not point:
        raise AtelierError(_("Indiquez le point de mesure."), field="point")
    measurement = Measurement(
        diagnosis=_diagnosis(case, actor),
        check_ref=check,
        instrument=str(instrument)[:80],
        tool=instrument,
        point=point[:160],
        value=number,
        unit=unit,
        expected_min=low,
        expected_max=high,
        conforming=measures.verdict(number, low, high),
        measured_by=actor,
        measured_at=at,
    )
    measurement.full_clean()
    measurement.save()
    return measurement


@transaction.atomic
def source_record(
    *, case: RepairCase, actor: User, kind: str, notes: str, reference: str = "", at=None
) -> SourceConsulted:
    """A source consulted for a fault not solved alone (C1.6): its kind, its reference, what was learned.
    The diagnosis is marked « panne non résolue » until a cause is confirmed."""
    require_step(actor, "diagnostics.record_source", site=case.site)
    case = _open_case(case, actor, DIAGNOSIS_ROLES)
    notes, reference = (notes or "").strip(), (reference or "").strip()
    if kind not in SourceKind.values:
        raise AtelierError(_("Choisissez le type de source consultée."), field="kind")
    if not notes:
        raise AtelierError(_("Notez ce que cette source a apporté (ou pas)."), field="notes")
    if len(reference) > 200:
        raise AtelierError(_("Référence : 200 caractères au plus."), field="reference")
    diagnosis = _diagnosis(case, actor)
    if diagnosis.confirmed_cause_id is None and not diagnosis.unsolved:
        diagnosis.unsolved = True
        diagnosis.save(update_fields=["unsolved"])
    return SourceConsulted.objects.create(
        diagnosis=diagnosis,
        kind=kind,
        reference=reference,
        notes=notes,
        consulted_by=actor,
        consulted_at=at or timezone.now(),
    )


@transaction.atomic
def diagnosis_part_add(*, case: RepairCase, actor: User, part: Part, quantity: int = 1) -> DiagnosisPart:
    """Add a part the repair needs (or change its quantity when it is already listed)."""
    case = _open_case(case, actor, DIAGNOSIS_ROLES)
    if not isinstance(quantity, int) or not 1 <= quantity <= 99:
        raise AtelierError(_("Quantité de pièce invraisemblable : entre 1 et 99."), field="quantity")
    if not part.is_active or part.availability == Availability.INDISPONIBLE:
        raise AtelierError(
            _("La pièce %(ref)s n'est pas disponible : choisissez une alternative.")
            % {"ref": part.reference},
            field="part",
        )
    line, _created = DiagnosisPart.objects.update_or_create(
        diagnosis=_diagnosis(case, actor), part=part, defaults={"quantity": quantity}
    )
    return line


@transaction.atomic
def diagnosis_part_remove(*, case: RepairCase, actor: User, line_id: int) -> None:
    case = _open_case(case, actor, DIAGNOSIS_ROLES)
    deleted, _detail = DiagnosisPart.objects.filter(diagnosis__case=case, pk=line_id).delete()
    if not deleted:
        raise AtelierError(_("Cette pièce n'est plus dans la liste."))


@transaction.atomic
def diagnosis_hand_over(*, case: RepairCase, actor: User):
    """Hand the diagnosis to the quote: a quotes Solution with the parts and the estimated labour."""
    from atelier.quotes.services import solution_create

    case = _open_case(case, actor, DIAGNOSIS_ROLES)
    diagnosis = Diagnosis.objects.filter(case=case).select_related("confirmed_cause").first()
    if diagnosis is None or not diagnosis.conclusion:
        raise AtelierError(_("Écrivez la conclusion du diagnostic avant de le transmettre au devis."))
    if diagnosis.labour_hours is None:
        raise AtelierError(_("Estimez la main-d'œuvre avant de transmettre au devis."), field="labour_hours")
    if diagnosis.solution_id:
        raise AtelierError(_("Ce diagnostic est déjà transmis au devis."))
    if diagnosis.unsolved and not diagnosis.sources.exists():
        raise AtelierError(
            _(
                "Panne non résolue : notez les sources consultées (documentation, hotline…) avant de transmettre."
            )
        )
    cause = diagnosis.confirmed_cause
    solution = solution_create(
        case=case,
        actor=actor,
        title=(_("Réparation : %(c)s") % {"c": cause.title} if cause else _("Réparation selon diagnostic"))[
            :120
        ],
        work_description=diagnosis.conclusion,
        labour_hours=diagnosis.labour_hours,
        parts=[(line.part, line.quantity) for line in diagnosis.parts.select_related("part")],
        include_diagnosis=True,
    )
    diagnosis.solution = solution
    diagnosis.save(update_fields=["solution"])
    return solution


# ---------------------------------------------------------------- learning (after the dossier closes)


def learn_on_close(case: RepairCase, step_name: str, actor, at) -> None:
    """after_step hook: a closed dossier with a confirmed cause teaches the knowledge base (once)."""
    if step_name != "close":
        return
    diagnosis = Diagnosis.objects.filter(case=case).select_related("confirmed_cause").first()
    if diagnosis is None or diagnosis.confirmed_cause is None:
        return
    if ConfirmedCause.objects.filter(source=case.number).exists():
        return
    from atelier.knowledge.services import knowledge_learn

    appliance = case.appliance
    knowledge_learn(
        family=appliance.family,
        text=case_text(case, with_diagnosis=True),
        cause=diagnosis.confirmed_cause,
        brand=appliance.brand,
        model_ref=appliance.model_ref,
        error_code=case_error_code(case),
        source=case.number,
    )
