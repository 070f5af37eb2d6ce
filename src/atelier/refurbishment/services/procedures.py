"""Refurbishment (C1.13): start it, record each step of the family's procedure (the electrical safety tests
with the EN 50678 limits and instruments of fieldwork), take parts from stock (stock ledger), record the data
erasure like a certificate, and finish it with a functional verdict, a cosmetic grade from the scale, a price
and the wording allowed by the décret 2022-190 (C. conso. R122-4 to R122-6). One transaction each, the
appliance re-read under its row lock, every check before the first write."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.core.access import require_step
from atelier.core.errors import AtelierError, TransitionRefused
from atelier.core.locking import lock
from atelier.core.models import User
from atelier.core.validators import validate_no_new_claim
from atelier.fieldwork.choices import MEASURE_IS_MAXIMUM, MEASURE_UNIT, ApplianceClass, Measure
from atelier.fieldwork.measures import parse_measure
from atelier.fieldwork.selectors import limits_in_force
from atelier.fieldwork.services.common import require_usable_instrument
from atelier.fieldwork.services.safety import evaluate
from atelier.refurbishment.choices import ApplianceState
from atelier.refurbishment.choices_procedures import (
    ErasureMethod,
    FunctionalVerdict,
    RefurbishmentStatus,
    SaleWording,
    StepKind,
)
from atelier.refurbishment.models import StockAppliance
from atelier.refurbishment.models_procedures import (
    CosmeticGrade,
    DataErasure,
    ProcedureStep,
    Refurbishment,
    RefurbishmentPart,
    StepResult,
)
from atelier.refurbishment.services.common import _money

STEP = "refurbishment.refurbish"
# Families whose appliances hold a previous user's data by default (multimedia); any other one may be connected.
DATA_FAMILIES = {"televiseur", "audio", "video"}
# the wordings from the most demanding to the least
RANK = [SaleWording.RECONDITIONNE_FRANCE, SaleWording.RECONDITIONNE, SaleWording.OCCASION]


def _clean_text(value: str, field: str, limit: int = 255) -> str:
    text = " ".join((value or "").split())[:limit] if limit else (value or "").strip()
    try:
        validate_no_new_claim(text)
    except ValidationError as error:
        raise AtelierError(error.messages[0], field=field) from None
    return text


def _country(value: str, field: str = "country") -> str:
    code = (value or "FR").strip().upper()
    if len(code) != 2 or not code.isalpha():
        raise AtelierError(_("Pays : le code ISO à deux lettres (ex. FR)."), field=field)
    return code


def procedure(family: str):
    return ProcedureStep.objects.filter(family=family, is_active=True).order_by("order", "pk")


def _open(refurbishment: Refurbishment, actor: User) -> Refurbishment:
    """The refurbishment re-read under its appliance's row lock, still in progress."""
    require_step(actor, STEP, site=refurbishment.appliance.site_id)
    lock(refurbishment.appliance)
    fresh = Refurbishment.objects.select_related("appliance", "appliance__site").get(pk=refurbishment.pk)
    if fresh.status != RefurbishmentStatus.EN_COURS:
        raise TransitionRefused(
            _("Le reconditionnement de %(n)s est terminé : commencez-en un nouveau.")
            % {"n": fresh.appliance.number}
        )
    return fresh


