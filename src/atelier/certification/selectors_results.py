"""Reads of deliberation and results: a session's board (each candidate, each bloc: what the grids say, the jury's
decision, the result), the PV's state, the certificates a user may see, the CSV export."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from atelier.certification import selectors
from atelier.certification.models import (
    BlocDeliberation,
    Certificate,
    CertificationSession,
    ProcesVerbal,
    SessionResult,
)
from atelier.certification.results_rules import (
    bloc_codes,
    bloc_status,
    earlier_acquisitions_many,
    session_blocs,
)


def session_board(session: CertificationSession) -> dict:
    """Per candidate: the result (or None), and per bloc of the session its status from the grids and the jury's
    deliberation. The grids are read once for the whole session (selectors.grids)."""
    blocs = session_blocs(session)
    candidates = list(
        session.candidates.select_related("organisation").order_by("last_name", "first_name", "pk")
    )
    epreuves = list(session.epreuves.select_related("bloc").order_by("number"))
    grids = selectors.grids(session, epreuves, candidates)
    deliberations = {
        (d.candidate_id, d.bloc_id): d
        for d in BlocDeliberation.objects.filter(session=session).select_related("decided_by")
    }
    results = {r.candidate_id: r for r in SessionResult.objects.filter(session=session)}
    codes = {bloc.pk: bloc_codes(bloc) for bloc in blocs}
    earlier_of = earlier_acquisitions_many(candidates, session)
    rows = []
    for candidate in candidates:
        earlier = earlier_of[candidate.pk]
        rows.append(
            {
                "candidate": candidate,
                "result": results.get(candidate.pk),
                "blocs": [
                    {
                        "bloc": bloc,
                        "status": bloc_status(
                            session,
                            candidate,
                            bloc,
                            grids=grids,
                            earlier=earlier,
                            codes=codes[bloc.pk],
                            session_epreuves=epreuves,
                        ),
                        "deliberation": deliberations.get((candidate.pk, bloc.pk)),
                    }
                    for bloc in blocs
                ],
            }
        )
    return {"blocs": blocs, "rows": rows, "pv": pv_state(session)}


def pv_state(session: CertificationSession) -> dict:
    """The PV: who signed and when, who has not, whether it is locked."""
    pv = ProcesVerbal.objects.filter(session=session).first()
    signatures = list(pv.signatures.select_related("juror")) if pv else []
    signed = {s.juror_id for s in signatures}
    jurors = list(session.jurors.select_related("user", "employer"))
    return {
        "pv": pv,
        "signatures": signatures,
        "waiting": [j for j in jurors if j.user_id not in signed],
        "jurors": jurors,
        "locked": bool(pv and pv.locked_at),
        "frozen": bool(signatures),
    }


def certificate_list(*, user) -> QuerySet[Certificate]:
    """The certificates of the sessions the user sees (their juries, or the sites they manage), and those of the
    candidates of the organisations they act for."""
    sessions = selectors.session_list(user=user).values("pk")
    return (
        Certificate.objects.visible_to(user)
        .filter(
            Q(session__in=sessions)
            | Q(candidate__organisation__members=user)
            | Q(candidate__company__members=user)
        )
        .distinct()
        .select_related("session", "candidate", "bloc")
    )


def certificate_get(*, user, pk) -> Certificate:
    from atelier.core.scoping import visible_or_404

    return visible_or_404(certificate_list(user=user), user, pk=pk)


CSV_HEADERS = [
    "Session",
    "Date de début",
    "Candidat",
    "Organisme de formation",
    "Bloc",
    "Décision sur le bloc",
    "Compétences acquises dans la session",
    "Compétences acquises antérieurement",
    "Compétences manquantes",
    "Commentaire du jury",
    "Résultat de la session",
    "Blocs acquis",
    "Certificat du bloc",
    "Certificat du CQP",
]


def results_csv_rows(session: CertificationSession) -> list[list[str]]:
    """One row per candidate × bloc of the session, French headers first (stock.exports.to_csv writes them)."""
    blocs = session_blocs(session)
    deliberations = {(d.candidate_id, d.bloc_id): d for d in BlocDeliberation.objects.filter(session=session)}
    results = {r.candidate_id: r for r in SessionResult.objects.filter(session=session)}
    certificates = {
        (c.candidate_id, c.bloc_id): c.number for c in Certificate.objects.filter(session=session)
    }  # a bloc's certificate under (candidate, bloc), the full CQP's under (candidate, None)
    rows = [list(CSV_HEADERS)]
    for candidate in session.candidates.select_related("organisation").order_by(
        "last_name", "first_name", "pk"
    ):
        result = results.get(candidate.pk)
        for bloc in blocs:
            d = deliberations.get((candidate.pk, bloc.pk))
            if result is not None and result.kind in ("absent", "excuse"):
                decision = result.get_kind_display()
            elif d is None:
                decision = _("non délibéré")
            else:
                decision = _("validé") if d.validated else _("non validé")
            rows.append(
                [
                    session.title,
                    session.starts_on.strftime("%d/%m/%Y"),
                    str(candidate),
                    candidate.organisation.name,
                    f"Bloc {bloc.code}",
                    decision,
                    " ".join(d.acquired) if d else "",
                    " ".join(d.carried) if d else "",
                    " ".join(d.missing) if d else "",
                    d.comment if d else "",
                    result.get_kind_display() if result else "",
                    " ".join(f"Bloc {code}" for code in result.blocs) if result else "",
                    certificates.get((candidate.pk, bloc.pk), ""),
                    certificates.get((candidate.pk, None), ""),
                ]
            )
    return rows
