"""Core views: health check and account pages."""

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@never_cache
@require_GET
def healthz(request):
    """Liveness and database check for load balancers: 200 when the database answers, 503 when not; the
    outbox's backlog (messaging.selectors.outbox_health) for monitoring."""
    vendor = connection.vendor
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        from atelier.messaging.selectors import outbox_health

        outbox = outbox_health()  # the customers' messages waiting, the oldest one's age, the day's failures
    except DatabaseError:
        return JsonResponse({"status": "error", "database": vendor}, status=503)
    return JsonResponse({"status": "ok", "database": vendor, "outbox": outbox})
