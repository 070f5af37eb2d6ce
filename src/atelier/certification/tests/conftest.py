import datetime

import pytest

from atelier.certification import services
from atelier.certification.choices import CandidateStatus, OrganisationKind
from atelier.certification.models import Epreuve
from atelier.core.choices import Role
from atelier.core.tests.factories import UserFactory

D = datetime.date


@pytest.fixture
def of(site, formateur):
    """The training organisation of Paris; the formateur acts for it."""
    return services.organisation_create(
        actor=formateur,
        site=site,
        kind=OrganisationKind.ORGANISME_FORMATION,
        name="Campus des métiers de la réparation",
        siret="73282932000074",
        city="Paris",
        members=[formateur],
    )


@pytest.fixture
def company(site, formateur):
    return services.organisation_create(
        actor=formateur, site=site, kind=OrganisationKind.ENTREPRISE, name="Électro Bastille", city="Paris"
    )


@pytest.fixture
def tutor(site):
    """A technician of the company who tutors the apprentice (and could sit in a jury)."""
    return UserFactory(
        username="tuteur", first_name="Marc", last_name="Durand", roles=[Role.TECHNICIEN], sites=[site]
    )


@pytest.fixture
def juror(site):
    return UserFactory(
        username="jure", first_name="Sophie", last_name="Renaud", roles=[Role.RESPONSABLE_SAV], sites=[site]
    )


@pytest.fixture
def apprentice(of, company, tutor, formateur):
    return services.candidate_register(
        actor=formateur,
        organisation=of,
        company=company,
        status=CandidateStatus.APPRENTI,
        first_name="Léa",
        last_name="Martin",
        email="lea.martin@example.fr",
        phone="0611223344",
        birth_date=D(2004, 5, 12),
        course_start=D(2026, 9, 7),
        tutor=tutor,
    )


@pytest.fixture
def job_seeker(of, formateur):
    return services.candidate_register(
        actor=formateur,
        organisation=of,
        status=CandidateStatus.DEMANDEUR_EMPLOI,
        first_name="Karim",
        last_name="Benali",
        course_start=D(2026, 9, 7),
    )


def epreuves(*numbers):
    return list(Epreuve.objects.filter(referentiel__version="2022-04-22", number__in=numbers))


@pytest.fixture
def session(site, formateur):
    return services.session_create(
        actor=formateur,
        site=site,
        title="Session de juin 2027",
        place="Campus, atelier 2",
        starts_on=D(2027, 6, 14),
        ends_on=D(2027, 6, 16),
        epreuves=epreuves(1, 2, 3, 4, 5),
    )


# deliberation and results (test_results.py, test_results_views.py, test_results_api.py)
@pytest.fixture
def second_juror(site):
    return UserFactory(
        username="jure2", first_name="Paul", last_name="Weber", roles=[Role.TECHNICIEN], sites=[site]
    )


@pytest.fixture
def third(of, formateur):
    return services.candidate_register(
        actor=formateur,
        organisation=of,
        status=CandidateStatus.SALARIE,
        first_name="Chloé",
        last_name="Garnier",
        email="Chloe.Garnier@example.fr",
        course_start=D(2026, 9, 7),
    )
