"""« Tâches planifiées » (/exploitation/) and its API: who sees it, what it shows, « Lancer maintenant »."""

import datetime

import pytest
from django.utils import timezone

from atelier.core.choices import Role
from atelier.core.tests.factories import UserFactory
from atelier.fieldwork.tests.conftest import make_tool
from atelier.operations.models import JobRun
from atelier.operations.services import heartbeat_beat

DAY = datetime.timedelta(days=1)


@pytest.fixture
def overdue_tool(site, kind_insulation):
    return make_tool(site, kind_insulation, "CI-7", next_check_on=timezone.localdate() - DAY)


@pytest.fixture
def kind_insulation(db):
    from atelier.fieldwork.models import ToolKind

    return ToolKind.objects.get(code="controleur-isolement")


def test_the_page_shows_jobs_heartbeats_and_runs_to_the_manager(client, responsable):
    heartbeat_beat("worker")
    client.force_login(responsable)
    page = client.get("/exploitation/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Tâches planifiées" in html
    assert 'id="job-tool_sweep"' in html and "chaque jour à 06:00" in html
    assert "Lancer maintenant" in html
    assert html.count("actif") == 1  # the worker beats, the scheduler was never seen
    assert "jamais vu" in html


def test_the_counter_may_not_open_it(client, accueil):
    client.force_login(accueil)
    assert client.get("/exploitation/").status_code == 403


def test_launch_now_runs_a_sites_job_for_that_site(client, responsable, site, overdue_tool):
    client.force_login(responsable)
    response = client.post("/exploitation/lancer/tool_sweep/", {"site": site.pk}, follow=True)
    assert response.status_code == 200
    run = JobRun.objects.get()
    assert (run.job, run.site, run.trigger, run.triggered_by, run.outcome) == (
        "tool_sweep",
        site,
        "manuel",
        responsable,
        "ok",
    )
    assert "« Contrôles d&#x27;outillage échus » : 1 outil(s) mis en quarantaine pour contrôle échu." in (
        response.content.decode()
    )


def test_launch_now_for_another_site_is_404(client, responsable, other_site):
    client.force_login(responsable)
    assert client.post("/exploitation/lancer/tool_sweep/", {"site": other_site.pk}).status_code == 404
    assert client.post("/exploitation/lancer/nope/", {}).status_code == 404
    assert JobRun.objects.count() == 0


def test_the_api_lists_runs_of_ones_sites_and_for_all(client, responsable, site, other_site, overdue_tool):
    from atelier.operations.registry import all_jobs
    from atelier.operations.services import job_run

    mine = job_run(all_jobs()["tool_sweep"], site=site, trigger="manuel")
    job_run(all_jobs()["tool_sweep"], site=other_site, trigger="manuel")
    everyone = job_run(all_jobs()["journal_check"], trigger="manuel")
    client.force_login(responsable)
    body = client.get("/api/operations/runs/").json()
    rows = body["results"] if isinstance(body, dict) else body
    assert [(r["id"], r["job"], r["site"]) for r in rows] == [
        (everyone.pk, "journal_check", None),
        (mine.pk, "tool_sweep", "PAR1"),
    ]
    one_job = client.get("/api/operations/runs/?job=tool_sweep").json()
    assert [r["id"] for r in (one_job["results"] if isinstance(one_job, dict) else one_job)] == [mine.pk]
    unknown = client.get("/api/operations/runs/?job=%00tool_sweep")  # a 500 on PostgreSQL before
    said = "Adresse refusée : elle contient un caractère nul."  # before any view (NulInQueryMiddleware)
    assert (unknown.status_code, unknown.json()) == (400, {"detail": said})
    jobs = client.get("/api/operations/runs/jobs/").json()
    assert {j["name"]: j["per_site"] for j in jobs}["tool_sweep"] is True


def test_the_api_launches_a_job(client, responsable, site, overdue_tool):
    client.force_login(responsable)
    response = client.post(
        "/api/operations/runs/launch/",
        {"job": "tool_sweep", "site": site.pk},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert [(r["job"], r["site"], r["outcome"], r["text"]) for r in response.json()] == [
        ("tool_sweep", "PAR1", "ok", "1 outil(s) mis en quarantaine pour contrôle échu.")
    ]
    response = client.post(
        "/api/operations/runs/launch/", {"job": "tool_sweep"}, content_type="application/json"
    )
    assert (response.status_code, response.json()) == (400, {"detail": "Choisissez le site."})


def test_the_menu_shows_the_page_to_the_manager_only(client, responsable, accueil):
    client.force_login(responsable)
    assert 'href="/exploitation/"' in client.get("/").content.decode()
    client.force_login(accueil)
    assert 'href="/exploitation/"' not in client.get("/").content.decode()


def test_a_technician_of_a_one_person_shop_sees_it_too(client, site):
    site.permission_preset = "une_personne"
    site.save()
    alone = UserFactory(username="seul", roles=[Role.TECHNICIEN], sites=[site])
    client.force_login(alone)
    assert client.get("/exploitation/").status_code == 200


def test_the_managers_home_shows_a_failed_job_and_a_silent_worker(client, responsable, monkeypatch):
    from atelier.billing import verify
    from atelier.operations.registry import all_jobs
    from atelier.operations.services import job_run

    broken = verify.Verdict(
        False, 3, "site PAR1 : écriture n° 2 modifiée", ["site PAR1 : écriture n° 2 modifiée"]
    )
    monkeypatch.setattr(verify, "journal_verify", lambda **kw: broken)
    job_run(all_jobs()["journal_check"], trigger="manuel")
    client.force_login(responsable)
    html = client.get("/accueil/volets/").content.decode()
    assert "Tâches planifiées : à voir" in html
    assert (
        "Vérification complète du journal · Journal rompu : site PAR1 : écriture n° 2 modifiée (1 problème(s) ;"
        in html
    )
    assert "Service d&#x27;envoi et tâches de fond (atelier worker)" in html
