import datetime
from unittest import mock

import time_machine
from django.db import DatabaseError, connection

from atelier.customers.tests.factories import CustomerFactory
from atelier.messaging.services import message_enqueue
from atelier.operations.services import heartbeat_beat

NEVER_SEEN = {"status": "absent", "last_heartbeat": None, "age_seconds": None}
QUIET = {"queued": 0, "oldest_queued_seconds": 0, "failed_last_24h": 0, "overdue": 0}


def test_healthz_answers_ok_with_the_database_vendor(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "degraded",  # no worker nor scheduler has ever beaten here: reported, the web still answers
        "database": connection.vendor,
        "outbox": QUIET,
        "worker": NEVER_SEEN,
        "scheduler": {**NEVER_SEEN, "jobs": {}},
    }


def test_healthz_is_ok_when_the_worker_and_the_scheduler_beat(client, db):
    now = datetime.datetime(2026, 12, 6, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(now - datetime.timedelta(seconds=30), tick=False):
        heartbeat_beat("worker")
        heartbeat_beat("scheduler")
    with time_machine.travel(now, tick=False):
        body = client.get("/healthz").json()
    assert (body["status"], body["worker"]["status"], body["worker"]["age_seconds"]) == ("ok", "ok", 30)
    assert (body["scheduler"]["status"], body["scheduler"]["jobs"]) == ("ok", {})


def test_healthz_answers_503_when_the_database_does_not_answer(client, db):
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=DatabaseError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "database": connection.vendor,
        "outbox": {"erreur": "DatabaseError"},
        "worker": {"erreur": "DatabaseError"},
        "scheduler": {"erreur": "DatabaseError"},
    }


def test_healthz_is_degraded_but_200_while_a_message_waits_for_a_worker(client, site, settings):
    """No worker took a message due 20 minutes ago: monitoring must see it; the web server still serves."""
    settings.ATELIER_MESSAGE_STUCK_MINUTES = 15
    customer = CustomerFactory(site=site, email="nadia@example.fr")
    now = datetime.datetime(2026, 12, 6, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(now - datetime.timedelta(minutes=20), tick=False):
        message_enqueue(site=site, customer=customer, channel="email", body="Prêt.")
    with time_machine.travel(now, tick=False):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "degraded",
        "database": connection.vendor,
        "outbox": {"queued": 1, "oldest_queued_seconds": 1200, "failed_last_24h": 0, "overdue": 1},
        "worker": NEVER_SEEN,
        "scheduler": {**NEVER_SEEN, "jobs": {}},
    }
