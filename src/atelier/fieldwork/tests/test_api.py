"""Fieldwork and diagnostics API: the tool register with its maintenance log, the check before an
intervention, the sources consulted; same refusals in French, another site's objects unseen."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from atelier.fieldwork.tests.conftest import make_tool, sheet_all

pytestmark = pytest.mark.django_db


def test_tools_and_their_maintenance_log(site, other_site, technicien, accueil, kind_pat, kind_insulation):
    mine = make_tool(site, kind_pat, "PAT-A1", holder=technicien)
    make_tool(other_site, kind_pat, "PAT-LYON")
    api = APIClient()
    api.force_authenticate(accueil)
    assert api.get("/api/fieldwork/tools/").status_code == 403
    api.force_authenticate(technicien)
    rows = api.get("/api/fieldwork/tools/", {"instruments": "1"}).json()
    rows = rows.get("results", rows)
    assert [(r["serial"], r["kind"], r["is_instrument"], r["holder"]) for r in rows] == [
        ("PAT-A1", "testeur-pat", True, technicien.username)
    ]
    today = timezone.localdate()
    url = f"/api/fieldwork/tools/{mine.pk}/maintenances/"
    refused = api.post(
        url, {"kind": "nettoyage", "done_on": today.isoformat(), "work_done": " "}, format="json"
    )
    assert refused.status_code == 400
    made = api.post(
        url,
        {"kind": "nettoyage", "done_on": today.isoformat(), "work_done": "Cordons nettoyés."},
        format="json",
    )
    assert made.status_code == 201
    assert made.json()["next_due_on"] == (today + datetime.timedelta(days=90)).isoformat()
    assert [e["work_done"] for e in api.get(url).json()] == ["Cordons nettoyés."]
    assert (
        api.get(f"/api/fieldwork/tools/{mine.pk}/").json()["next_maintenance_on"]
        == made.json()["next_due_on"]
    )


def test_ppe_check_and_sources_through_the_api(
    rules, site, ordered_case, technicien, other_technicien, accueil
):
    case, _order = ordered_case()
    api = APIClient()
    api.force_authenticate(other_technicien)
    assert (
        api.post(
            "/api/fieldwork/ppe-checks/", {"case": case.pk, "items": {}, "tools_ok": True}, format="json"
        ).status_code
        == 404
    )
    api.force_authenticate(technicien)
    missing = api.post(
        "/api/fieldwork/ppe-checks/", {"case": case.pk, "items": {}, "tools_ok": True}, format="json"
    )
    assert missing.status_code == 400
    done = api.post(
        "/api/fieldwork/ppe-checks/",
        {"case": case.pk, "items": sheet_all(case), "tools_ok": True},
        format="json",
    )
    assert done.status_code == 201 and done.json()["is_complete"] is True
    assert len(done.json()["ticked"]) == 9
    listed = api.get("/api/fieldwork/ppe-checks/", {"case": case.pk}).json()
    assert [c["id"] for c in listed.get("results", listed)] == [done.json()["id"]]
    # Sources consulted
    source = {"case": case.pk, "kind": "forum", "reference": "forum-sav.fr/t/1234", "notes": "Même panne."}
    api.force_authenticate(accueil)
    assert api.post("/api/diagnostics/sources/", source, format="json").status_code == 403
    api.force_authenticate(technicien)
    made = api.post("/api/diagnostics/sources/", source, format="json")
    assert made.status_code == 201
    rows = api.get("/api/diagnostics/sources/", {"case": case.pk}).json()
    assert [(r["kind"], r["reference"], r["notes"]) for r in rows.get("results", rows)] == [
        ("forum", "forum-sav.fr/t/1234", "Même panne.")
    ]
    api.force_authenticate(other_technicien)
    rows = api.get("/api/diagnostics/sources/").json()
    assert rows.get("results", rows) == []
