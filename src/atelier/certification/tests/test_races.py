"""Two jurors press « Démarrer » on the same part at once: the session's row lock lets one start the timer, the
other gets the French refusal; one timer row (ARCHITECTURE.md, habit 4). PostgreSQL only."""

import pytest
from django.db import connection

from atelier.certification import services
from atelier.certification.models import PartTiming
from atelier.certification.services_evidence import timer_action
from atelier.core.choices import Role
from atelier.core.tests.factories import UserFactory
from atelier.core.tests.races import race

from .conftest import epreuves

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks are a PostgreSQL matter; SQLite serialises writers with BEGIN IMMEDIATE",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_two_jurors_start_the_same_part_at_once(session, job_seeker, juror, formateur, site):
    second = UserFactory(username="jure2", roles=[Role.TECHNICIEN], sites=[site])
    services.session_candidate_add(actor=formateur, session=session, candidate=job_seeker)
    services.session_juror_add(actor=formateur, session=session, user=juror)
    services.session_juror_add(actor=formateur, session=session, user=second)
    [e1] = epreuves(1)

    def start(who):
        return lambda: timer_action(
            actor=who, session=session, epreuve=e1, candidate=job_seeker, part=0, action="start"
        )

    done, refused = race(start(juror), start(second))
    assert len(done) == 1
    assert refused == ["« Préparation de l'épreuve » est déjà en cours."]
    assert PartTiming.objects.count() == 1
