"""Writes of certification: organisations, candidates (and their E3 topic), sessions, juries and draws. One
transaction each, every check before the first write, refusals in French (core.errors.AtelierError)."""

from __future__ import annotations

import datetime
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from atelier.certification import selectors
from atelier.certification.choices import OrganisationKind
from atelier.certification.models import (
    Candidate,
    CertificationSession,
    Draw,
    Epreuve,
    Organisation,
    SessionJuror,
)
from atelier.certification.rules import add_months, family_for_seed
from atelier.core.access import may, refuse_other_site, require_step
from atelier.core.errors import AtelierError, PermissionRefused
from atelier.core.locking import lock_rows
from atelier.core.models import Site, User

MANAGE, JUDGE = "certification.manage", "certification.judge"


def _day(value: datetime.date) -> str:
    return date_format(value, "d/m/Y")


def _works_on(user: User | None, site: Site, what: str) -> None:
    if user is not None and not user.sites.filter(pk=site.pk).exists():
        raise AtelierError(
            _("%(who)s ne travaille pas sur le site %(site)s.") % {"who": _name(user), "site": site.name},
            field=what,
        )


def _name(user: User) -> str:
    return user.get_full_name() or user.username


# ---------------------------------------------------------------- organisations


@transaction.atomic
def organisation_create(
    *, actor: User, site: Site, kind: str, name: str, siret: str = "", city: str = "", members=()
) -> Organisation:
    require_step(actor, MANAGE, site=site)
    name = name.strip()
    if kind not in OrganisationKind.values:
        raise AtelierError(_("Choisissez : organisme de formation ou entreprise."), field="kind")
    if not name:
        raise AtelierError(_("Donnez le nom de l'organisme ou de l'entreprise."), field="name")
    if siret and not (siret.isdigit() and len(siret) == 14):
        raise AtelierError(_("Le SIRET compte 14 chiffres."), field="siret")
    if Organisation.objects.filter(site=site, name__iexact=name).exists():
        raise AtelierError(_("« %(n)s » existe déjà sur ce site.") % {"n": name}, field="name")
    members = list(members)
    for member in members:
        _works_on(member, site, "members")
    organisation = Organisation(site=site, kind=kind, name=name, siret=siret, city=city.strip())
    organisation.full_clean()
    organisation.save()
    organisation.members.set(members)
    return organisation


# ---------------------------------------------------------------- candidates


@transaction.atomic
def candidate_register(
    *,
    actor: User,
    organisation: Organisation,
    status: str,
    first_name: str,
    last_name: str,
    course_start: datetime.date,
    company: Organisation | None = None,
    email: str = "",
    phone: str = "",
    birth_date: datetime.date | None = None,
    tutor: User | None = None,
    trainer: User | None = None,
) -> Candidate:
    """Register a candidate under the référentiel in force today (they keep it for their whole course)."""
    site = organisation.site
    require_step(actor, MANAGE, site=site)
    if organisation.kind != OrganisationKind.ORGANISME_FORMATION:
        raise AtelierError(_("Choisissez un organisme de formation."), field="organisation")
    if company is not None and (company.kind != OrganisationKind.ENTREPRISE or company.site_id != site.pk):
        raise AtelierError(_("Choisissez une entreprise du même site."), field="company")
    if tutor is not None and company is None:
        raise AtelierError(
            _("Un tuteur suit le candidat dans son entreprise : choisissez-la."), field="company"
        )
    _works_on(tutor, site, "tutor")
    _works_on(trainer, site, "trainer")
    referentiel = selectors.referentiel_current()
    if referentiel is None:
        raise AtelierError(_("Aucun référentiel n'est chargé."))
    candidate = Candidate(
        organisation=organisation,
        company=company,
        referentiel=referentiel,
        status=status,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email,
        phone=phone,
        birth_date=birth_date,
        course_start=course_start,
        tutor=tutor,
        trainer=trainer,
    )
    candidate.full_clean()
    candidate.save()
    return candidate


def e3_topic_months(referentiel_id: int) -> int | None:
    """Months after the course start to fix the E3 topic, as the référentiel version says (2 in 2022)."""
    return (
        Epreuve.objects.filter(referentiel_id=referentiel_id, topic_deadline_months__isnull=False)
        .values_list("topic_deadline_months", flat=True)
        .first()
    )


def e3_topic_deadline(candidate: Candidate) -> datetime.date | None:
    """The last day to fix the E3 topic: the course start plus the months of the candidate's référentiel
    (« au plus tard 2 mois » after the start of the course in 2022)."""
    months = e3_topic_months(candidate.referentiel_id)
    if months is None:
        return None
    return add_months(candidate.course_start, months)


def _check_organisation_member(actor: User, candidate: Candidate) -> None:
    if not actor.certification_organisations.filter(pk=candidate.organisation_id).exists():
        raise PermissionRefused(
            _("Seul un membre de %(org)s, l'organisme de formation du candidat, peut le faire.")
            % {"org": candidate.organisation.name}
        )