@transaction.atomic
def refurbishment_start(
    *, actor: User, appliance: StockAppliance, holds_data: bool | None = None, at=None
) -> Refurbishment:
    """An appliance sorted « à reconditionner » (fonctionnement validé or à réparer) goes through its family's
    procedure; it may go through it again later (a new refurbishment each time)."""
    require_step(actor, STEP, site=appliance.site_id)
    appliance = lock(appliance, related=["site"])
    if appliance.state == ApplianceState.A_TRIER:
        raise TransitionRefused(
            _("L'appareil %(n)s est encore à trier : triez-le avant de le reconditionner.")
            % {"n": appliance.number}
        )
    if appliance.state != ApplianceState.A_RECONDITIONNER:
        raise TransitionRefused(
            _("L'appareil %(n)s n'est pas à reconditionner (%(s)s).")
            % {"n": appliance.number, "s": appliance.get_state_display()}
        )
    if appliance.refurbishments.filter(status=RefurbishmentStatus.EN_COURS).exists():
        raise TransitionRefused(
            _("Un reconditionnement de l'appareil %(n)s est déjà en cours.") % {"n": appliance.number}
        )
    if not procedure(appliance.family).exists():
        raise AtelierError(_("Aucune procédure de reconditionnement n'est définie pour cette famille."))
    if holds_data is None:
        holds_data = appliance.family in DATA_FAMILIES
    return Refurbishment.objects.create(
        appliance=appliance, holds_data=bool(holds_data), started_by=actor, started_at=at or timezone.now()
    )


def _safety(appliance, appliance_class, measurements, instrument, on) -> tuple[dict, bool]:
    """The EN 50678 measurements against the limits in force for the class (the fieldwork app's limits,
    parser, comparison and instrument check)."""
    if appliance_class not in ApplianceClass.values:
        raise AtelierError(_("Choisissez la classe de l'appareil (I ou II)."), field="appliance_class")
    limits = limits_in_force(appliance_class, on)
    if not limits:
        raise AtelierError(
            _("Aucune limite d'essai n'est en vigueur pour la classe « %(c)s ».") % {"c": appliance_class},
            field="appliance_class",
        )
    if instrument is None:
        raise AtelierError(
            _("Choisissez l'appareil de mesure dans le registre de l'outillage."), field="instrument"
        )
    require_usable_instrument(instrument, site=appliance.site, on=on)
    results = {}
    for measure, limit in limits.items():
        value = parse_measure((measurements or {}).get(measure, ""), measure)
        results[measure] = {
            "value": str(value),
            "unit": MEASURE_UNIT[Measure(measure)],
            "typed": measurements[measure].strip(),
            "limit_display": limit.display,
            "maximum": MEASURE_IS_MAXIMUM[Measure(measure)],
            "passed": evaluate(value, limit.limit, measure),
        }
    return results, all(r["passed"] for r in results.values())


@transaction.atomic
def refurbishment_step_record(
    *,
    actor: User,
    refurbishment: Refurbishment,
    step_code: str,
    passed: bool | None = None,
    measured: str = "",
    repair: str = "",
    country: str = "FR",
    appliance_class: str = "",
    measurements: dict | None = None,
    instrument=None,
    at: datetime.datetime | None = None,
) -> StepResult:
    """Record one step; done again after a repair, it replaces the failed try (the repair must be said).
    The safety step's verdict is the measurements' (every one within its limit); the erasure step is recorded
    through the erasure certificate (`data_erasure_record`)."""
    refurbishment = _open(refurbishment, actor)
    appliance = refurbishment.appliance
    step = procedure(appliance.family).filter(code=step_code).first()
    if step is None:
        raise AtelierError(_("Étape inconnue pour cette famille : %(c)s.") % {"c": step_code}, field="step")
    if step.kind == StepKind.EFFACEMENT:
        raise AtelierError(
            _("L'effacement des données s'enregistre avec son certificat (méthode, passes, vérification)."),
            field="step",
        )
    at = at or timezone.now()
    measured = _clean_text(measured, "measured")
    repair = _clean_text(repair, "repair")
    country = _country(country)
    safety: dict = {}
    if step.kind == StepKind.SECURITE:
        safety, passed = _safety(appliance, appliance_class, measurements, instrument, timezone.localdate(at))
    else:
        appliance_class, instrument = "", None
        if passed is None:
            raise AtelierError(
                _("Dites si l'étape « %(s)s » est conforme.") % {"s": step.label}, field="passed"
            )
        if not passed and not measured:
            raise AtelierError(
                _("Décrivez ce qui n'est pas conforme à l'étape « %(s)s ».") % {"s": step.label},
                field="measured",
            )
    previous = StepResult.objects.filter(refurbishment=refurbishment, step=step).first()
    if previous is not None and not previous.passed and passed and not repair:
        raise AtelierError(
            _("L'étape « %(s)s » avait échoué : dites ce qui a été réparé avant de la refaire.")
            % {"s": step.label},
            field="repair",
        )
    values = {
        "kind": step.kind,
        "label": step.label,
        "expected": step.expected,
        "passed": bool(passed),
        "measured": measured,
        "repair": repair or (previous.repair if previous else ""),
        "country": country,
        "appliance_class": appliance_class,
        "instrument": instrument,
        "safety_results": safety,
        "done_by": actor,
        "done_at": at,
    }
    if previous is None:
        return StepResult.objects.create(refurbishment=refurbishment, step=step, **values)
    for key, value in values.items():
        setattr(previous, key, value)
    previous.attempts += 1
    previous.save()
    return previous


