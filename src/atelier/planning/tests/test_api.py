"""Planning API: the validated routes of a day, read-only; a technician reads his own, the counter and the
manager those of their sites, nobody another site's; bad input is a 400 in French."""

import datetime

import pytest

from atelier.core.tests.factories import UserFactory
from atelier.planning import services
from atelier.planning.models import PlanRoute, VisitWindow

T = datetime.time


@pytest.fixture
def two_routes(make_profile, make_visit, responsable, technicien, day):
    """Each technician pinned to one visit of the day, the plan validated."""
    mine = make_profile(user=technicien)
    other = make_profile()
    visits = [make_visit(postcode="75011"), make_visit(postcode="75012")]
    VisitWindow.objects.create(visit=visits[0], day=day, start=T(8), end=T(10))
    plan = services.plan_optimise(actor=responsable, site=mine.site, day=day)
    for visit, profile in zip(visits, (mine, other), strict=True):
        plan = services.plan_pin(actor=responsable, plan=plan, visit=visit, technician=profile.user)
    plan = services.plan_optimise(actor=responsable, site=mine.site, day=day)
    services.plan_validate(actor=responsable, plan=plan, revision=plan.revision)
    return visits, mine.user, other.user


def _get(client, user, **params):
    client.force_login(user)
    return client.get("/api/routes/", params)


def _routes(client, user, **params) -> list:
    return _get(client, user, **params).json()["results"]


def test_the_technician_reads_his_own_route_only(client, two_routes, technicien, day):
    visits, me, _other = two_routes
    body = _routes(client, technicien, jour=day.isoformat())
    assert [(r["technician"], r["day"], r["site"]) for r in body] == [(me.username, day.isoformat(), "PAR1")]
    (stop,) = body[0]["stops"]
    case = visits[0].order.case
    assert (stop["position"], stop["case"], stop["case_id"], stop["postcode"], stop["priority"]) == (
        1,
        case.number,
        case.pk,
        "75011",
        "normal",
    )
    assert stop["customer"] == case.customer.display_name and stop["phone"] == case.customer.phone


def test_the_manager_reads_every_route_of_the_day_and_nothing_on_another_day(
    client, two_routes, responsable, day
):
    _visits, me, other = two_routes
    body = _routes(client, responsable, jour=day.isoformat(), site="PAR1")
    assert sorted(r["technician"] for r in body) == sorted([me.username, other.username])
    assert _routes(client, responsable, jour=(day + datetime.timedelta(days=1)).isoformat()) == []
    route = PlanRoute.objects.filter(validated=True).first()
    assert client.get(f"/api/routes/{route.pk}/").json()["id"] == route.pk


def test_other_sites_roles_and_writes_are_refused(
    client, two_routes, other_site, comptable, responsable, day
):
    lyon = UserFactory(username="resp-lyon", roles=["responsable_sav"], sites=[other_site])
    assert _routes(client, lyon, jour=day.isoformat()) == []
    route = PlanRoute.objects.filter(validated=True).first()
    assert client.get(f"/api/routes/{route.pk}/").status_code == 404
    response = _get(client, comptable, jour=day.isoformat())
    assert response.status_code == 403
    assert response.json()["detail"] == "Votre rôle ne permet pas de consulter les tournées."
    client.force_login(responsable)
    assert client.post("/api/routes/", {}).status_code == 405
    assert client.delete(f"/api/routes/{route.pk}/").status_code == 405
    bad = client.get("/api/routes/", {"jour": "27/11/2026"})
    assert bad.status_code == 400 and bad.json() == {"jour": "Date illisible : attendu AAAA-MM-JJ."}
