"""The satisfaction survey of a closed dossier: its state for the tracking page, the customer's answer (once,
within ATELIER_SURVEY_OPEN_DAYS of the closure) and the SAV manager's follow-up of a low score.

The invitation is the outbox message the scheduler sends the day after the closure (billing.services_followup:
preferred channel, only with the customer's consent); it links to /suivi/<jeton>/avis/."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.core.access import require_step
from atelier.core.errors import AtelierError, TransitionRefused
from atelier.core.locking import lock
from atelier.improvement.choices import FollowUp
from atelier.improvement.models import SurveyAnswer, is_low_score
from atelier.repairs.choices import CaseStatus

OPEN, ANSWERED, EXPIRED, NOT_YET = "open", "answered", "expired", "not_yet"


@dataclass(frozen=True)
class SurveyState:
    state: str  # OPEN, ANSWERED, EXPIRED or NOT_YET (the dossier is not closed)
    closes_on: datetime.date | None = None
    answer: SurveyAnswer | None = None


def closes_at(case) -> datetime.datetime:
    return case.closed_at + datetime.timedelta(days=settings.ATELIER_SURVEY_OPEN_DAYS)


def survey_state(case, now=None) -> SurveyState:
    now = now or timezone.now()
    if case.status != CaseStatus.CLOTURE or case.closed_at is None:
        return SurveyState(NOT_YET)
    answer = SurveyAnswer.objects.filter(case=case).first()
    closes_on = timezone.localdate(closes_at(case))
    if answer is not None:
        return SurveyState(ANSWERED, closes_on, answer)
    if now >= closes_at(case):
        return SurveyState(EXPIRED, closes_on)
    return SurveyState(OPEN, closes_on)


def _check_scores(recommendation, satisfaction) -> None:
    if not isinstance(recommendation, int) or not 0 <= recommendation <= 10:
        raise AtelierError(_("La recommandation est une note de 0 à 10."), field="recommendation")
    if not isinstance(satisfaction, int) or not 1 <= satisfaction <= 5:
        raise AtelierError(_("La satisfaction est une note de 1 à 5."), field="satisfaction")


@transaction.atomic
def survey_answer(
    *, case, recommendation: int, satisfaction: int, comment: str = "", at=None
) -> SurveyAnswer:
    """Record the customer's answer (no account: the tracking link is the proof). Refused, nothing written: a
    score out of range, a dossier not closed, a second answer, a survey closed for lack of answer in time."""
    at = at or timezone.now()
    _check_scores(recommendation, satisfaction)
    case = lock(case)  # two answers posted at once: the second finds the first
    state = survey_state(case, at)
    if state.state == NOT_YET:
        raise TransitionRefused(_("Le questionnaire s'ouvre quand le dossier est clôturé."))
    if state.state == ANSWERED and state.answer is not None:
        raise TransitionRefused(
            _("Vous avez déjà répondu le %(day)s : merci ! Une seule réponse est possible par dossier.")
            % {"day": timezone.localtime(state.answer.answered_at).strftime("%d/%m/%Y")}
        )
    if state.state == EXPIRED and state.closes_on is not None:
        raise TransitionRefused(
            _(
                "Ce questionnaire était ouvert jusqu'au %(day)s : il est clos. Vous pouvez nous appeler ou passer "
                "au magasin."
            )
            % {"day": state.closes_on.strftime("%d/%m/%Y")}
        )
    answer = SurveyAnswer(
        case=case,
        site_id=case.site_id,
        recommendation=recommendation,
        satisfaction=satisfaction,
        comment=comment.strip(),
        answered_at=at,
        follow_up=FollowUp.A_TRAITER if is_low_score(recommendation, satisfaction) else FollowUp.AUCUN,
    )
    answer.full_clean()
    answer.save()
    return answer


@transaction.atomic
def followup_update(*, answer: SurveyAnswer, actor, status: str, note: str = "", at=None) -> SurveyAnswer:
    """The manager's follow-up of a low score: en cours, then traité (with what was done)."""
    require_step(actor, "improvement.surveys", site=answer.site)
    fresh = lock(answer)
    if not fresh.follow_up:
        raise TransitionRefused(_("Cette réponse n'appelle pas de suivi : la note n'est pas basse."))
    if status not in (FollowUp.A_TRAITER, FollowUp.EN_COURS, FollowUp.TRAITE):
        raise AtelierError(_("État de suivi inconnu."), field="status")
    if status == FollowUp.TRAITE and not (note or fresh.follow_up_note).strip():
        raise AtelierError(
            _("Notez ce qui a été fait pour ce client avant de dire le suivi traité."), field="note"
        )
    fresh.follow_up = status
    if note.strip():
        fresh.follow_up_note = note.strip()
    fresh.follow_up_by = actor
    fresh.follow_up_at = at or timezone.now()
    fresh.save(update_fields=["follow_up", "follow_up_note", "follow_up_by", "follow_up_at"])
    return fresh
