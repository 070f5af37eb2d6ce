"""Writes of deliberation and results (issue 19, point 5): the jury deliberates per bloc, records an absence,
signs the procès-verbal; the last signature locks it and issues the certificates. One transaction each, every
check before the first write, refusals in French; from the first signature the PV's content no longer changes."""

from __future__ import annotations

import secrets

from django import forms
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from atelier.certification import badges
from atelier.certification.models import (
    Bloc,
    BlocDeliberation,
    Candidate,
    Certificate,
    CertificateKind,
    CertificationSession,
    Competence,
    Evaluation,
    ProcesVerbal,
    PvSignature,
    ResultKind,
    SessionResult,
)
from atelier.certification.results_rules import (
    bloc_status,
    earlier_acquisitions,
    rules_for,
    session_blocs,
    session_result_kind,
    valid_until,
)
from atelier.core.access import require_step
from atelier.core.errors import AtelierError, PermissionRefused
from atelier.core.locking import lock_rows
from atelier.core.models import User
from atelier.core.services import sequence_next

JUDGE = "certification.judge"
CERTIFICATE_SEQUENCE = "certificat-cqp"


class PvFrozen(AtelierError):
    """The PV is being signed or is signed: its content no longer changes (409, like a state refusal)."""

    status_code = 409


def _name(user: User) -> str:
    return user.get_full_name() or user.username


def _at(moment) -> str:
    return date_format(timezone.localtime(moment), "d/m/Y H:i")


def _check_juror(actor: User, session: CertificationSession, what: str) -> None:
    require_step(actor, JUDGE, site=session.site)
    if not session.jurors.filter(user=actor).exists():
        raise PermissionRefused(what)


def _check_official(session: CertificationSession) -> None:
    """A session « blanche » is a rehearsal: no deliberation, result, PV or certificate comes out of it."""
    if hasattr(session, "mock"):
        raise AtelierError(
            _(
                "Cette session est une session blanche (entraînement) : ni délibération, ni procès-verbal, "
                "ni certificat."
            )
        )


def check_not_frozen(session: CertificationSession) -> None:
    """Refuse any change once a juror has signed the PV (what they signed must stay what it says)."""
    pv = ProcesVerbal.objects.filter(session=session).first()
    if pv is None:
        return
    if pv.locked_at is not None:
        raise PvFrozen(
            _(
                "Le procès-verbal de cette session est signé par tout le jury depuis le %(at)s : plus aucun "
                "changement n'est possible. Rien n'est enregistré."
            )
            % {"at": _at(pv.locked_at)}
        )
    first = pv.signatures.select_related("juror").first()
    if first is not None:
        raise PvFrozen(
            _(
                "%(who)s a signé le procès-verbal le %(at)s : les résultats ne changent plus pendant les "
                "signatures. Rien n'est enregistré."
            )
            % {"who": _name(first.juror), "at": _at(first.signed_at)}
        )


def _check_enrolled(session: CertificationSession, candidate: Candidate) -> None:
    if not session.candidates.filter(pk=candidate.pk).exists():
        raise AtelierError(
            _("%(c)s n'est pas inscrit à cette session.") % {"c": candidate}, field="candidate"
        )


def _absence(session: CertificationSession, candidate: Candidate) -> SessionResult | None:
    return SessionResult.objects.filter(
        session=session, candidate=candidate, kind__in=[ResultKind.ABSENT, ResultKind.EXCUSE]
    ).first()


@transaction.atomic
def bloc_deliberate(
    *,
    actor: User,
    session: CertificationSession,
    candidate: Candidate,
    bloc: Bloc,
    comment: str = "",
) -> BlocDeliberation:
    """The jury's decision on a bloc for a candidate, read from the grids' final marks: validated when every
    competence is acquired, else the missing ones listed. Refused while a grid of the bloc is incomplete or has a
    criterion to decide. Deliberating again (before the PV is signed) replaces the decision."""
    _check_juror(actor, session, _("Seul un membre du jury de cette session délibère."))
    [session] = lock_rows(CertificationSession.objects.filter(pk=session.pk))
    _check_official(session)
    check_not_frozen(session)
    _check_enrolled(session, candidate)
    if bloc.referentiel_id != session.referentiel_id or not session.epreuves.filter(bloc=bloc).exists():
        raise AtelierError(
            _("La session ne comporte aucune épreuve du bloc %(b)s.") % {"b": bloc.code}, field="bloc"
        )
    if absence := _absence(session, candidate):
        raise AtelierError(
            _("%(c)s est noté « %(k)s » dans cette session : pas de délibération.")
            % {"c": candidate, "k": absence.get_kind_display().lower()},
            field="candidate",
        )
    status = bloc_status(session, candidate, bloc)
    if status.incomplete:
        raise AtelierError(
            _(
                "Délibération impossible sur le bloc %(b)s pour %(c)s : grilles incomplètes (%(why)s). Rien n'est "
                "enregistré."
            )
            % {"b": bloc.code, "c": candidate, "why": " ; ".join(status.incomplete)},
            field="bloc",
        )
    deliberation, _created = BlocDeliberation.objects.update_or_create(
        session=session,
        candidate=candidate,
        bloc=bloc,
        defaults={
            "validated": status.validated,
            "acquired": status.acquired,
            "carried": status.carried,
            "missing": status.missing,
            "comment": comment.strip(),
            "decided_by": actor,
            "decided_at": timezone.now(),
        },
    )
    _settle_result(actor, session, candidate)
    return deliberation


