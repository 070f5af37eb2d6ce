"""The two jurors sign the PV at the same moment: the session's row lock lets them through one after the other;
the PV is locked once and each certificate issued once (ARCHITECTURE.md, habit 4)."""

import pytest
from django.db import connection

from atelier.certification import services
from atelier.certification.models import Certificate, ProcesVerbal, PvSignature
from atelier.certification.services_results import bloc_deliberate, pv_sign
from atelier.core.tests.races import race

from .test_results import SIGNATURE, bloc, mark

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks are a PostgreSQL matter; SQLite serialises writers with BEGIN IMMEDIATE",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_both_jurors_sign_at_once_the_certificates_are_issued_once(
    session, third, juror, second_juror, formateur
):
    services.session_candidate_add(actor=formateur, session=session, candidate=third)
    services.session_juror_add(actor=formateur, session=session, user=juror)
    services.session_juror_add(actor=formateur, session=session, user=second_juror)
    mark(session, third, [juror, second_juror], failing={"C2.3"})
    for code in "12":
        bloc_deliberate(actor=juror, session=session, candidate=third, bloc=bloc(code))
    done, refused = race(
        lambda: pv_sign(actor=juror, session=session, signature=SIGNATURE),
        lambda: pv_sign(actor=second_juror, session=session, signature=SIGNATURE),
    )
    assert (len(done), refused) == (2, [])
    assert PvSignature.objects.count() == 2
    assert ProcesVerbal.objects.get().locked_at is not None
    assert list(Certificate.objects.values_list("number", "bloc__code")) == [(
        Certificate.objects.get().number, "1"
    )]  # fmt: skip