@transaction.atomic
def refurbishment_part_use(
    *, actor: User, refurbishment: Refurbishment, part, location, quantity, at=None
) -> RefurbishmentPart:
    """A part fitted during the refurbishment leaves the site's stock (stock ledger, consumption naming the
    appliance); the part must be of the site's stock, with enough free quantity."""
    from atelier.stock import services as stock_services

    refurbishment = _open(refurbishment, actor)
    appliance = refurbishment.appliance
    if part is None:
        raise AtelierError(_("Choisissez la pièce."), field="part")
    if location is None or location.site_id != appliance.site_id:
        raise AtelierError(_("Choisissez un emplacement du stock du site."), field="location")
    move = stock_services.consume_without_case(
        actor=actor,
        part=part,
        location=location,
        quantity=quantity,
        reason=_("Reconditionnement de l'appareil %(n)s") % {"n": appliance.number},
        at=at,
    )
    return RefurbishmentPart.objects.create(
        refurbishment=refurbishment, part=part, quantity=-move.quantity, move=move, added_by=actor
    )


@transaction.atomic
def data_erasure_record(
    *,
    actor: User,
    refurbishment: Refurbishment,
    medium: str,
    method: str,
    tool: str,
    passes_requested,
    passes_done,
    verified: bool,
    verification: str,
    errors: str = "",
    warnings: str = "",
    country: str = "FR",
    started_at: datetime.datetime | None = None,
    finished_at: datetime.datetime | None = None,
) -> DataErasure:
    """The erasure of the previous user's data, like an erasure certificate. It succeeded when every pass
    asked for was done, the verification concluded and no error was reported; the family's erasure step (if
    any) takes its result."""
    refurbishment = _open(refurbishment, actor)
    medium = _clean_text(medium, "medium", 200)
    tool = _clean_text(tool, "tool", 200)
    verification = _clean_text(verification, "verification")
    errors, warnings = (errors or "").strip(), (warnings or "").strip()
    if not medium:
        raise AtelierError(_("Indiquez le support effacé (mémoire interne, carte, disque…)."), field="medium")
    if method not in ErasureMethod.values:
        raise AtelierError(_("Choisissez la méthode d'effacement."), field="method")
    if not tool:
        raise AtelierError(_("Indiquez l'outil ou la procédure d'effacement."), field="tool")
    try:
        asked, done = int(passes_requested), int(passes_done)
    except (TypeError, ValueError):
        raise AtelierError(_("Passes : des nombres entiers."), field="passes_requested") from None
    if not 1 <= asked <= 35:
        raise AtelierError(_("Passes demandées : de 1 à 35."), field="passes_requested")
    if not 0 <= done <= asked:
        raise AtelierError(
            _("Passes effectuées : de 0 au nombre demandé (%(n)s).") % {"n": asked}, field="passes_done"
        )
    if not verification:
        raise AtelierError(_("Dites comment l'effacement a été vérifié."), field="verification")
    finished_at = finished_at or timezone.now()
    started_at = started_at or finished_at
    if started_at > finished_at:
        raise AtelierError(_("L'effacement se termine après avoir commencé."), field="finished_at")
    succeeded = done == asked and bool(verified) and not errors
    erasure = DataErasure.objects.create(
        refurbishment=refurbishment,
        medium=medium,
        method=method,
        tool=tool,
        passes_requested=asked,
        passes_done=done,
        verified=bool(verified),
        verification=verification,
        errors=errors,
        warnings=warnings,
        succeeded=succeeded,
        country=_country(country),
        started_at=started_at,
        finished_at=finished_at,
        done_by=actor,
    )
    step = procedure(refurbishment.appliance.family).filter(kind=StepKind.EFFACEMENT).first()
    if step is not None:
        StepResult.objects.update_or_create(
            refurbishment=refurbishment,
            step=step,
            defaults={
                "kind": step.kind,
                "label": step.label,
                "expected": step.expected,
                "passed": succeeded,
                "measured": (
                    _("%(m)s, %(d)s/%(a)s passe(s), %(v)s")
                    % {"m": erasure.get_method_display(), "d": done, "a": asked, "v": verification}
                )[:255],
                "country": erasure.country,
                "done_by": actor,
                "done_at": finished_at,
            },
        )
    return erasure


