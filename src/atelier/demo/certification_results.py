"""Demo of deliberation and results (issue 19, points 5 and 8): épreuves n°1 to n°4 marked by both evaluators for
the six candidates of the demo session (n°5 is marked by demo.certification), Yanis Faure failing bloc 2 on two
competences (C2.3 mécontentements, C2.9 devis), the jury deliberating each bloc, both jurors signing the PV on
screen: the certificates are issued (one per validated bloc, one per full CQP). Through the product's services."""

from atelier.certification.models import Bloc
from atelier.certification.services_grids import GivenMark, evaluation_submit, grid_criteria
from atelier.certification.services_results import bloc_deliberate, pv_sign
from atelier.demo.showcase import signature_png

FAILING = {"Faure": {"C2.3", "C2.9"}}  # one bloc failed on two competences
COMMENTS = {
    ("Faure", "2"): "Accueil d'un client mécontent et devis à retravailler : C2.3 et C2.9 à repasser (démo).",
    ("Martin", "1"): "Diagnostic méthodique, mesures commentées avec justesse (démo).",
}


def load(*, session, candidates, jurors) -> dict[str, int]:
    grids = 0
    for epreuve in session.epreuves.filter(number__in=(1, 2, 3, 4)).order_by("number"):
        criteria = grid_criteria(epreuve)
        for candidate in candidates:
            failing = FAILING.get(candidate.last_name, set())
            marks = [GivenMark(c.pk, c.competence.code not in failing) for c in criteria]
            for evaluator in jurors:
                evaluation_submit(
                    actor=evaluator, session=session, epreuve=epreuve, candidate=candidate, marks=marks
                )
                grids += 1
    blocs = list(Bloc.objects.filter(referentiel=session.referentiel).order_by("code"))
    for candidate in candidates:
        for bloc in blocs:
            bloc_deliberate(
                actor=jurors[0],
                session=session,
                candidate=candidate,
                bloc=bloc,
                comment=COMMENTS.get((candidate.last_name, bloc.code), ""),
            )
    for rank, juror in enumerate(jurors):
        pv_sign(actor=juror, session=session, signature=signature_png(40 + rank))
    return {
        "grilles d'évaluation": grids,
        "délibérations du jury sur un bloc": len(candidates) * len(blocs),
        "certificats délivrés": session.certificates.count(),
    }
