"""The satisfaction survey: one answer per closed dossier within 30 days, scores in range, a low score opens a
follow-up for the manager; on the public tracking page, bad input shows the French reason and keeps the text."""

import datetime

import pytest
from django.db import connection
from django.test import Client

from atelier.billing.handover import tracking_link_create
from atelier.core.errors import AtelierError, PermissionRefused, TransitionRefused
from atelier.improvement.models import SurveyAnswer
from atelier.improvement.surveys import followup_update, survey_answer
from atelier.improvement.tests.conftest import at, closed_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(site, responsable):
    return closed_case(site, responsable, closed_on="2026-03-10")


def test_a_good_score_needs_no_follow_up_a_low_one_opens_it(closed, site, responsable):
    answer = survey_answer(
        case=closed, recommendation=9, satisfaction=4, comment=" Rapide. ", at=at("2026-03-12")
    )
    assert (answer.site_id, answer.recommendation, answer.satisfaction, answer.comment, answer.follow_up) == (
        site.pk,
        9,
        4,
        "Rapide.",
        "",
    )
    other = closed_case(site, responsable, closed_on="2026-03-10")
    low = survey_answer(case=other, recommendation=6, satisfaction=4, at=at("2026-03-12"))
    assert low.follow_up == "a_traiter"
    third = closed_case(site, responsable, closed_on="2026-03-10")
    assert (
        survey_answer(case=third, recommendation=10, satisfaction=2, at=at("2026-03-12")).follow_up
        == "a_traiter"
    )


@pytest.mark.parametrize(
    ("reco", "satisfaction", "message"),
    [
        (11, 3, "La recommandation est une note de 0 à 10."),
        (-1, 3, "La recommandation est une note de 0 à 10."),
        (5, 0, "La satisfaction est une note de 1 à 5."),
        (5, 6, "La satisfaction est une note de 1 à 5."),
    ],
)
def test_a_score_out_of_range_is_refused(closed, reco, satisfaction, message):
    with pytest.raises(AtelierError, match=message):
        survey_answer(case=closed, recommendation=reco, satisfaction=satisfaction, at=at("2026-03-12"))
    assert SurveyAnswer.objects.count() == 0


def test_a_second_answer_an_expired_survey_and_an_open_dossier_are_refused(closed, site, responsable):
    survey_answer(case=closed, recommendation=8, satisfaction=4, at=at("2026-03-12"))
    with pytest.raises(TransitionRefused) as second:
        survey_answer(case=closed, recommendation=2, satisfaction=1, at=at("2026-03-13"))
    assert (
        second.value.message
        == "Vous avez déjà répondu le 12/03/2026 : merci ! Une seule réponse est possible par dossier."
    )
    late = closed_case(site, responsable, closed_on="2026-03-10")
    with pytest.raises(TransitionRefused) as expired:
        survey_answer(case=late, recommendation=8, satisfaction=4, at=at("2026-04-09", 11))
    assert expired.value.message == (
        "Ce questionnaire était ouvert jusqu'au 09/04/2026 : il est clos. "
        "Vous pouvez nous appeler ou passer au magasin."
    )
    from atelier.repairs.tests.factories import RepairCaseFactory

    with pytest.raises(TransitionRefused, match="Le questionnaire s'ouvre quand le dossier est clôturé."):
        survey_answer(case=RepairCaseFactory(site=site), recommendation=8, satisfaction=4)
    assert SurveyAnswer.objects.count() == 1


def test_the_manager_follows_up_a_low_score_a_technician_may_not(closed, responsable, technicien):
    answer = survey_answer(case=closed, recommendation=3, satisfaction=2, at=at("2026-03-12"))
    with pytest.raises(PermissionRefused):
        followup_update(answer=answer, actor=technicien, status="en_cours")
    with pytest.raises(
        AtelierError, match="Notez ce qui a été fait pour ce client avant de dire le suivi traité."
    ):
        followup_update(answer=answer, actor=responsable, status="traite")
    done = followup_update(
        answer=answer, actor=responsable, status="traite", note="Client rappelé, geste offert."
    )
    assert (done.follow_up, done.follow_up_note, done.follow_up_by) == (
        "traite",
        "Client rappelé, geste offert.",
        responsable,
    )


