"""Core views: health check and account pages."""

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@never_cache
@require_GET
def healthz(request):
    """Liveness and database check for load balancers: 200 when the database answers, 503 when not.

    Also reports the background processes (operations.selectors): the worker's and the scheduler's last heartbeat
    and each job's last run. A worker that is down is reported (`worker.status` « degrade » or « absent »), not
    enforced: the web answers 200, since restarting app servers would not bring the worker back."""
    vendor = connection.vendor
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": vendor}, status=503)
    from atelier.operations.selectors import scheduler_health, worker_health

    return JsonResponse(
        {"status": "ok", "database": vendor, "worker": worker_health(), "scheduler": scheduler_health()}
    )
