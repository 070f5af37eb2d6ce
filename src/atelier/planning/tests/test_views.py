import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from atelier.core.choices import Role
from atelier.core.tests.factories import UserFactory
from atelier.planning import services
from atelier.planning.models import DayPlan, PlanRoute, TechnicianProfile, VisitWindow
from atelier.repairs.choices import CaseStatus
from atelier.repairs.tests.pages import dossier_page

T = datetime.time


@pytest.fixture
def validated(make_profile, make_visit, responsable, technicien, day):
    profile = make_profile(user=technicien)
    visits = [make_visit(postcode="75011"), make_visit(postcode="75012")]
    VisitWindow.objects.create(visit=visits[0], day=day, start=T(8), end=T(10))
    plan = services.plan_optimise(actor=responsable, site=profile.site, day=day)
    services.plan_validate(actor=responsable, plan=plan, revision=plan.revision)
    return profile, visits, plan


def test_day_view_shows_timeline_and_zones(client, responsable, validated, day):
    client.force_login(responsable)
    response = client.get(reverse("planning:day"), {"site": "PAR1", "jour": day.isoformat()})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="plan-timeline"' in html and 'id="plan-zones"' in html
    assert "Validé" in html and validated[1][0].order.case.number in html


def test_day_view_of_another_site_is_404(client, responsable, other_site, day):
    client.force_login(responsable)
    assert client.get(reverse("planning:day"), {"site": "LYO1"}).status_code == 404


def test_technician_cannot_plan(client, technicien, site, day):
    client.force_login(technicien)
    response = client.post(reverse("planning:optimise"), {"site": "PAR1", "jour": day.isoformat()})
    assert response.status_code == 403
    assert not DayPlan.objects.exists()


def test_optimise_and_validate_through_the_screen(client, responsable, make_profile, make_visit, day):
    make_profile()
    visit = make_visit()
    client.force_login(responsable)
    data = {"site": "PAR1", "jour": day.isoformat()}
    response = client.post(reverse("planning:optimise"), data, follow=True)
    html = response.content.decode()
    # issue 15: « 1 visites », « 0 laissées », « 63.9 km » were French slips
    assert "Proposition prête : 1 visite planifiée, aucune laissée de côté, 0 km." in html
    plan = DayPlan.objects.get()
    DayPlan.objects.filter(pk=plan.pk).update(figures={**plan.figures, "km": 63.9, "dropped": 2})
    html = client.get(response.redirect_chain[-1][0]).content.decode()
    assert "1 visite planifiée · 2 laissées de côté · 63,9 km · 1 technicien" in html
    response = client.post(reverse("planning:validate"), {**data, "revision": "1"}, follow=True)
    assert "validé : les dossiers sont planifiés" in response.content.decode()
    visit.order.case.refresh_from_db()
    assert visit.order.case.status == CaseStatus.PLANIFIE


def test_my_day_lists_own_visits_with_needs(client, technicien, validated, day):
    client.force_login(technicien)
    response = client.get(reverse("planning:my_day"), {"jour": day.isoformat()})
    html = response.content.decode()
    assert response.status_code == 200
    for visit in validated[1]:
        assert f'id="visite-{visit.pk}"' in html
    assert "Surdité / malentendant" in html  # the even-numbered test customer's accessibility need
    assert reverse("repairs:detail", args=[validated[1][0].order.case.pk]) in html


def test_an_empty_day_points_to_the_next_planned_one(client, technicien, validated, day):
    client.force_login(technicien)
    eve = day - datetime.timedelta(days=1)
    html = client.get(reverse("planning:my_day"), {"jour": eve.isoformat()}).content.decode()
    assert 'id="my-empty"' in html
    assert f'<a href="?jour={day.isoformat()}" id="my-next">' in html
    assert f'href="?jour={(eve - datetime.timedelta(days=1)).isoformat()}" id="my-previous"' in html
    html = client.get(reverse("planning:my_day"), {"jour": day.isoformat()}).content.decode()
    assert 'id="my-next"' not in html


def test_my_day_is_for_technicians_only(client, responsable):
    client.force_login(responsable)
    assert client.get(reverse("planning:my_day")).status_code == 403


