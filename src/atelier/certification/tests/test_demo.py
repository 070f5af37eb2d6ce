"""The demo of certification (issue 19, point 8, the part built): an organisation, a session with six candidates,
the draws of n°1 and n°2 done, the five épreuves marked, one bloc failed on two competences, the PV signed and the
certificates issued; idempotent."""

import random

import pytest

from atelier.certification.models import CertificationSession, Draw, Organisation
from atelier.certification.services import draw_replay
from atelier.core.choices import Role
from atelier.core.tests.factories import UserFactory
from atelier.demo import certification as demo

pytestmark = pytest.mark.django_db


def test_demo_loads_an_organisation_a_session_of_six_and_its_draws(site):
    users = {
        name: UserFactory(username=name, roles=[role], sites=[site])
        for name, role in [
            ("formateur", Role.FORMATEUR),
            ("responsable", Role.RESPONSABLE_SAV),
            ("technicien", Role.TECHNICIEN),
            ("technicien2", Role.TECHNICIEN),
        ]
    }
    report = demo.load(sites={"PAR1": site}, users=users, rng=random.Random(7))
    assert report == {
        "candidats à la certification": 6,
        "tirages au sort d'épreuves": 13,
        "grilles d'évaluation": 60,  # 6 candidates × 5 épreuves × 2 evaluators
        "délibérations du jury sur un bloc": 12,
        "certificats délivrés": 16,  # 5 × (bloc 1, bloc 2, CQP) + bloc 1 for Yanis Faure
    }
    session = CertificationSession.objects.get()
    assert session.candidates.count() == 6
    assert sorted(e.number for e in session.epreuves.all()) == [1, 2, 3, 4, 5]
    assert sorted(j.user.username for j in session.jurors.all()) == ["responsable", "technicien"]
    assert Organisation.objects.filter(site=site).count() == 2
    assert Draw.objects.filter(replaces__isnull=False).count() == 1
    assert all(draw_replay(d) for d in Draw.objects.all())
    assert session.candidates.exclude(e3_topic="").count() == 6
    from atelier.certification.models import Evaluation, JuryDecision

    assert Evaluation.objects.filter(epreuve__number=5).count() == 12
    assert JuryDecision.objects.count() == 1
    from atelier.certification.models import BlocDeliberation, Certificate, SessionResult

    failed = BlocDeliberation.objects.get(validated=False)
    assert (str(failed.candidate), failed.bloc.code, failed.missing) == ("Yanis Faure", "2", ["C2.3", "C2.9"])
    assert (
        sorted(SessionResult.objects.values_list("kind", flat=True))
        == ["validation_partielle"] + ["validation_totale"] * 5
    )
    assert session.proces_verbal.locked_at is not None
    assert Certificate.objects.filter(candidate=failed.candidate).get().bloc.code == "1"
    assert Certificate.objects.filter(kind="cqp").count() == 5
    assert demo.load(sites={"PAR1": site}, users=users, rng=random.Random(7)) == {}
