"""Writes of the evaluation grids: an evaluator hands in a whole grid; the jury decides a criterion where the two
evaluators differ. One transaction each, checks first, refusals in French."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.certification.models import (
    Candidate,
    CertificationSession,
    Criterion,
    Epreuve,
    Evaluation,
    JuryDecision,
    Mark,
)
from atelier.core.access import may, require_step
from atelier.core.errors import AtelierError, PermissionRefused
from atelier.core.locking import lock_rows

EVALUATORS = 2  # « deux évaluateurs » per grid (issue 19, point 4)


@dataclass(frozen=True)
class GivenMark:
    criterion_id: int
    acquired: bool | None  # None: not marked
    comment: str = ""


def grid_criteria(epreuve: Epreuve) -> list[Criterion]:
    """Every criterion of the competences the épreuve covers, in the référentiel's order."""
    return list(
        Criterion.objects.filter(competence__epreuves=epreuve)
        .select_related("competence")
        .order_by("competence__position", "position")
    )


def _check_sitting(session: CertificationSession, epreuve: Epreuve, candidate: Candidate) -> None:
    if not session.epreuves.filter(pk=epreuve.pk).exists():
        raise AtelierError(_("Cette épreuve ne fait pas partie de la session."), field="epreuve")
    if not session.candidates.filter(pk=candidate.pk).exists():
        raise AtelierError(
            _("%(c)s n'est pas inscrit à cette session.") % {"c": candidate}, field="candidate"
        )


@transaction.atomic
def evaluation_submit(
    *,
    actor,
    session: CertificationSession,
    epreuve: Epreuve,
    candidate: Candidate,
    marks: list[GivenMark],
) -> Evaluation:
    """Hand in the actor's grid: every criterion marked, acquis or non acquis (comments optional)."""
    require_step(actor, "certification.judge", site=session.site)
    [session] = lock_rows(CertificationSession.objects.filter(pk=session.pk))
    if not session.jurors.filter(user=actor).exists():
        raise PermissionRefused(_("Seul un membre du jury de cette session remplit une grille."))
    _check_sitting(session, epreuve, candidate)
    done = Evaluation.objects.filter(session=session, epreuve=epreuve, candidate=candidate)
    if done.filter(evaluator=actor).exists():
        raise AtelierError(_("Vous avez déjà remis votre grille pour ce candidat : elle ne change plus."))
    if done.count() >= EVALUATORS:
        raise AtelierError(_("Les deux évaluateurs ont déjà remis leur grille pour ce candidat."))
    criteria = grid_criteria(epreuve)
    given = {m.criterion_id: m for m in marks if m.acquired is not None}
    unknown = {m.criterion_id for m in marks} - {c.pk for c in criteria}
    if unknown:
        raise AtelierError(
            _("Critères qui ne sont pas ceux de l'épreuve : %(ids)s.") % {"ids": sorted(unknown)}
        )
    missing = [c for c in criteria if c.pk not in given]
    if missing:
        first = ", ".join(f"{c.competence.code} n°{c.position}" for c in missing[:5])
        raise AtelierError(
            _("Grille incomplète : %(n)s critère(s) sans note (%(first)s%(more)s). Rien n'est enregistré.")
            % {"n": len(missing), "first": first, "more": "…" if len(missing) > 5 else ""}
        )
    evaluation = Evaluation.objects.create(
        session=session, epreuve=epreuve, candidate=candidate, evaluator=actor, submitted_at=timezone.now()
    )
    Mark.objects.bulk_create(
        Mark(
            evaluation=evaluation,
            criterion=c,
            acquired=bool(given[c.pk].acquired),
            comment=given[c.pk].comment.strip(),
        )
        for c in criteria
    )
    return evaluation


@transaction.atomic
def decision_record(
    *,
    actor,
    session: CertificationSession,
    epreuve: Epreuve,
    candidate: Candidate,
    criterion: Criterion,
    acquired: bool,
    reason: str,
) -> JuryDecision:
    """The jury decides a criterion the two evaluators marked differently; their marks stay as they are."""
    require_step(actor, "certification.judge", site=session.site)
    [session] = lock_rows(CertificationSession.objects.filter(pk=session.pk))
    if not (session.jurors.filter(user=actor).exists() or may(actor, "certification.manage", session.site)):
        raise PermissionRefused(_("Seul le jury de cette session décide."))
    _check_sitting(session, epreuve, candidate)
    marks = list(
        Mark.objects.filter(
            evaluation__session=session,
            evaluation__epreuve=epreuve,
            evaluation__candidate=candidate,
            criterion=criterion,
        ).values_list("acquired", flat=True)
    )
    if len(marks) < EVALUATORS:
        raise AtelierError(_("Le jury décide une fois les deux grilles remises."))
    if len(set(marks)) == 1:
        raise AtelierError(
            _("Les deux évaluateurs sont d'accord sur ce critère : rien à décider."), field="criterion"
        )
    reason = reason.strip()
    if not reason:
        raise AtelierError(_("Donnez le motif de la décision du jury."), field="reason")
    if JuryDecision.objects.filter(
        session=session, epreuve=epreuve, candidate=candidate, criterion=criterion
    ).exists():
        raise AtelierError(_("Le jury a déjà décidé ce critère."), field="criterion")
    return JuryDecision.objects.create(
        session=session,
        epreuve=epreuve,
        candidate=candidate,
        criterion=criterion,
        acquired=acquired,
        reason=reason,
        decided_by=actor,
        decided_at=timezone.now(),
    )
