"""Core views: health check and account pages."""

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@never_cache
@require_GET
def healthz(request):
    """Liveness and checks for load balancers (core.health): 200 when the database answers, 503 when not."""
    from atelier.core import health

    body, status = health.report()
    return JsonResponse(body, status=status)