# ---------------------------------------------------------------- the décret's conditions


@dataclass(frozen=True)
class Condition:
    label: str
    met: bool
    detail: str = ""

    def as_dict(self) -> dict:
        return {"label": self.label, "met": self.met, "detail": self.detail}


def decree_conditions(refurbishment: Refurbishment) -> tuple[list[Condition], str]:
    """The conditions of C. conso. R122-4 and R122-5 as recorded so far, and the best wording they allow."""
    steps = list(procedure(refurbishment.appliance.family))
    results = {r.step_id: r for r in refurbishment.results.all()}
    missing = [s.label for s in steps if s.pk not in results and s.kind != StepKind.EFFACEMENT]
    failed = [r.label for r in results.values() if not r.passed and r.kind != StepKind.EFFACEMENT]
    safety = [r for r in results.values() if r.kind == StepKind.SECURITE]
    functions = [s for s in steps if s.kind == StepKind.ESSAI]
    conditions = [
        Condition(
            _("Toutes les fonctions testées (procédure de la famille)"),
            not missing and bool(functions),
            _("Étapes non faites : %(s)s.") % {"s": ", ".join(missing)} if missing else "",
        ),
        Condition(
            _("Essais de sécurité électrique conformes"),
            bool(safety) and all(r.passed for r in safety),
            "" if safety else _("Aucun essai de sécurité enregistré."),
        ),
        Condition(
            _("Fonctions réparées là où il le fallait (toutes les étapes conformes)"),
            not failed,
            _("Étapes non conformes : %(s)s.") % {"s": ", ".join(failed)} if failed else "",
        ),
    ]
    erasures = list(refurbishment.erasures.all())
    if refurbishment.holds_data:
        last = erasures[0] if erasures else None
        conditions.append(
            Condition(
                _("Données de l'utilisateur précédent effacées"),
                last is not None and last.succeeded,
                ""
                if last is not None and last.succeeded
                else (
                    _("Aucun effacement enregistré.")
                    if last is None
                    else _("Le dernier effacement a échoué.")
                ),
            )
        )
    recorded = all(c.met for c in conditions)
    abroad = sorted(
        {r.country for r in results.values() if r.country != "FR"}
        | {e.country for e in erasures if e.country != "FR"}
    )
    conditions.append(
        Condition(
            _("Toutes les opérations faites en France"),
            not abroad,
            _("Opérations faites hors de France : %(c)s.") % {"c": ", ".join(abroad)} if abroad else "",
        )
    )
    if not recorded:
        return conditions, SaleWording.OCCASION
    return conditions, SaleWording.RECONDITIONNE if abroad else SaleWording.RECONDITIONNE_FRANCE


