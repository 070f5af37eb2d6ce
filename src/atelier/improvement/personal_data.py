"""A customer's survey answers in the personal-data features (docs/personal-data.md): the comment and the
manager's note are scrubbed on anonymisation (the scores stay, they feed the indicators), and the answers are
part of the customer's data export."""

from atelier.improvement.models import SurveyAnswer

ANONYMISED_TEXT = "[anonymisé]"  # the word customers.footprint writes


def scrub(customer) -> dict[str, int]:
    answers = SurveyAnswer.objects.filter(case__customer=customer)
    return {
        "réponses à l'enquête de satisfaction": answers.update(comment=ANONYMISED_TEXT, follow_up_note="")
    }


def export(customer):
    rows = (
        SurveyAnswer.objects.filter(case__customer=customer)
        .select_related("case")
        .order_by("answered_at", "pk")
    )
    return "enquete_satisfaction", [
        {
            "dossier": a.case.number,
            "repondu_le": a.answered_at.isoformat(),
            "recommandation": a.recommendation,
            "satisfaction": a.satisfaction,
            "commentaire": a.comment,
        }
        for a in rows
    ]
