"""A jury at épreuve n°1 on a tablet (issue 19, point 8): the juror draws the candidate's product family in front of
them, then marks the grid of n°1 (42 criteria); an incomplete grid is refused and keeps what was typed; the
second evaluator differs on one criterion and the jury decides it, both marks kept."""

import datetime

import pytest
from playwright.sync_api import expect

from atelier.certification import services
from atelier.certification.models import Draw, Epreuve, JuryDecision, Mark
from atelier.core.choices import Role
from atelier.core.tests.factories import SiteFactory, UserFactory
from tests.e2e.steps import login, logout

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _session():
    site = SiteFactory(code="PAR1", name="Paris Bastille")
    formateur = UserFactory(username="formateur", roles=[Role.FORMATEUR], sites=[site], first_name="Patrick")
    first = UserFactory(
        username="jure1", roles=[Role.RESPONSABLE_SAV], sites=[site], first_name="Sophie", last_name="Renaud"
    )
    second = UserFactory(
        username="jure2", roles=[Role.TECHNICIEN], sites=[site], first_name="Paul", last_name="Weber"
    )
    of = services.organisation_create(
        actor=formateur, site=site, kind="organisme_formation", name="Campus", members=[formateur]
    )
    candidate = services.candidate_register(
        actor=formateur, organisation=of, status="apprenti", first_name="Léa", last_name="Martin",
        course_start=datetime.date(2026, 9, 7),
    )  # fmt: skip
    session = services.session_create(
        actor=formateur, site=site, title="Session de juin", place="Campus", starts_on=datetime.date(2027, 6, 14),
        ends_on=datetime.date(2027, 6, 14), epreuves=Epreuve.objects.filter(number__in=(1, 2)),
    )  # fmt: skip
    services.session_candidate_add(actor=formateur, session=session, candidate=candidate)
    services.session_juror_add(actor=formateur, session=session, user=first)
    services.session_juror_add(actor=formateur, session=session, user=second)
    return session, candidate


def _mark_all(page, disputed_index=None):
    criteria = page.locator(".cert-criterion")
    for i in range(criteria.count()):
        choice = "Non acquis" if i == disputed_index else "Acquis"
        criteria.nth(i).locator("label", has_text=choice).first.click()


def test_a_jury_draws_and_marks_epreuve_1_on_a_tablet(live_server, page):
    session, candidate = _session()
    page.set_viewport_size({"width": 1024, "height": 768})
    base = live_server.url
    login(page, base, "jure1")
    page.click("text=Certification")
    page.click("text=Session de juin")
    page.select_option("#id_draw_epreuve", label="Épreuve n°1 – Mise en situation professionnelle")
    page.select_option("#id_draw_candidate", label="Léa Martin")
    page.click("#draw-new label:has-text('Léa Martin')")
    page.click("button:has-text('Tirer au sort')")
    expect(page.locator("#draws-1")).to_contain_text("rejoué : identique")
    expect(page.locator("#draws-1")).to_contain_text(Draw.objects.get().seed)

    page.click('a:has-text("Grilles d\'évaluation")')
    page.click("#grids a:has-text('0/2 grilles') >> nth=0")
    expect(page.locator(".cert-criterion")).to_have_count(42)
    page.locator(".cert-criterion").nth(0).locator("label", has_text="Acquis").first.click()
    page.locator(".cert-criterion").nth(0).locator("input[type=text]").fill("Missions classées par urgence")
    page.click("button:has-text('Remettre ma grille')")
    expect(page.locator(".errors")).to_contain_text("Grille incomplète : 41 critère(s) sans note")
    expect(page.locator(".cert-criterion").nth(0).locator("input[type=text]")).to_have_value(
        "Missions classées par urgence"
    )
    _mark_all(page)
    page.click("button:has-text('Remettre ma grille')")
    expect(page.locator(".messages")).to_contain_text("Grille remise.")
    logout(page)

    login(page, base, "jure2")
    page.goto(f"{base}/certification/sessions/{session.pk}/grilles/?epreuve=1&candidat={candidate.pk}")
    _mark_all(page, disputed_index=3)
    page.click("button:has-text('Remettre ma grille')")
    expect(page.locator(".messages")).to_contain_text("Grille remise.")
    disputed = page.locator("#grid-compare tr", has=page.locator("form.cert-decide"))
    expect(disputed).to_have_count(1)
    disputed.locator("label", has_text="Acquis").first.click()
    disputed.locator("input[name=reason]").fill("Démontré aux questions/réponses")
    disputed.locator("button", has_text="Décider").click()
    expect(page.locator(".messages")).to_contain_text("Décision du jury enregistrée.")
    assert JuryDecision.objects.get().acquired is True
    assert Mark.objects.count() == 84  # both grids kept whole
