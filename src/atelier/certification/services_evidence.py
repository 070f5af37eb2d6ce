"""Writes beside the grid (issue 19, point 4): the timer of each part of an épreuve (start, pause, stop), the
questions the jury asks, the candidate's Atelier account and the real dossier a « situation réelle » is judged
from. One transaction each, checks first, refusals in French."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.certification.evidence import cases_of
from atelier.certification.models import (
    Candidate,
    CandidateAccount,
    CertificationSession,
    Competence,
    Epreuve,
    EvidenceDossier,
    JuryQuestion,
    PartTiming,
)
from atelier.certification.services_grids import _check_sitting
from atelier.core.access import may, require_step
from atelier.core.errors import AtelierError, PermissionRefused
from atelier.core.locking import lock_rows
from atelier.repairs.models import RepairCase

TIMER_ACTIONS = ("start", "pause", "stop")


def _juror_only(actor, session: CertificationSession) -> CertificationSession:
    require_step(actor, "certification.judge", site=session.site)
    [session] = lock_rows(CertificationSession.objects.filter(pk=session.pk))
    if not session.jurors.filter(user=actor).exists():
        raise PermissionRefused(_("Seul un membre du jury de cette session fait cela."))
    return session


def elapsed_seconds(timing: PartTiming, now: datetime.datetime | None = None) -> int:
    """The real duration so far (or in all, once stopped), pauses left out."""
    end = timing.ended_at or timing.paused_at or now or timezone.now()
    return max(0, int((end - timing.started_at).total_seconds()) - timing.paused_seconds)


def overrun_seconds(timing: PartTiming, now: datetime.datetime | None = None) -> int:
    return max(0, elapsed_seconds(timing, now) - timing.planned_minutes * 60)


@transaction.atomic
def timer_action(
    *,
    actor,
    session: CertificationSession,
    epreuve: Epreuve,
    candidate: Candidate,
    part: int,
    action: str,
) -> PartTiming:
    """Start (or resume after a pause), pause or stop the timer of one part of the épreuve. One part runs at a
    time; a stopped part does not start again (its real duration is what the jury shows)."""
    session = _juror_only(actor, session)
    _check_sitting(session, epreuve, candidate)
    if action not in TIMER_ACTIONS:
        raise AtelierError(_("Action inconnue : « %(a)s ».") % {"a": action}, field="action")
    if not 0 <= part < len(epreuve.parts):
        raise AtelierError(
            _("L'épreuve n°%(n)s a %(k)s temps : le temps n°%(p)s n'existe pas.")
            % {"n": epreuve.number, "k": len(epreuve.parts), "p": part + 1},
            field="part",
        )
    now = timezone.now()
    timings = {
        t.part: t for t in PartTiming.objects.filter(session=session, epreuve=epreuve, candidate=candidate)
    }
    timing = timings.get(part)
    label = epreuve.parts[part]["label"]
    if action == "start":
        running = [t for t in timings.values() if t.part != part and t.ended_at is None]
        if running:
            raise AtelierError(
                _("Arrêtez d'abord « %(l)s » : un seul temps court à la fois.") % {"l": running[0].label}
            )
        if timing is None:
            return PartTiming.objects.create(
                session=session,
                epreuve=epreuve,
                candidate=candidate,
                part=part,
                label=label,
                planned_minutes=epreuve.parts[part]["minutes"],
                started_at=now,
                started_by=actor,
            )
        if timing.ended_at is not None:
            raise AtelierError(_("« %(l)s » est terminé : il ne redémarre pas.") % {"l": label})
        if timing.paused_at is None:
            raise AtelierError(_("« %(l)s » est déjà en cours.") % {"l": label})
        timing.paused_seconds += int((now - timing.paused_at).total_seconds())
        timing.paused_at = None
        timing.save(update_fields=["paused_seconds", "paused_at"])
        return timing
    if timing is None or timing.ended_at is not None:
        raise AtelierError(_("« %(l)s » n'est pas en cours.") % {"l": label})
    if action == "pause":
        if timing.paused_at is not None:
            raise AtelierError(_("« %(l)s » est déjà en pause.") % {"l": label})
        timing.paused_at = now
        timing.save(update_fields=["paused_at"])
        return timing
    if timing.paused_at is not None:  # stopped during a pause: the pause ends with it
        timing.paused_seconds += int((now - timing.paused_at).total_seconds())
        timing.paused_at = None
    timing.ended_at = now
    timing.save(update_fields=["paused_seconds", "paused_at", "ended_at"])
    return timing


@transaction.atomic
def question_record(
    *,
    actor,
    session: CertificationSession,
    epreuve: Epreuve,
    candidate: Candidate,
    text: str,
    competence: Competence | None = None,
    answer_summary: str = "",
) -> JuryQuestion:
    """Record a question the jury asked, the competence it probes (one the épreuve covers) and the answer."""
    session = _juror_only(actor, session)
    _check_sitting(session, epreuve, candidate)
    text = text.strip()
    if not text:
        raise AtelierError(_("Écrivez la question posée."), field="text")
    if competence is not None and not epreuve.competences.filter(pk=competence.pk).exists():
        raise AtelierError(
            _("%(c)s n'est pas une compétence de l'épreuve n°%(n)s.")
            % {"c": competence.code, "n": epreuve.number},
            field="competence",
        )
    return JuryQuestion.objects.create(
        session=session,
        epreuve=epreuve,
        candidate=candidate,
        competence=competence,
        text=text,
        answer_summary=answer_summary.strip(),
        asked_by=actor,
        asked_at=timezone.now(),
    )


def is_member(user, candidate: Candidate) -> bool:
    org_ids = {candidate.organisation_id, candidate.company_id} - {None}
    return user.certification_organisations.filter(pk__in=org_ids).exists()


@transaction.atomic
def candidate_account_link(*, actor, candidate: Candidate, user) -> CandidateAccount:
    """Bind a candidate to the Atelier user they work as in the shop (their organisation only)."""
    site = candidate.organisation.site
    require_step(actor, "certification.manage", site=site)
    if not is_member(actor, candidate):
        raise PermissionRefused(
            _("Seul un membre de l'organisme ou de l'entreprise du candidat fait ce lien.")
        )
    if not user.sites.filter(pk=site.pk).exists():
        raise AtelierError(_("%(u)s ne travaille pas sur ce site.") % {"u": user}, field="user")
    if CandidateAccount.objects.filter(candidate=candidate).exists():
        raise AtelierError(_("%(c)s est déjà lié à un utilisateur.") % {"c": candidate}, field="user")
    other = CandidateAccount.objects.filter(user=user).select_related("candidate").first()
    if other is not None:
        raise AtelierError(
            _("%(u)s est déjà le compte de %(c)s.")
            % {"u": user.get_full_name() or user, "c": other.candidate},
            field="user",
        )
    return CandidateAccount.objects.create(
        candidate=candidate, user=user, linked_by=actor, linked_at=timezone.now()
    )


def candidate_cases(candidate: Candidate, site=None):
    """The dossiers the candidate worked on (none until their account is linked)."""
    account = CandidateAccount.objects.filter(candidate=candidate).select_related("user").first()
    if account is None:
        return RepairCase.objects.none()
    return cases_of(account.user, site)


@transaction.atomic
def evidence_dossier_choose(
    *,
    actor,
    session: CertificationSession,
    epreuve: Epreuve,
    candidate: Candidate,
    case: RepairCase,
) -> EvidenceDossier:
    """Choose the real dossier the épreuve is judged from, among those the candidate worked on (site of the
    session). It can change until a grid is handed in."""
    require_step(actor, "certification.judge", site=session.site)
    [session] = lock_rows(CertificationSession.objects.filter(pk=session.pk))
    if not (session.jurors.filter(user=actor).exists() or may(actor, "certification.manage", session.site)):
        raise PermissionRefused(_("Seul le jury de cette session ou le formateur choisit le dossier."))
    _check_sitting(session, epreuve, candidate)
    if not CandidateAccount.objects.filter(candidate=candidate).exists():
        raise AtelierError(
            _("%(c)s n'est lié à aucun utilisateur d'Atelier : son organisme doit d'abord faire ce lien.")
            % {"c": candidate},
            field="case",
        )
    if not candidate_cases(candidate, session.site).filter(pk=case.pk).exists():
        raise AtelierError(
            _("%(c)s n'a pas travaillé sur le dossier %(n)s.") % {"c": candidate, "n": case.number},
            field="case",
        )
    if session.evaluations.filter(epreuve=epreuve, candidate=candidate).exists():
        raise AtelierError(
            _("Une grille est déjà remise : le dossier de preuve ne change plus."), field="case"
        )
    dossier, _created = EvidenceDossier.objects.update_or_create(
        session=session,
        epreuve=epreuve,
        candidate=candidate,
        defaults={"case": case, "chosen_by": actor, "chosen_at": timezone.now()},
    )
    return dossier