def grade_from_scale(value) -> CosmeticGrade:
    if isinstance(value, CosmeticGrade):
        value = value.code
    grade = CosmeticGrade.objects.filter(code=str(value or "").strip().upper(), is_active=True).first()
    if grade is None:
        scale = ", ".join(CosmeticGrade.objects.filter(is_active=True).values_list("code", flat=True))
        raise AtelierError(
            _("Le grade « %(g)s » n'est pas dans l'échelle des grades esthétiques (%(s)s).")
            % {"g": value or "", "s": scale},
            field="grade",
        )
    return grade


@transaction.atomic
def refurbishment_finish(
    *,
    actor: User,
    refurbishment: Refurbishment,
    verdict: str,
    grade=None,
    price=None,
    wording: str = "",
    notes: str = "",
    at=None,
) -> Refurbishment:
    """End the refurbishment. « Fonctionnement conforme » needs every function test and the safety tests
    recorded and passed, a grade from the scale and a price; the wording is the best the recorded conditions
    allow, and a wording asked for beyond it is refused with the condition that fails. « Non conforme »: the
    appliance is not offered for sale (a new refurbishment, dismantling or scrapping follows)."""
    refurbishment = _open(refurbishment, actor)
    if verdict not in FunctionalVerdict.values:
        raise AtelierError(_("Choisissez le verdict fonctionnel."), field="verdict")
    notes = _clean_text(notes, "notes", 0)
    conditions, allowed = decree_conditions(refurbishment)
    results = {r.step_id: r for r in refurbishment.results.all()}
    chosen_grade, amount = None, None
    if verdict == FunctionalVerdict.CONFORME:
        for step in procedure(refurbishment.appliance.family).filter(
            kind__in=[StepKind.ESSAI, StepKind.SECURITE]
        ):
            result = results.get(step.pk)
            if result is None or not result.passed:
                raise AtelierError(
                    _("Verdict « fonctionnement conforme » impossible : l'étape « %(s)s » %(why)s.")
                    % {
                        "s": step.label,
                        "why": _("n'est pas faite") if result is None else _("n'est pas conforme"),
                    },
                    field="verdict",
                )
        chosen_grade = grade_from_scale(grade)
        amount = _money(str(price).replace(",", ".").strip(), "price", _("Prix de vente"))
        if amount == 0:
            raise AtelierError(
                _("Prix de vente : un montant positif, au centime près (ex. 149,00)."), field="price"
            )
    else:
        allowed = SaleWording.OCCASION
        if grade not in (None, ""):
            chosen_grade = grade_from_scale(grade)
    if wording:
        if wording not in SaleWording.values:
            raise AtelierError(_("Mention de vente inconnue."), field="wording")
        if RANK.index(SaleWording(wording)) < RANK.index(SaleWording(allowed)):
            unmet = [c for c in conditions if not c.met]
            raise AtelierError(
                _("« %(w)s » refusé : condition non remplie — %(c)s%(d)s")
                % {
                    "w": SaleWording(wording).label,
                    "c": unmet[0].label if unmet else _("verdict non conforme"),
                    "d": f" ({unmet[0].detail})" if unmet and unmet[0].detail else ".",
                },
                field="wording",
            )
        allowed = wording
    refurbishment.status = RefurbishmentStatus.TERMINE
    refurbishment.verdict = verdict
    refurbishment.grade = chosen_grade
    refurbishment.price = amount
    refurbishment.wording = allowed
    refurbishment.conditions = [c.as_dict() for c in conditions]
    refurbishment.notes = notes
    refurbishment.finished_by = actor
    refurbishment.finished_at = at or timezone.now()
    refurbishment.save()
    return refurbishment
