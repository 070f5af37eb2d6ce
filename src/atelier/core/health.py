"""What /healthz reports: the database, and the checks other apps register.

    from atelier.core import health
    health.register_check("worker", worker_heartbeat)     # returns a JSON-able detail, or raises CheckFailed

A check returns its detail (shown under its name) or raises `CheckFailed(detail)`. A failed critical check
(the database) makes /healthz answer 503 with status "error": the load balancer takes this server out. A
failed ordinary check (the worker's heartbeat, the outbox backlog) answers 200 with status "degraded": the app
server itself still serves, and taking it out would not bring the worker back; monitoring alerts on "degraded".
"""

from collections.abc import Callable

from django.db import DatabaseError, connection


class CheckFailed(Exception):
    def __init__(self, detail):
        super().__init__(detail)
        self.detail = detail


_checks: dict[str, tuple[Callable, bool]] = {}


def register_check(name: str, fn: Callable, *, critical: bool = False) -> None:
    """Add (or replace) a named check of /healthz."""
    _checks[name] = (fn, critical)


def database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        raise CheckFailed(connection.vendor) from None
    return connection.vendor


def report() -> tuple[dict, int]:
    """(body, HTTP status) of /healthz."""
    body: dict = {"status": "ok"}
    status = 200
    for name, (fn, critical) in _checks.items():
        try:
            body[name] = fn()
        except Exception as exc:  # a check that breaks is a failed check, not a 500 of the probe
            body[name] = exc.detail if isinstance(exc, CheckFailed) else {"erreur": type(exc).__name__}
            if critical:
                body["status"], status = "error", 503
            elif status == 200:
                body["status"] = "degraded"
    return body, status


register_check("database", database, critical=True)
