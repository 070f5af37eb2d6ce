"""The demo's improvement data: survey answers (some low, followed up), actions in every status, the verified
one with its effect measured before and after."""

import pytest
from django.db import transaction

from atelier.improvement.models import ImprovementAction, SurveyAnswer
from tests.world import load_world

pytestmark = pytest.mark.django_db


def test_the_demo_has_answers_follow_ups_and_actions_in_every_status():
    with transaction.atomic():
        load_world()
        statuses = sorted(ImprovementAction.objects.values_list("status", flat=True))
        assert statuses == sorted(["proposee", "decidee", "en_cours", "faite", "verifiee", "abandonnee"])
        verified = ImprovementAction.objects.get(status="verifiee")
        assert verified.before_value is not None and verified.after_value is not None
        assert verified.before_to < verified.after_from
        answers = SurveyAnswer.objects.all()
        assert answers.count() == 5  # the small demo closes five dossiers in Paris (eight answers at most)
        assert sorted(a.follow_up for a in answers if a.is_low) == ["a_traiter", "en_cours", "traite"]
        transaction.set_rollback(True)