@transaction.atomic
def candidate_topic_set(
    *, actor: User, candidate: Candidate, topic: str, on: datetime.date | None = None
) -> Candidate:
    """Record the topic of épreuve n°3 (reconditioning). Past the deadline it is refused unless the training
    organisation has recorded a derogation (référentiel, épreuve n°3)."""
    require_step(actor, MANAGE, site=candidate.organisation.site)
    [candidate] = lock_rows(Candidate.objects.filter(pk=candidate.pk))
    on = on or timezone.localdate()
    topic = topic.strip()
    if not topic:
        raise AtelierError(_("Écrivez le sujet de l'épreuve n°3."), field="topic")
    deadline = e3_topic_deadline(candidate)
    if deadline is not None and on > deadline and not candidate.e3_derogation:
        raise AtelierError(
            _(
                "Trop tard : le sujet de l'épreuve n°3 devait être fixé au plus tard le %(deadline)s (début du "
                "parcours le %(start)s). L'organisme de formation doit d'abord enregistrer une dérogation."
            )
            % {"deadline": _day(deadline), "start": _day(candidate.course_start)},
            field="topic",
        )
    candidate.e3_topic, candidate.e3_topic_on, candidate.e3_topic_by = topic, on, actor
    candidate.save(update_fields=["e3_topic", "e3_topic_on", "e3_topic_by"])
    return candidate


@transaction.atomic
def candidate_derogation_grant(
    *, actor: User, candidate: Candidate, reason: str, on: datetime.date | None = None
) -> Candidate:
    """The training organisation allows a topic after the deadline, with its reason (kept)."""
    require_step(actor, MANAGE, site=candidate.organisation.site)
    _check_organisation_member(actor, candidate)
    [candidate] = lock_rows(Candidate.objects.filter(pk=candidate.pk))
    reason = reason.strip()
    if not reason:
        raise AtelierError(_("Donnez le motif de la dérogation."), field="reason")
    if candidate.e3_derogation:
        raise AtelierError(_("Une dérogation est déjà enregistrée pour ce candidat."), field="reason")
    candidate.e3_derogation = reason
    candidate.e3_derogation_on = on or timezone.localdate()
    candidate.e3_derogation_by = actor
    candidate.save(update_fields=["e3_derogation", "e3_derogation_on", "e3_derogation_by"])
    return candidate


# ---------------------------------------------------------------- sessions and juries


@transaction.atomic
def session_create(
    *,
    actor: User,
    site: Site,
    title: str,
    place: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    epreuves,
) -> CertificationSession:
    require_step(actor, MANAGE, site=site)
    referentiel = selectors.referentiel_current()
    if referentiel is None:
        raise AtelierError(_("Aucun référentiel n'est chargé."))
    epreuves = list(epreuves)
    if not epreuves:
        raise AtelierError(_("Choisissez au moins une épreuve."), field="epreuves")
    if any(e.referentiel_id != referentiel.pk for e in epreuves):
        raise AtelierError(_("Les épreuves doivent être celles du référentiel en vigueur."), field="epreuves")
    if ends_on < starts_on:
        raise AtelierError(_("La session finit avant de commencer."), field="ends_on")
    session = CertificationSession(
        site=site,
        referentiel=referentiel,
        title=title.strip(),
        place=place.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=actor,
    )
    session.full_clean()
    session.save()
    session.epreuves.set(epreuves)
    return session


def juror_conflict(juror_user: User, employer: Organisation | None, candidate: Candidate) -> str | None:
    """Why a juror may not judge a candidate, or None: a jury of professionals judges people it neither trains
    nor employs (référentiel, « jury de professionnels »)."""
    values = {"juror": _name(juror_user), "candidate": str(candidate)}
    if candidate.tutor_id == juror_user.pk:
        return (
            _("%(juror)s ne peut pas juger %(candidate)s : il ou elle est son tuteur en entreprise.") % values
        )
    if candidate.trainer_id == juror_user.pk:
        return _("%(juror)s ne peut pas juger %(candidate)s : il ou elle est son formateur.") % values
    if employer is not None and candidate.company_id == employer.pk:
        return _(
            "%(juror)s ne peut pas juger %(candidate)s : son employeur, %(company)s, emploie le candidat."
        ) % {
            **values,
            "company": employer.name,
        }
    return None


@transaction.atomic
def session_juror_add(
    *, actor: User, session: CertificationSession, user: User, employer: Organisation | None = None
) -> SessionJuror:
    require_step(actor, MANAGE, site=session.site)
    [session] = lock_rows(CertificationSession.objects.filter(pk=session.pk))
    if not may(user, JUDGE, session.site):
        raise AtelierError(
            _("%(who)s ne peut pas siéger dans un jury sur ce site (droits).") % {"who": _name(user)},
            field="user",
        )
    if employer is not None and employer.site_id != session.site_id:
        raise AtelierError(_("Choisissez un employeur du même site."), field="employer")
    if session.jurors.filter(user=user).exists():
        raise AtelierError(_("%(who)s fait déjà partie du jury.") % {"who": _name(user)}, field="user")
    for candidate in session.candidates.select_related("company"):
        if reason := juror_conflict(user, employer, candidate):
            raise AtelierError(reason, field="user")
    return SessionJuror.objects.create(session=session, user=user, employer=employer, added_by=actor)


