"""Demo certification: a training organisation and a company of Paris, six candidates (apprentices, an employee,
a job seeker) with their E3 topics (one after a derogation), a session with the five épreuves, a jury of two
professionals of the shop, the draws of n°1 and n°2 done (one redrawn, with its reason), and
épreuve n°5 marked by both evaluators for all six (one criterion decided by the jury). Written through the
product's services; deterministic (the seeds come from the demo's random generator)."""

import datetime

from django.utils import timezone

from atelier.certification import services
from atelier.certification.choices import CandidateStatus, OrganisationKind
from atelier.certification.models import Epreuve, Organisation
from atelier.certification.rules import add_months
from atelier.certification.services_grids import GivenMark, decision_record, evaluation_submit, grid_criteria

OF_NAME = "Campus des métiers de la réparation (démo)"
CANDIDATES = [
    ("Léa", "Martin", CandidateStatus.APPRENTI, True, "Tri et remise en état des lave-linge repris"),
    (
        "Hugo",
        "Lambert",
        CandidateStatus.APPRENTI,
        True,
        "Récupération des cartes de commande de lave-vaisselle",
    ),
    ("Inès", "Morel", CandidateStatus.APPRENTI, True, "Référencement des pièces d'occasion de téléviseurs"),
    ("Yanis", "Faure", CandidateStatus.SALARIE, True, "Atelier de reconditionnement des fours"),
    ("Chloé", "Garnier", CandidateStatus.DEMANDEUR_EMPLOI, False, "Filière de réemploi des réfrigérateurs"),
    ("Mathis", "Roussel", CandidateStatus.DEMANDEUR_EMPLOI, False, "Tri des petits appareils audio"),
]


def load(*, sites, users, rng) -> dict[str, int]:
    site = sites["PAR1"]
    if Organisation.objects.filter(site=site, name=OF_NAME).exists():
        return {}
    formateur, responsable, technicien, tutor = (
        users["formateur"],
        users["responsable"],
        users["technicien"],
        users["technicien2"],
    )
    today = timezone.localdate()
    of = services.organisation_create(
        actor=formateur,
        site=site,
        kind=OrganisationKind.ORGANISME_FORMATION,
        name=OF_NAME,
        siret="73282932000074",
        city="Paris",
        members=[formateur],
    )
    company = services.organisation_create(
        actor=formateur,
        site=site,
        kind=OrganisationKind.ENTREPRISE,
        name="Électro Bastille (démo)",
        city="Paris",
    )
    start = add_months(today, -9)
    candidates = []
    for rank, (first, last, status, in_company, topic) in enumerate(CANDIDATES):
        candidate = services.candidate_register(
            actor=formateur,
            organisation=of,
            company=company if in_company else None,
            status=status,
            first_name=first,
            last_name=last,
            email=f"{first.lower()}.{last.lower()}@example.fr".replace("è", "e").replace("é", "e"),
            phone=f"06 12 34 56 {rank:02d}",
            birth_date=datetime.date(2000 + rank, 3 + rank, 10 + rank),
            course_start=start,
            tutor=tutor if in_company else None,
            trainer=formateur,
        )
        if rank == 5:  # late: the organisation records a derogation first
            services.candidate_derogation_grant(
                actor=formateur,
                candidate=candidate,
                reason="Entrée en formation décalée (démo)",
                on=start + datetime.timedelta(days=70),
            )
            on = start + datetime.timedelta(days=75)
        else:
            on = start + datetime.timedelta(days=30 + rank)
        services.candidate_topic_set(actor=formateur, candidate=candidate, topic=topic, on=on)
        candidates.append(candidate)
    session = services.session_create(
        actor=formateur,
        site=site,
        title="Session CQP de la démo",
        place="Campus, atelier de certification",
        starts_on=today,
        ends_on=today + datetime.timedelta(days=2),
        epreuves=Epreuve.objects.filter(referentiel=candidates[0].referentiel),
    )
    for candidate in candidates:
        services.session_candidate_add(actor=formateur, session=session, candidate=candidate)
    services.session_juror_add(actor=formateur, session=session, user=responsable)
    services.session_juror_add(actor=formateur, session=session, user=technicien)
    draws = 0
    for epreuve in session.epreuves.filter(number__in=(1, 2)).order_by("number"):
        for candidate in candidates:
            services.draw_make(
                actor=responsable,
                session=session,
                epreuve=epreuve,
                candidate=candidate,
                present=candidates,
                seed=f"{rng.getrandbits(128):032x}",
            )
            draws += 1
    services.draw_make(
        actor=responsable,
        session=session,
        epreuve=session.epreuves.get(number=1),
        candidate=candidates[0],
        present=candidates,
        reason="Appareil de l'épreuve endommagé au transport (démo)",
        seed=f"{rng.getrandbits(128):032x}",
    )
    grids = _grids(session, candidates, responsable, technicien)
    from atelier.demo import certification_results  # n°1–4 marked, deliberation, PV signed, certificates

    results = certification_results.load(
        session=session, candidates=candidates, jurors=[responsable, technicien]
    )
    return {
        "candidats à la certification": len(candidates),
        "tirages au sort d'épreuves": draws + 1,
        **results,
        "grilles d'évaluation": grids + results["grilles d'évaluation"],
    }


def _grids(session, candidates, first, second) -> int:
    """Both evaluators mark épreuve n°5 for every candidate; they differ on one criterion of the first one, which
    the jury decides (both marks kept)."""
    epreuve = session.epreuves.get(number=5)
    criteria = grid_criteria(epreuve)
    for rank, candidate in enumerate(candidates):
        for evaluator in (first, second):
            disputed = rank == 0 and evaluator == second
            marks = [
                GivenMark(
                    c.pk,
                    not (disputed and i == 6),
                    "Redirigé tard vers le responsable." if disputed and i == 6 else "",
                )
                for i, c in enumerate(criteria)
            ]
            evaluation_submit(
                actor=evaluator, session=session, epreuve=epreuve, candidate=candidate, marks=marks
            )
    decision_record(
        actor=first,
        session=session,
        epreuve=epreuve,
        candidate=candidates[0],
        criterion=criteria[6],
        acquired=True,
        reason="Vu aux questions/réponses : la candidate connaît la procédure de litige (démo).",
    )
    return 2 * len(candidates)
