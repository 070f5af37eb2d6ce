"""Improvement in a real browser: the customer of a closed dossier answers the survey on the tracking page (an
empty answer is refused in French), the low score appears on the manager's improvement page and is followed up;
a technician proposes an improvement action and the manager decides it."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from atelier.billing.handover import tracking_link_create
from atelier.core.choices import Role
from atelier.core.tests.factories import SiteFactory, UserFactory
from atelier.improvement.models import ImprovementAction, SurveyAnswer
from atelier.improvement.tests.conftest import closed_case
from tests.e2e.steps import login, logout

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_survey_follow_up_and_an_action_decided(live_server, page: Page):
    site = SiteFactory(code="PAR1", name="Paris Bastille")
    users = {
        name: UserFactory(username=name, roles=[role], sites=[site], first_name=name.capitalize())
        for name, role in (("technicien", Role.TECHNICIEN), ("responsable", Role.RESPONSABLE_SAV))
    }
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    case = closed_case(site, users["responsable"], closed_on=yesterday)
    link = tracking_link_create(case=case)
    base = live_server.url

    page.goto(f"{base}/suivi/{link.token}/")
    expect(page.locator("#tracking-survey h2")).to_have_text("Votre avis")
    page.fill("#id_survey_comment", "Personne ne m'a rappelé pendant l'attente.")
    page.click("#survey-submit")
    expect(page.locator("#field-recommendation .error")).to_have_text("Choisissez une note de 0 à 10.")
    expect(page.locator("#id_survey_comment")).to_have_value("Personne ne m'a rappelé pendant l'attente.")
    page.check("#id_survey_recommendation_3")
    page.check("#id_survey_satisfaction_1")
    page.click("#survey-submit")
    expect(page.locator("#survey-answered")).to_contain_text("recommandation 3/10, satisfaction 2/5")
    answer = SurveyAnswer.objects.get()
    assert (answer.recommendation, answer.satisfaction, answer.follow_up) == (3, 2, "a_traiter")

    login(page, base, "technicien")
    page.goto(f"{base}/amelioration/")
    page.click("#propose")
    page.fill("#id_title", "Clients sans nouvelles pendant l'attente de pièces")
    page.fill("#id_cases", case.number)
    page.fill("#id_cause", "Aucun message pendant l'attente.")
    page.select_option("#id_effect_indicator", "satisfaction")
    page.click("#propose-submit")
    expect(page.locator("#action-status")).to_have_text("Proposée")
    logout(page)

    login(page, base, "responsable")
    page.goto(f"{base}/amelioration/")
    expect(page.locator("#to-follow-PAR1 strong")).to_have_text("1")
    page.click("#to-follow-PAR1")
    page.locator(f"#answer-{answer.pk} summary").click()
    page.select_option(f"#id_f{answer.pk}_status", "traite")
    page.fill(f"#id_f{answer.pk}_note", "Rappelée, excuses présentées.")
    page.click(f"#follow-up-{answer.pk}-submit")
    expect(page.locator(f"#answer-{answer.pk}")).to_contain_text("Traité")
    item = ImprovementAction.objects.get()
    page.goto(f"{base}/amelioration/actions/{item.pk}/")
    page.fill("#id_decide_plan", "Un SMS de suivi chaque semaine d'attente.")
    page.select_option("#id_decide_owner", str(users["technicien"].pk))
    page.fill("#id_decide_due_on", (timezone.localdate() + datetime.timedelta(days=30)).isoformat())
    page.click("#decide-submit")
    expect(page.locator("#action-status")).to_have_text("Décidée")
    expect(page.locator("#action-owner")).to_have_text(users["technicien"].get_full_name())
