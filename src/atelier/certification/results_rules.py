"""Reading the grids into results (issue 19, point 5), without writing: which competences of a bloc a candidate
acquired in a session, which count from an earlier session, which are missing; what the session's result is.

Rules (docs/certification.md, « Délibération ») :
- a competence is acquired in a session when every criterion of it is « acquis » in every grid of the session
  that covers it (the final mark: the two evaluators' when they agree, the jury's decision where they differ);
- a competence or a bloc acquired in an earlier session whose PV is signed counts while it is valid (the branch's
  rules, `ResultRules.bloc_validity_years`, from the day the PV was signed);
- a bloc is validated when none of its competences is missing;
- the session's result: every bloc of the référentiel acquired → validation totale; some → validation partielle
  (the blocs listed); none → échec.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from atelier.certification.models import (
    Bloc,
    BlocDeliberation,
    Candidate,
    CertificationSession,
    Competence,
    ResultKind,
    ResultRules,
)
from atelier.certification.rules import add_months


def rules_for(day: datetime.date) -> ResultRules | None:
    """The branch's rules in force on `day` (the latest date of effect not after it)."""
    return ResultRules.objects.filter(effective_from__lte=day).order_by("-effective_from").first()


def valid_until(rules: ResultRules | None, signed_on: datetime.date) -> datetime.date | None:
    """Last day an acquisition signed on `signed_on` counts; None: without limit."""
    if rules is None or rules.bloc_validity_years is None:
        return None
    return add_months(signed_on, 12 * rules.bloc_validity_years)


@dataclass
class BlocStatus:
    """What the grids of a session say about one bloc for one candidate."""

    bloc: Bloc
    epreuves: list = field(default_factory=list)  # the session's épreuves of this bloc
    incomplete: list[str] = field(default_factory=list)  # why it cannot be deliberated yet
    acquired: list[str] = field(default_factory=list)  # competence codes, référentiel order
    carried: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def validated(self) -> bool:
        return not self.incomplete and not self.missing


def session_blocs(session: CertificationSession) -> list[Bloc]:
    """The blocs the session's épreuves examine, by code."""
    ids = {e.bloc_id for e in session.epreuves.all()}
    return list(Bloc.objects.filter(pk__in=ids).order_by("code"))


def earlier_acquisitions(candidate: Candidate, session: CertificationSession) -> dict[str, dict]:
    """Per bloc code, what the candidate acquired in earlier sessions (PV signed) still valid on the session's
    first day: {"validated": bool, "competences": set of codes}."""
    return earlier_acquisitions_many([candidate], session)[candidate.pk]


def earlier_acquisitions_many(candidates, session: CertificationSession) -> dict[int, dict[str, dict]]:
    """earlier_acquisitions for several candidates in one query."""
    rules = rules_for(session.starts_on)
    out: dict[int, dict[str, dict]] = {c.pk: {} for c in candidates}
    earlier = (
        BlocDeliberation.objects.filter(
            candidate__in=list(out), session__proces_verbal__locked_at__isnull=False
        )
        .exclude(session=session)
        .select_related("bloc", "session__proces_verbal")
    )
    for d in earlier:
        locked_at = d.session.proces_verbal.locked_at
        assert locked_at is not None  # the query asks for signed PVs only
        signed_on = locked_at.date()
        until = valid_until(rules, signed_on)
        if signed_on > session.starts_on or (until is not None and until < session.starts_on):
            continue
        entry = out[d.candidate_id].setdefault(d.bloc.code, {"validated": False, "competences": set()})
        entry["validated"] |= d.validated
        entry["competences"] |= set(d.acquired) | set(d.carried)
    return out


def bloc_codes(bloc: Bloc) -> list[str]:
    """The bloc's competence codes in the référentiel's order."""
    return list(
        Competence.objects.filter(activity__bloc=bloc).order_by("position").values_list("code", flat=True)
    )


def bloc_status(
    session: CertificationSession,
    candidate: Candidate,
    bloc: Bloc,
    *,
    grids: dict | None = None,
    earlier: dict | None = None,
    codes: list[str] | None = None,
    session_epreuves: list | None = None,
) -> BlocStatus:
    """The bloc read from the session's final marks (grids: selectors.grids of the session, to read once for a
    whole page; likewise its earlier acquisitions, the bloc's codes and the session's épreuves) and from what
    counts from earlier sessions."""
    from atelier.certification import selectors

    every = session_epreuves if session_epreuves is not None else session.epreuves.all()
    epreuves = sorted((e for e in every if e.bloc_id == bloc.pk), key=lambda e: e.number)
    status = BlocStatus(bloc=bloc, epreuves=epreuves)
    if grids is None:
        grids = selectors.grids(session, epreuves, [candidate])
    if earlier is None:
        earlier = earlier_acquisitions(candidate, session)
    results: dict[str, list[str | None]] = {}
    for epreuve in epreuves:
        data = grids[(epreuve.pk, candidate.pk)]
        if not data["complete"]:
            status.incomplete.append(
                _("n°%(n)s : %(k)s grille(s) remise(s) sur 2")
                % {"n": epreuve.number, "k": len(data["evaluations"])}
            )
            continue
        undecided = [r for r in data["rows"] if r["result"] == "a_decider"]
        if undecided:
            status.incomplete.append(
                _("n°%(n)s : %(k)s critère(s) à décider par le jury")
                % {"n": epreuve.number, "k": len(undecided)}
            )
        for row in data["rows"]:
            results.setdefault(row["criterion"].competence.code, []).append(row["result"])
    before = earlier.get(bloc.code, {"competences": set()})["competences"]
    for code in codes if codes is not None else bloc_codes(bloc):
        marks = results.get(code)
        if marks and all(m == "acquis" for m in marks):
            status.acquired.append(code)
        elif code in before:
            status.carried.append(code)
        else:
            status.missing.append(code)
    return status


def session_result_kind(all_blocs: list[str], acquired_blocs: list[str]) -> str:
    """Validation totale when every bloc of the référentiel is acquired, partielle when some, échec when none."""
    if acquired_blocs and set(all_blocs) <= set(acquired_blocs):
        return ResultKind.VALIDATION_TOTALE
    if acquired_blocs:
        return ResultKind.VALIDATION_PARTIELLE
    return ResultKind.ECHEC
