"""The nightly sweep and a technician's passing check hit the same overdue tool at once: the tool's row lock
makes the sweep wait and then see the new due date, so a tool just checked is never isolated."""

import datetime
import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from atelier.fieldwork import services
from atelier.fieldwork.choices import ToolStatus
from atelier.fieldwork.models import Tool, ToolIncident
from atelier.fieldwork.tests.conftest import make_tool

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks (SELECT … FOR UPDATE) are a PostgreSQL matter; SQLite serialises writers",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_the_sweep_waits_for_a_check_in_progress_and_leaves_the_tool_in_service(
    site, technicien, kind_insulation
):
    today = timezone.localdate()
    tool = make_tool(
        site, kind_insulation, "CI-9", holder=technicien, next_check_on=today - datetime.timedelta(days=2)
    )
    swept: list = []

    def sweep():
        try:
            swept.append(services.quarantine_overdue(on=today))
        except BaseException as exc:  # reported by the test, a thread must not die silently
            swept.append(exc)
        finally:
            connections.close_all()

    with transaction.atomic():
        services.tool_check_record(actor=technicien, tool=tool, checked_on=today, result="conforme")
        thread = threading.Thread(target=sweep)
        thread.start()
        time.sleep(0.5)
        assert swept == []  # the sweep is waiting on the tool's row
    thread.join(timeout=10)
    assert swept == [0]
    tool.refresh_from_db()
    assert (tool.status, tool.next_check_on) == (ToolStatus.EN_SERVICE, today + datetime.timedelta(days=365))
    assert not ToolIncident.objects.exists()
    assert Tool.objects.filter(status=ToolStatus.QUARANTAINE).count() == 0