def _settle_result(actor: User, session: CertificationSession, candidate: Candidate) -> None:
    """Once every bloc of the session is deliberated, the candidate's result follows from the decisions and from
    the blocs acquired earlier that still count."""
    blocs = session_blocs(session)
    decided = {d.bloc_id: d for d in BlocDeliberation.objects.filter(session=session, candidate=candidate)}
    if any(b.pk not in decided for b in blocs):
        return
    earlier = earlier_acquisitions(candidate, session)
    acquired = {b.code for b in blocs if decided[b.pk].validated}
    acquired |= {code for code, e in earlier.items() if e["validated"]}
    every = list(Bloc.objects.filter(referentiel=session.referentiel).values_list("code", flat=True))
    SessionResult.objects.update_or_create(
        session=session,
        candidate=candidate,
        defaults={
            "kind": session_result_kind(every, sorted(acquired)),
            "blocs": sorted(acquired),
            "reason": "",
            "recorded_by": actor,
            "recorded_at": timezone.now(),
        },
    )


ABSENCES = (ResultKind.ABSENT, ResultKind.EXCUSE)


@transaction.atomic
def result_absence_record(
    *, actor: User, session: CertificationSession, candidate: Candidate, kind: str, reason: str
) -> SessionResult:
    """The jury records that a candidate did not sit the session: absent, or excusé (with the reason)."""
    _check_juror(actor, session, _("Seul un membre du jury de cette session enregistre une absence."))
    [session] = lock_rows(CertificationSession.objects.filter(pk=session.pk))
    _check_official(session)
    check_not_frozen(session)
    _check_enrolled(session, candidate)
    if kind not in ABSENCES:
        raise AtelierError(_("Choisissez : absent ou excusé."), field="kind")
    reason = reason.strip()
    if not reason:
        raise AtelierError(
            _("Donnez le motif (ce que le jury a constaté ou le justificatif reçu)."), field="reason"
        )
    if Evaluation.objects.filter(session=session, candidate=candidate).exists():
        raise AtelierError(
            _("%(c)s a des grilles remises dans cette session : il ou elle s'est présenté(e).")
            % {"c": candidate},
            field="candidate",
        )
    result, _created = SessionResult.objects.update_or_create(
        session=session,
        candidate=candidate,
        defaults={
            "kind": kind,
            "blocs": [],
            "reason": reason,
            "recorded_by": actor,
            "recorded_at": timezone.now(),
        },
    )
    return result


def _clean_signature(signature: str) -> str:
    from atelier.core.signature import SignatureField

    field = SignatureField(
        error_messages={"required": _("Votre signature est nécessaire : signez dans le cadre.")}
    )
    try:
        return field.clean(signature)
    except forms.ValidationError as refused:
        raise AtelierError(refused.messages[0], field="signature") from None


@transaction.atomic
def pv_sign(*, actor: User, session: CertificationSession, signature: str) -> PvSignature:
    """A juror signs the PV on screen. Possible once every candidate has a result; from the first signature the
    results are frozen; the last juror's signature locks the PV and issues the certificates."""
    _check_juror(actor, session, _("Seul un membre du jury de cette session signe le procès-verbal."))
    [session] = lock_rows(CertificationSession.objects.filter(pk=session.pk))
    _check_official(session)
    signature = _clean_signature(signature)
    pv = ProcesVerbal.objects.filter(session=session).first()
    if pv is not None and pv.locked_at is not None:
        raise PvFrozen(
            _("Le procès-verbal est signé par tout le jury depuis le %(at)s : il ne change plus.")
            % {"at": _at(pv.locked_at)}
        )
    if pv is not None and pv.signatures.filter(juror=actor).exists():
        raise AtelierError(_("Vous avez déjà signé ce procès-verbal."))
    settled = set(SessionResult.objects.filter(session=session).values_list("candidate_id", flat=True))
    waiting = [str(c) for c in session.candidates.all() if c.pk not in settled]
    if waiting:
        raise AtelierError(
            _("Le procès-verbal se signe une fois tous les résultats arrêtés ; il manque : %(who)s.")
            % {"who": ", ".join(waiting)}
        )
    if pv is None:
        pv = ProcesVerbal.objects.create(session=session)
    now = timezone.now()
    signed = PvSignature.objects.create(proces_verbal=pv, juror=actor, signature=signature, signed_at=now)
    jurors = set(session.jurors.values_list("user_id", flat=True))
    if jurors <= set(pv.signatures.values_list("juror_id", flat=True)):
        pv.locked_at = now
        pv.save(update_fields=["locked_at"])
        _issue_certificates(session, now)
    return signed


