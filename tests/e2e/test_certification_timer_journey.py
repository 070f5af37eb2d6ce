"""A jury marks épreuve n°1 on a tablet with the timer running (issue 19, point 4): the juror starts the
preparation, the screen counts down, the part overruns and the screen warns, the juror stops it (the real
duration is stored and shown), records a question with its competence, then hands in the grid."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from atelier.certification.models import Evaluation, JuryQuestion, PartTiming
from tests.e2e.steps import login
from tests.e2e.test_certification_journey import _mark_all, _session

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_jury_marks_epreuve_1_with_the_timer_running_and_a_question(live_server, page):
    session, candidate = _session()
    page.set_viewport_size({"width": 1024, "height": 768})
    base = live_server.url
    login(page, base, "jure1")
    page.goto(f"{base}/certification/sessions/{session.pk}/grilles/?epreuve=1&candidat={candidate.pk}")
    preparation = page.locator("#part-0")
    expect(preparation.locator(".cert-clock-text")).to_have_text("reste 15:00")
    preparation.locator("button:has-text('Démarrer')").click()
    expect(page.locator(".messages")).to_contain_text("« Préparation de l'épreuve » démarré.")
    expect(preparation.locator(".badge")).to_have_text("en cours")
    expect(preparation.locator(".cert-clock-text")).to_have_text("reste 14:58", timeout=4000)  # counts down

    # sixteen minutes later (the stored start moved back): the part overruns and the screen warns
    PartTiming.objects.update(started_at=timezone.now() - datetime.timedelta(minutes=16))
    page.reload()
    expect(preparation.locator(".cert-clock-text")).to_contain_text("dépassement +01:0")
    expect(preparation.locator(".cert-overrun-warning")).to_be_visible()
    expect(preparation.locator(".cert-overrun-warning")).to_have_text("Temps dépassé")
    preparation.locator("button:has-text('Arrêter')").click()
    expect(page.locator(".messages")).to_contain_text("« Préparation de l'épreuve » arrêté : 16:0")
    expect(page.locator("#part-0")).to_contain_text("Durée réelle : 16:0")
    expect(page.locator("#part-0 .badge")).to_contain_text("dépassement de 01:0")
    timing = PartTiming.objects.get()
    assert timing.ended_at is not None and 960 <= (timing.ended_at - timing.started_at).total_seconds() < 975

    page.locator("#part-1 button:has-text('Démarrer')").click()
    expect(page.locator("#part-1 .badge")).to_have_text("en cours")

    page.fill("#id_question_text", "Quelle mesure faites-vous avant de changer la pompe de vidange ?")
    page.select_option(
        "#id_question_competence",
        label="C1.5 Identifier les pannes avec appareils de mesure / programmation; devis correctif",
    )
    page.fill("#id_question_answer_summary", "Résistance du bobinage au multimètre, comparée à la fiche.")
    page.click("button:has-text('Enregistrer la question')")
    expect(page.locator(".messages")).to_contain_text("Question enregistrée.")
    expect(page.locator("#question")).to_contain_text(
        "Quelle mesure faites-vous avant de changer la pompe de vidange ?"
    )
    expect(page.locator("#question .badge")).to_have_text("C1.5")
    page.locator("#timer").scroll_into_view_if_needed()
    page.screenshot(path="/tmp/cg/grid-1024.png", full_page=False)
    page.set_viewport_size({"width": 1366, "height": 1024})
    page.locator("#timer").scroll_into_view_if_needed()
    page.screenshot(path="/tmp/cg/grid-1366.png", full_page=False)
    page.set_viewport_size({"width": 1024, "height": 768})

    _mark_all(page)
    page.click("button:has-text('Remettre ma grille')")
    expect(page.locator(".messages")).to_contain_text("Grille remise.")
    expect(page.locator("#part-1 .badge")).to_have_text("en cours")  # the timer runs on while the jury marks
    question = JuryQuestion.objects.get()
    assert (question.competence.code, question.answer_summary) == (
        "C1.5",
        "Résistance du bobinage au multimètre, comparée à la fiche.",
    )
    assert Evaluation.objects.get().marks.count() == 42
