"""The guided questioning as a pure flow: which questions of a family are asked given the answers so far, and
what a typed answer means. Read by the form (to show and hide), the service (to validate and keep only the
answers of questions actually asked) and the tests."""

from django.db.models import Q
from django.utils.translation import gettext as _

from atelier.core.errors import AtelierError
from atelier.diagnostics.choices import QuestionKind
from atelier.diagnostics.models import Question
from atelier.knowledge.errors import UnknownErrorCode
from atelier.knowledge.selectors import error_code_get

UNKNOWN_CODE = "code inconnu de la base"
MAX_ANSWER = 500


def questions_for(family: str) -> list[Question]:
    """The active questions of a family: those for every family, then the family's own, in order."""
    return list(
        Question.objects.filter(Q(family="") | Q(family=family), is_active=True)
        .select_related("parent")
        .order_by("position", "pk")
    )


def asked(questions: list[Question], answers: dict[int, str]) -> list[Question]:
    """The questions asked given the answers (by question id): a child only when its parent is asked and
    answered with the child's `parent_value` (compared without case or surrounding spaces)."""
    shown: set[int] = set()
    result = []
    for question in questions:
        if question.parent_id is not None:
            if question.parent_id not in shown:
                continue
            if answers.get(question.parent_id, "").strip().lower() != question.parent_value.strip().lower():
                continue
        shown.add(question.pk)
        result.append(question)
    return result


def clean_answer(question: Question, value: str, *, family: str, brand: str) -> tuple[str, str]:
    """(value, flag) for a typed answer, or AtelierError with a French message naming the question.

    An error code unknown to the knowledge base is kept and flagged, never refused: the customer read it on
    the display, the base may lack it.
    """
    value = (value or "").strip()
    if len(value) > MAX_ANSWER:
        raise AtelierError(
            _("« %(q)s » : %(n)s caractères au plus.") % {"q": question.text, "n": MAX_ANSWER},
            field=f"q_{question.pk}",
        )
    if question.kind in (QuestionKind.YES_NO, QuestionKind.CHOICE):
        choices = {c.lower(): c for c in question.choice_list}
        if value.lower() not in choices:
            raise AtelierError(
                _("« %(q)s » : choisissez parmi %(choices)s.")
                % {"q": question.text, "choices": ", ".join(question.choice_list)},
                field=f"q_{question.pk}",
            )
        return choices[value.lower()], ""
    if question.kind == QuestionKind.ERROR_CODE:
        value = value.upper()
        try:
            entry = error_code_get(family=family, brand=brand, code=value)
        except UnknownErrorCode:
            return value, UNKNOWN_CODE
        return entry.code, ""
    return value, ""