def _issue_certificates(session: CertificationSession, now) -> list[Certificate]:
    """One certificate per bloc validated in the session, one for the full CQP on a validation totale."""
    rules = rules_for(session.starts_on)
    if rules is None:
        raise AtelierError(
            _("Aucune règle de validation de la branche n'est en vigueur à la date de la session.")
        )
    today = timezone.localdate(now)
    until = valid_until(rules, today)
    referentiel = session.referentiel
    blocs = list(Bloc.objects.filter(referentiel=referentiel).order_by("code"))
    issued = []
    for result in (
        SessionResult.objects.filter(session=session)
        .select_related("candidate")
        .order_by("candidate__last_name", "candidate__first_name", "pk")
    ):
        candidate = result.candidate
        for deliberation in BlocDeliberation.objects.filter(
            session=session, candidate=candidate, validated=True
        ).select_related("bloc"):
            bloc = deliberation.bloc
            competences = list(Competence.objects.filter(activity__bloc=bloc).order_by("position"))
            issued.append(
                _certificate(
                    session,
                    candidate,
                    rules,
                    now,
                    until,
                    kind=CertificateKind.BLOC,
                    bloc=bloc,
                    title=f"CQP {referentiel.title.removeprefix('CQP ')} – Bloc {bloc.code} : {bloc.title}",
                    achievement_id=f"urn:atelier:cqp:{referentiel.version}:bloc-{bloc.code}",
                    description=bloc.title,
                    narrative=badges.bloc_narrative(bloc, competences),
                    achievement_type="Certificate",
                )  # fmt: skip
            )
        if (
            result.kind == ResultKind.VALIDATION_TOTALE
            and not Certificate.objects.filter(candidate=candidate, kind=CertificateKind.CQP).exists()
        ):
            issued.append(
                _certificate(
                    session,
                    candidate,
                    rules,
                    now,
                    None,
                    kind=CertificateKind.CQP,
                    bloc=None,
                    title=referentiel.title,
                    achievement_id=f"urn:atelier:cqp:{referentiel.version}",
                    description=referentiel.title,
                    narrative=badges.cqp_narrative(referentiel, blocs),
                    achievement_type="Certification",
                )  # fmt: skip
            )
    return issued


def _certificate(session, candidate, rules, now, until, *, kind, bloc, title, achievement_id, description,
                 narrative, achievement_type) -> Certificate:  # fmt: skip
    today = timezone.localdate(now)
    sequence = sequence_next(site=session.site, kind=CERTIFICATE_SEQUENCE, year=today.year)
    number = f"CQP-{session.site.code}-{today.year}-{sequence:05d}"
    credential = badges.credential(
        rules=rules, candidate=candidate, achievement_id=achievement_id, name=title, description=description,
        narrative=narrative, achievement_type=achievement_type, number=number, issued_at=now, valid_until=until,
    )  # fmt: skip
    certificate = Certificate(
        number=number,
        verification_code=secrets.token_hex(4).upper(),
        kind=kind,
        session=session,
        candidate=candidate,
        bloc=bloc,
        holder=str(candidate),
        title=title,
        issued_on=today,
        valid_until=until,
        credential=credential,
    )
    certificate.full_clean()
    certificate.save()
    return certificate


def certificate_verify(number: str, code: str) -> Certificate | None:
    """The certificate with this number and verification code (both as printed), or None."""
    number, code = number.strip().upper(), code.strip().upper()
    if not number or not code:
        return None
    return (
        Certificate.objects.filter(number=number, verification_code=code)
        .select_related("session", "bloc")
        .first()
    )


def enrolment_refusal(candidate: Candidate, session: CertificationSession) -> str | None:
    """Why the branch's rules refuse this candidate in the session, or None: a certified candidate does not sit
    again (unless the rules allow it); presentations are counted (an excused absence does not count). A session
    « blanche » is a rehearsal: anyone may train in it, and it counts as no presentation (it gives no result)."""
    if hasattr(session, "mock"):
        return None
    rules = rules_for(session.starts_on)
    if rules is None:
        return None
    results = list(SessionResult.objects.filter(candidate=candidate).exclude(session=session))
    if (
        not rules.certified_may_resit
        and Certificate.objects.filter(candidate=candidate, kind=CertificateKind.CQP).exists()
    ):
        return _(
            "%(c)s a déjà obtenu le CQP complet : les règles de la branche ne prévoient pas de se représenter."
        ) % {"c": candidate}
    counted = [
        r
        for r in results
        if r.kind != ResultKind.EXCUSE and (rules.absent_counts or r.kind != ResultKind.ABSENT)
    ]
    if len(counted) >= rules.max_attempts:
        return _(
            "%(c)s s'est déjà présenté(e) %(n)s fois : les règles de la branche en permettent %(max)s au plus."
        ) % {"c": candidate, "n": len(counted), "max": rules.max_attempts}
    return None