# ---------------------------------------------------------------- on the public tracking page


@pytest.fixture
def link(closed):
    return tracking_link_create(case=closed)


def test_the_tracking_page_shows_the_survey_and_the_customer_answers(link, closed, time_machine):
    time_machine.move_to(closed.closed_at + datetime.timedelta(days=1))
    client = Client()
    page = client.get(f"/suivi/{link.token}/")
    assert page.status_code == 200
    assert 'id="tracking-survey"' in page.content.decode()
    assert f'action="/suivi/{link.token}/avis/"' in page.content.decode()
    done = client.post(
        f"/suivi/{link.token}/avis/", {"recommendation": "4", "satisfaction": "2", "comment": "Trop long."}
    )
    assert done.status_code == 302 and done["Location"] == f"/suivi/{link.token}/avis/"
    answer = SurveyAnswer.objects.get(case=closed)
    assert (answer.recommendation, answer.satisfaction, answer.comment, answer.follow_up) == (
        4,
        2,
        "Trop long.",
        "a_traiter",
    )
    again = client.get(f"/suivi/{link.token}/avis/")
    assert "Merci : vous avez donné votre avis le" in again.content.decode()
    second = client.post(f"/suivi/{link.token}/avis/", {"recommendation": "10", "satisfaction": "5"})
    assert second.status_code == 409
    assert "Une seule réponse est possible par dossier." in second.content.decode()
    assert SurveyAnswer.objects.get(case=closed).recommendation == 4


def test_bad_input_on_the_page_keeps_what_was_typed(link, closed, time_machine):
    time_machine.move_to(closed.closed_at + datetime.timedelta(days=1))
    page = Client().post(
        f"/suivi/{link.token}/avis/",
        {"recommendation": "11", "satisfaction": "3", "comment": "Très bien reçu."},
    )
    assert page.status_code == 400
    text = page.content.decode()
    assert "La recommandation est une note de 0 à 10." in text
    assert "Très bien reçu.</textarea>" in text
    assert SurveyAnswer.objects.count() == 0


def test_an_expired_link_answers_the_french_404(link, closed, time_machine):
    time_machine.move_to(link.expires_at + datetime.timedelta(minutes=1))
    page = Client().post(f"/suivi/{link.token}/avis/", {"recommendation": "8", "satisfaction": "4"})
    assert page.status_code == 404
    assert "plus valable" in page.content.decode()
    assert SurveyAnswer.objects.count() == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks and concurrency: PostgreSQL only")
@pytest.mark.django_db(transaction=True)
def test_two_answers_posted_at_once_keep_one(site, responsable):
    """A double click on « Envoyer mon avis »: the dossier's row lock makes the second answer find the first and be
    refused in French, never an IntegrityError (500)."""
    import threading

    from django.db import connection as thread_connection

    case = closed_case(site, responsable, closed_on="2026-03-10")
    barrier, outcomes = threading.Barrier(2), []

    def answer(reco):
        try:
            barrier.wait()
            survey_answer(case=case, recommendation=reco, satisfaction=4, at=at("2026-03-12"))
            outcomes.append("ok")
        except TransitionRefused as exc:
            outcomes.append(exc.message)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=answer, args=(r,)) for r in (8, 9)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == [
        "Vous avez déjà répondu le 12/03/2026 : merci ! Une seule réponse est possible par dossier.",
        "ok",
    ]
    assert SurveyAnswer.objects.count() == 1


def test_anonymisation_scrubs_the_comment_and_the_export_carries_the_answer(closed, responsable):
    from atelier.improvement import personal_data

    survey_answer(
        case=closed,
        recommendation=3,
        satisfaction=2,
        comment="M. Client, 06 11 22 33 44",
        at=at("2026-03-12"),
    )
    key, rows = personal_data.export(closed.customer)
    assert (key, [(r["dossier"], r["recommandation"], r["commentaire"]) for r in rows]) == (
        "enquete_satisfaction",
        [(closed.number, 3, "M. Client, 06 11 22 33 44")],
    )
    assert personal_data.scrub(closed.customer) == {"réponses à l'enquête de satisfaction": 1}
    answer = SurveyAnswer.objects.get()
    assert (answer.comment, answer.recommendation) == ("[anonymisé]", 3)
