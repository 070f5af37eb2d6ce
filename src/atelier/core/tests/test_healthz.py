from unittest import mock

from django.db import DatabaseError, connection


def test_healthz_answers_ok_with_the_database_vendor(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    never_seen = {"status": "absent", "last_heartbeat": None, "age_seconds": None}
    assert response.json() == {
        "status": "ok",
        "database": connection.vendor,
        "worker": never_seen,  # reported, not enforced: a worker down keeps the web's liveness (200)
        "scheduler": {**never_seen, "jobs": {}},
    }


def test_healthz_answers_503_when_the_database_does_not_answer(client, db):
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=DatabaseError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": connection.vendor}
