"""Demo improvement at Paris: the Open Repair settings of the site, survey answers on the closed dossiers (some
low, with their follow-ups in each state), and improvement actions in every status, the verified one with its
effect measured before and after (the mean turnaround, on the two halves of the closures). Written through the
product's services; deterministic (the closed dossiers of Paris in order)."""

import datetime

from django.utils import timezone

from atelier.improvement import services, surveys
from atelier.improvement.models import ImprovementAction
from atelier.repairs.choices import CaseStatus
from atelier.repairs.models import RepairCase

# recommendation, satisfaction, comment: the answers of the closed dossiers, in order
SCORES = [
    (10, 5, "Technicien ponctuel et clair, merci !", ""),
    (4, 2, "Trois semaines sans nouvelles pendant l'attente de la pièce.", "traite"),
    (2, 1, "La panne est revenue une semaine après.", ""),  # left « à traiter »
    (6, 3, "Rendez-vous décalé deux fois.", "en_cours"),
    (9, 5, "", ""),
    (8, 4, "Bon travail, un peu cher.", ""),
    (10, 4, "", ""),
    (9, 4, "Accueil agréable.", ""),
]
ACTIONS = [
    # title, cause, plan, status to reach, proposed by
    (
        "Attente de pièces trop longue sur les lave-linge",
        "Un seul grossiste pour les pompes et les cartes.",
        "Ouvrir un second fournisseur pour les pompes et cartes courantes.",
        "verifiee",
        "technicien",
    ),
    (
        "Clients sans nouvelles pendant l'attente de pièces",
        "Aucun message automatique pendant l'attente.",
        "Envoyer un SMS de suivi chaque semaine d'attente.",
        "faite",
        "accueil",
    ),
    (
        "Rendez-vous à domicile décalés",
        "Tournées trop chargées le lundi.",
        "Lisser les visites sur la semaine.",
        "en_cours",
        "technicien2",
    ),
    (
        "Retours sur les joints de hublot",
        "Joints génériques de moindre qualité.",
        "Ne monter que des joints d'origine.",
        "decidee",
        "technicien",
    ),
    (
        "Devis refusés pour le prix",
        "Main-d'œuvre annoncée sans option de pièce de réemploi.",
        "",
        "proposee",
        "accueil",
    ),
    ("Affichage des délais en boutique", "Demande ponctuelle d'un client.", "", "abandonnee", "accueil"),
]


def load(*, sites, users, rng) -> dict[str, int]:
    site = sites["PAR1"]
    if ImprovementAction.objects.filter(site=site).exists():
        return {}
    if not site.ords_data_provider:
        site.ords_data_provider = "Électro Services Paris Bastille"
        site.ords_id_prefix = "electroparis"
        site.save(update_fields=["ords_data_provider", "ords_id_prefix"])
    manager = users["responsable"]
    closed = list(
        RepairCase.objects.filter(site=site, status=CaseStatus.CLOTURE, closed_at__isnull=False)
        .exclude(survey_answer__isnull=False)
        .order_by("closed_at", "pk")
    )
    answered = 0
    now = timezone.now()
    notes = {
        "traite": "Client rappelé, excuses et geste sur la prochaine intervention.",
        "en_cours": "Message laissé, rappel demain.",
    }
    for case, (reco, satisfaction, comment, follow_up) in zip(closed[-len(SCORES) :], SCORES, strict=False):
        when = min(case.closed_at + datetime.timedelta(days=1, hours=3), now)
        answer = surveys.survey_answer(
            case=case, recommendation=reco, satisfaction=satisfaction, comment=comment, at=when
        )
        answered += 1
        if follow_up:
            surveys.followup_update(
                answer=answer, actor=manager, status=follow_up, note=notes[follow_up], at=when
            )
    made = 0
    for title, cause, plan, target, who in ACTIONS:
        _walk(site, users, manager, users[who], title, cause, plan, target, closed)
        made += 1
    return {"réponses à l'enquête": answered, "actions d'amélioration": made}


def _walk(site, users, manager, proposer, title, cause, plan, target, closed) -> None:
    today = timezone.localdate()
    item = services.action_propose(
        actor=proposer,
        site=site,
        title=title,
        cause=cause,
        action=plan,
        effect_indicator="delai_moyen" if plan else "",
        cases=closed[:2] if target == "verifiee" else (),
    )
    if target == "proposee":
        return
    if target == "abandonnee":
        services.action_move(
            action=item,
            actor=manager,
            move="abandon",
            note="Les délais sont déjà sur la page de suivi du client.",
        )
        return
    owner = users["technicien"] if target != "faite" else users["accueil"]
    item = services.action_move(
        action=item,
        actor=manager,
        move="decide",
        plan=plan,
        owner=owner,
        due_on=today + datetime.timedelta(days=30),
    )
    if target == "decidee":
        return
    halves = _halves(closed, today)
    if halves and target == "verifiee":
        item = services.action_measure(
            action=item, actor=owner, which="before", start=halves[0][0], end=halves[0][1]
        )
    item = services.action_move(action=item, actor=owner, move="start")
    if target == "en_cours":
        return
    if halves and target == "verifiee":
        item = services.action_measure(
            action=item, actor=owner, which="after", start=halves[1][0], end=halves[1][1]
        )
    item = services.action_move(action=item, actor=owner, move="finish", note="Mis en place.")
    if target == "verifiee" and item.after_value is not None:
        services.action_move(
            action=item, actor=manager, move="verify", note="Délai moyen mesuré avant et après."
        )


def _halves(closed, today):
    """Two periods splitting the closures in two (before: the older half), or None when there are too few."""
    days = sorted({timezone.localdate(c.closed_at) for c in closed})
    if len(days) < 2:
        return None
    middle = days[(len(days) - 1) // 2]
    return (days[0], middle), (middle + datetime.timedelta(days=1), today)