@transaction.atomic
def session_candidate_add(*, actor: User, session: CertificationSession, candidate: Candidate) -> Candidate:
    require_step(actor, MANAGE, site=session.site)
    [session] = lock_rows(CertificationSession.objects.filter(pk=session.pk))
    if candidate.organisation.site_id != session.site_id:
        refuse_other_site(actor, candidate.organisation.site)
        raise AtelierError(_("Ce candidat n'est pas inscrit sur le site de la session."), field="candidate")
    if candidate.referentiel_id != session.referentiel_id:
        raise AtelierError(
            _("%(c)s prépare le référentiel %(v)s ; la session suit le référentiel %(s)s.")
            % {"c": candidate, "v": candidate.referentiel.version, "s": session.referentiel.version},
            field="candidate",
        )
    if session.candidates.filter(pk=candidate.pk).exists():
        raise AtelierError(_("%(c)s est déjà inscrit à cette session.") % {"c": candidate}, field="candidate")
    for juror in session.jurors.select_related("user", "employer"):
        if reason := juror_conflict(juror.user, juror.employer, candidate):
            raise AtelierError(reason, field="candidate")
    from atelier.certification.services_results import enrolment_refusal  # the branch's resit rules

    if reason := enrolment_refusal(candidate, session):
        raise AtelierError(reason, field="candidate")
    session.candidates.add(candidate)
    return candidate


# ---------------------------------------------------------------- draws


def current_draw(session: CertificationSession, epreuve: Epreuve, candidate: Candidate) -> Draw | None:
    """The draw in force: the last of the chain (a redraw replaces the one before, which stays)."""
    return (
        Draw.objects.filter(session=session, epreuve=epreuve, candidate=candidate, replaced_by__isnull=True)
        .order_by("-drawn_at", "-pk")
        .first()
    )


@transaction.atomic
def draw_make(
    *,
    actor: User,
    session: CertificationSession,
    epreuve: Epreuve,
    candidate: Candidate,
    present=(),
    reason: str = "",
    seed: str | None = None,
) -> Draw:
    """Draw the product family of épreuve n°1 or n°2 for a candidate, in front of them. A second draw is refused
    unless a reason is given: it is then recorded as a redraw of the first, both kept and shown."""
    require_step(actor, JUDGE, site=session.site)
    [session] = lock_rows(CertificationSession.objects.filter(pk=session.pk))
    if not (session.jurors.filter(user=actor).exists() or may(actor, MANAGE, session.site)):
        raise PermissionRefused(_("Seul un membre du jury de cette session peut faire un tirage."))
    if not session.epreuves.filter(pk=epreuve.pk).exists():
        raise AtelierError(_("Cette épreuve ne fait pas partie de la session."), field="epreuve")
    if not epreuve.draw_families:
        raise AtelierError(
            _("L'épreuve n°%(n)s ne comporte pas de tirage au sort.") % {"n": epreuve.number}, field="epreuve"
        )
    enrolled = set(session.candidates.values_list("pk", flat=True))
    if candidate.pk not in enrolled:
        raise AtelierError(
            _("%(c)s n'est pas inscrit à cette session.") % {"c": candidate}, field="candidate"
        )
    present = {c.pk: c for c in present} | {candidate.pk: candidate}
    if set(present) - enrolled:
        raise AtelierError(_("Les candidats présents doivent être inscrits à la session."), field="present")
    reason = reason.strip()
    previous = current_draw(session, epreuve, candidate)
    if previous is not None and not reason:
        raise AtelierError(
            _(
                "%(c)s a déjà tiré « %(f)s » pour l'épreuve n°%(n)s le %(at)s. Un nouveau tirage n'est possible "
                "qu'avec son motif, qui sera enregistré et affiché à côté du premier."
            )
            % {
                "c": candidate,
                "f": epreuve.family_label(previous.family),
                "n": epreuve.number,
                "at": date_format(timezone.localtime(previous.drawn_at), "d/m/Y H:i"),
            },
            field="reason",
        )
    if previous is None and reason:
        raise AtelierError(_("Pas de motif pour un premier tirage."), field="reason")
    seed = seed or secrets.token_hex(16)
    families = list(epreuve.draw_families)
    draw = Draw.objects.create(
        session=session,
        epreuve=epreuve,
        candidate=candidate,
        families=families,
        seed=seed,
        family=family_for_seed(seed, families),
        drawn_by=actor,
        drawn_at=timezone.now(),
        replaces=previous,
        reason=reason,
    )
    draw.present.set(present.values())
    return draw


def draw_replay(draw: Draw) -> bool:
    """Whether the recorded family is the one its seed draws (the fairness check anyone can redo)."""
    return family_for_seed(draw.seed, list(draw.families)) == draw.family