def test_ical_feed_holds_the_validated_visits(client, validated):
    profile, visits, _plan = validated
    response = client.get(reverse("planning:ical", args=[profile.ical_token]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert len(events) == 2
    stops = {s.visit_id: s for s in PlanRoute.objects.get(validated=True).stops.all()}
    first = next(e for e in events if visits[0].order.case.number in str(e["SUMMARY"]))
    assert first.decoded("DTSTART") == stops[visits[0].pk].start
    assert "75011 Paris" in str(first["LOCATION"])
    assert "Arrivée annoncée" in str(first["DESCRIPTION"])


def test_ical_feed_with_a_wrong_token_is_404(client, validated):
    assert client.get(reverse("planning:ical", args=["pas-le-bon-jeton"])).status_code == 404


def test_day_sheet_prints(client, technicien, validated, day):
    client.force_login(technicien)
    response = client.get(reverse("planning:sheet", args=[technicien.pk, day.isoformat()]))
    assert response.status_code == 200
    assert "@media print" in response.content.decode()


def test_profile_form_refuses_unknown_postcode_and_saves_nothing(client, responsable, technicien):
    client.force_login(responsable)
    url = reverse("planning:technician", args=[technicien.pk]) + "?site=PAR1"
    data = {
        "families": ["froid"],
        "repair_level": "1",
        "start_from": "domicile",
        "home_postcode": "99999",
        "day_start": "08:00",
        "day_end": "17:00",
        "break_earliest": "12:00",
        "break_latest": "13:00",
        "break_minutes": "45",
        "working_days": ["0", "1"],
        "is_active": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Code postal inconnu : 99999." in response.content.decode()
    assert not TechnicianProfile.objects.exists()
    data["home_postcode"] = "93100"
    assert client.post(url, data).status_code == 302
    assert TechnicianProfile.objects.get().families == ["froid"]


def test_visit_form_bad_window_line(client, responsable, make_visit):
    visit = make_visit()
    client.force_login(responsable)
    data = {"duration_minutes": "60", "priority": "urgent", "windows": "demain matin"}
    response = client.post(reverse("planning:visit", args=[visit.pk]), data)
    assert response.status_code == 400
    assert "Ligne 1 illisible" in response.content.decode()


def test_home_panel_for_the_technician(client, technicien, site):
    other = UserFactory(username="tech-autre", roles=[Role.TECHNICIEN], sites=[site])
    client.force_login(other)
    html = client.get(reverse("home_panels")).content.decode()
    assert "Mes visites du jour" in html and "Aucune visite planifiée aujourd&#x27;hui." in html


def test_accueil_reads_the_plan_but_cannot_optimise(client, accueil, day):
    client.force_login(accueil)
    assert client.get(reverse("planning:day"), {"jour": day.isoformat()}).status_code == 200
    data = {"site": "PAR1", "jour": day.isoformat()}
    assert client.post(reverse("planning:optimise_week"), data).status_code == 403
    assert not DayPlan.objects.exists()


def test_week_button(client, responsable, make_profile, make_visit, day):
    make_profile()
    make_visit()
    client.force_login(responsable)
    data = {"site": "PAR1", "jour": day.isoformat()}
    html = client.post(reverse("planning:optimise_week"), data, follow=True).content.decode()
    assert "Semaine proposée (visites par jour) :" in html
    assert DayPlan.objects.count() == 5


def test_dossier_page_shows_the_arrival_window(client, accueil, validated):
    _profile, visits, _plan = validated
    stop = PlanRoute.objects.get(validated=True).stops.get(visit=visits[0])
    client.force_login(accueil)
    html = dossier_page(client, visits[0].order.case.pk)
    assert 'id="planning-visit"' in html
    begin, end = (timezone.localtime(t).strftime("%H:%M") for t in (stop.arrival_from, stop.arrival_to))
    assert f"arrivée annoncée au client entre <strong>{begin}</strong> et <strong>{end}</strong>" in html


def test_the_customers_tracking_page_shows_the_arrival_window(client, validated):
    from django.utils import formats

    from atelier.billing.handover import tracking_link_create

    _profile, visits, _plan = validated
    case = visits[0].order.case
    stop = PlanRoute.objects.get(validated=True).stops.get(visit=visits[0])
    link = tracking_link_create(case=case)
    html = client.get(reverse("billing_public:tracking", args=[link.token])).content.decode()
    begin, end = (timezone.localtime(t) for t in (stop.arrival_from, stop.arrival_to))
    assert (
        f'<p id="tracking-visit"><strong>Visite du technicien :</strong> {formats.date_format(begin, "l j F")}, '
        f"arrivée entre {begin:%H:%M} et {end:%H:%M}.</p>"
    ) in html


def test_week_strip_and_validation_in_one_click(
    client, responsable, technicien, make_profile, make_visit, day
):
    make_profile()
    make_visit()
    make_visit(postcode="75012")
    client.force_login(responsable)
    data = {"site": "PAR1", "jour": day.isoformat()}
    client.post(reverse("planning:optimise_week"), data)
    page = client.get(reverse("planning:day"), data).content.decode()
    assert 'id="plan-week"' in page and "Valider les 5 propositions" in page
    revisions = {f"revision_{p.day.isoformat()}": p.revision for p in DayPlan.objects.all()}
    client.force_login(technicien)
    assert client.post(reverse("planning:validate_week"), {**data, **revisions}).status_code == 403
    client.force_login(responsable)
    html = client.post(reverse("planning:validate_week"), {**data, **revisions}, follow=True).content.decode()
    assert (
        "Semaine validée : " in html
        and "Les dossiers sont planifiés ; créneaux des clients mis en file." in html
    )
    assert set(DayPlan.objects.values_list("state", flat=True)) == {"valide"}
    assert "Valider les" not in html
    bad = client.post(
        reverse("planning:validate_week"), {**data, f"revision_{day.isoformat()}": "x"}, follow=True
    )
    assert "Révision du plan illisible : rechargez la page." in bad.content.decode()


def test_a_refused_button_shows_the_day_again_with_the_reason(client, responsable, validated, day):
    """Validating a plan re-optimised since it was looked at: the day page again, the French reason on top."""
    _profile, _visits, plan = validated
    client.force_login(responsable)
    data = {"site": "PAR1", "jour": day.isoformat()}
    client.post(reverse("planning:optimise"), data)
    response = client.post(reverse("planning:validate"), {**data, "revision": "1"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="plan-refused"' in html and "a été ré-optimisé par" in html
    plan.refresh_from_db()
    assert plan.state == "brouillon"
    unreadable = client.post(reverse("planning:validate"), {**data, "revision": "x"})
    assert unreadable.status_code == 400
    assert "Révision du plan illisible : rechargez la page." in unreadable.content.decode()


def test_other_sites_visits_technicians_and_profiles_are_404(
    client, responsable, other_site, make_visit, validated, day
):
    from atelier.planning.models import DayOff, PlanPin, Visit

    _profile, visits, _plan = validated
    lyon_tech = UserFactory(username="tech-lyon", roles=[Role.TECHNICIEN], sites=[other_site])
    TechnicianProfile.objects.create(user=lyon_tech, site=other_site, working_days=[0, 1, 2, 3, 4])
    Visit.objects.filter(pk=visits[1].pk).update(site=other_site)
    client.force_login(responsable)
    assert client.get(reverse("planning:visit", args=[visits[1].pk])).status_code == 404
    assert client.get(reverse("planning:technician", args=[lyon_tech.pk])).status_code == 404
    off = client.post(reverse("planning:day_off", args=[lyon_tech.pk]), {"off-day": day.isoformat()})
    assert off.status_code == 404 and not DayOff.objects.exists()
    data = {"site": "PAR1", "jour": day.isoformat(), "visit": visits[1].pk, "technician": ""}
    assert client.post(reverse("planning:pin"), data).status_code == 404
    assert not PlanPin.objects.exists()
    assert Visit.objects.visible_to(responsable).count() == 1


def test_day_off_refused_twice_shows_the_profile_page_again(client, responsable, validated, day):
    profile, _visits, _plan = validated
    client.force_login(responsable)
    url = reverse("planning:day_off", args=[profile.user_id])
    ok = client.post(url, {"off-day": day.isoformat(), "off-reason": "Formation"})
    assert ok.url == reverse("planning:technician", args=[profile.user_id])
    again = client.post(url, {"off-day": day.isoformat()})
    assert again.status_code == 400 and "Ce jour d&#x27;absence est déjà noté." in again.content.decode()


def test_visits_list_shows_the_open_ones_a_page_at_a_time(client, responsable, make_visit, monkeypatch):
    """/planning/visites/: the visits of the open dossiers, newest first, paged (issue 16: the list read every
    visit of the site and made the missing ones on every load)."""
    from atelier.planning.models import Visit
    from atelier.planning.views import people
    from atelier.repairs.models import RepairCase

    monkeypatch.setattr(people, "VISITS_PAGE", 2)
    visits = [make_visit() for _ in range(4)]
    RepairCase.objects.filter(pk=visits[0].order.case_id).update(status=CaseStatus.CLOTURE)
    client.force_login(responsable)

    def shown(page):
        response = client.get(reverse("planning:visits"), {"site": "PAR1", "page": page})
        assert response.status_code == 200
        html = response.content.decode()
        return [v.order.case.number for v in visits if f'id="visit-{v.pk}"' in html], html

    numbers, html = shown(1)
    assert numbers == [visits[2].order.case.number, visits[3].order.case.number]
    assert html.index(f'id="visit-{visits[3].pk}"') < html.index(f'id="visit-{visits[2].pk}"')  # newest first
    assert "Page 1 sur 2 · 3 résultats" in html
    numbers, html = shown(2)
    assert numbers == [visits[1].order.case.number]  # the closed dossier's visit is not to plan
    assert "Page 2 sur 2 · 3 résultats" in html
    assert Visit.objects.count() == 4


def test_opening_the_visits_list_writes_nothing(client, responsable, make_visit):
    """The visit is made with its repair order (quotes' after_order_created hook); an order written without it
    (bulk, or before the hook) gets its visit from visits_sync, which the optimiser runs first."""
    from atelier.planning.models import Visit

    visit = make_visit()
    order = visit.order
    visit.delete()
    client.force_login(responsable)
    html = client.get(reverse("planning:visits"), {"site": "PAR1"}).content.decode()
    assert "Aucune visite à domicile en attente." in html
    assert Visit.objects.count() == 0
    assert services.visits_sync(site=order.case.site) == 1
    assert Visit.objects.get().order == order
