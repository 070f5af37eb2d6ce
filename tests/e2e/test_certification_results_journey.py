"""A jury deliberates and signs the procès-verbal on a tablet (issue 19, points 5 and 8): a bloc with an
incomplete grid is refused on the page; once the grids are in, the jury validates bloc 2 of one candidate and
lists what the other misses; both jurors sign the PV on screen, after which it is locked and the certificate is
issued."""

import datetime

import pytest
from playwright.sync_api import expect

from atelier.certification import services
from atelier.certification.models import Certificate, Epreuve
from atelier.certification.services_grids import GivenMark, evaluation_submit, grid_criteria
from atelier.core.choices import Role
from atelier.core.tests.factories import SiteFactory, UserFactory
from tests.e2e.steps import login, logout, sign

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
    session = services.session_create(
        actor=formateur, site=site, title="Session de juin", place="Campus", starts_on=datetime.date(2027, 6, 14),
        ends_on=datetime.date(2027, 6, 14), epreuves=Epreuve.objects.filter(number__in=(4, 5)),
    )  # fmt: skip
    candidates = []
    for first_name, last_name in (("Léa", "Martin"), ("Hugo", "Lambert")):
        candidate = services.candidate_register(
            actor=formateur, organisation=of, status="apprenti", first_name=first_name, last_name=last_name,
            course_start=datetime.date(2026, 9, 7),
        )  # fmt: skip
        services.session_candidate_add(actor=formateur, session=session, candidate=candidate)
        candidates.append(candidate)
    services.session_juror_add(actor=formateur, session=session, user=first)
    services.session_juror_add(actor=formateur, session=session, user=second)
    return session, candidates, (first, second)


def _mark(session, candidate, jurors, numbers, failing=()):
    for epreuve in Epreuve.objects.filter(number__in=numbers).order_by("number"):
        marks = [GivenMark(c.pk, c.competence.code not in failing) for c in grid_criteria(epreuve)]
        for juror in jurors:
            evaluation_submit(actor=juror, session=session, epreuve=epreuve, candidate=candidate, marks=marks)


def test_a_jury_deliberates_and_signs_the_pv_on_a_tablet(live_server, page):
    session, (lea, hugo), jurors = _session()
    _mark(session, lea, jurors, (4,))  # n°5 not marked yet
    _mark(session, hugo, jurors, (4, 5), failing={"C2.3", "C2.17"})
    page.set_viewport_size({"width": 1024, "height": 768})
    base = live_server.url
    login(page, base, "jure1")
    page.goto(f"{base}/certification/sessions/{session.pk}/")
    page.click("text=Délibération et résultats")
    lea_card = page.locator(f"#candidate-{lea.pk}")
    expect(lea_card).to_contain_text("n°5 : 0 grille(s) remise(s) sur 2")
    expect(lea_card.locator("form.cert-deliberate")).to_have_count(0)  # nothing to deliberate yet
    hugo_card = page.locator(f"#candidate-{hugo.pk}")
    hugo_card.locator("textarea[name=comment]").fill("Litige mal orienté ; mécontentement non désamorcé.")
    hugo_card.get_by_role("button", name="Délibérer").click()
    expect(page.locator(".messages, [role=status]").first).to_contain_text(
        "Bloc 2 non validé pour Hugo Lambert : manque C2.3, C2.17."
    )
    expect(page.locator(f"#candidate-{hugo.pk}")).to_contain_text("Échec")
    _mark(session, lea, jurors, (5,))
    page.reload()
    page.locator(f"#candidate-{lea.pk}").get_by_role("button", name="Délibérer").click()
    expect(page.locator(f"#candidate-{lea.pk}")).to_contain_text("Validation partielle")
    sign(page)
    page.get_by_role("button", name="Signer le procès-verbal").click()
    expect(page.locator("#pv")).to_contain_text("signatures en cours")
    expect(page.locator(f"#candidate-{hugo.pk} form.cert-deliberate")).to_have_count(0)  # frozen
    logout(page)
    login(page, base, "jure2")
    page.goto(f"{base}/certification/sessions/{session.pk}/resultats/")
    sign(page)
    page.get_by_role("button", name="Signer le procès-verbal").click()
    expect(page.locator("#pv")).to_contain_text("signé par tout le jury")
    [certificate] = Certificate.objects.all()
    expect(page.locator("#session-certificates")).to_contain_text(certificate.number)
    assert (certificate.holder, certificate.bloc.code) == ("Léa Martin", "2")
