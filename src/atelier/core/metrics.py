"""Optional Prometheus metrics (`ATELIER_METRICS=1`): request latency by route, and gauges any app registers.

    from atelier.core import metrics
    metrics.register_gauge("atelier_outbox_pending", "Messages en file", lambda: Message.objects.pending().count())
    metrics.register_gauge("atelier_outbox_by_state", "Messages par état", by_state, labels=("state",))

A gauge's function runs when /metrics is scraped (in the process that answers), so it reads the database's
truth rather than a counter one process kept: queue lengths and failed messages are the same whichever server
is asked. With labels, the function returns {label value or tuple of values: number}. A function that fails is
logged and left out of that scrape, never a 500.

Under gunicorn every worker is a process: the latency histogram is then kept in files of
PROMETHEUS_MULTIPROC_DIR (prometheus-client's multiprocess mode, set up by `atelier.config.serve` and the
gunicorn config, which clears the directory at start and marks dead workers), and any worker's scrape sums them.

/metrics answers only to the bearer of ATELIER_METRICS_TOKEN (`Authorization: Bearer …`) or to an address of
ATELIER_METRICS_ALLOWED_IPS reached directly (not through the proxy); otherwise 403, and 404 when metrics are off.
"""

import hmac
import logging
import os
from collections.abc import Callable, Iterable

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CollectorRegistry, Histogram, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST

logger = logging.getLogger(__name__)

REGISTRY = CollectorRegistry(auto_describe=True)
REQUEST_SECONDS = Histogram(
    "atelier_request_duration_seconds",
    "Durée des requêtes HTTP, par route, méthode et statut",
    ["route", "method", "status"],
    registry=REGISTRY,
)
_gauges: dict[str, tuple[str, Callable, tuple[str, ...]]] = {}


def register_gauge(name: str, help: str, fn: Callable, *, labels: Iterable[str] = ()) -> None:
    """Declare a gauge evaluated at scrape time (registering a name again replaces it: safe on reload)."""
    _gauges[name] = (help, fn, tuple(labels))


def enabled() -> bool:
    return bool(getattr(settings, "ATELIER_METRICS", False))


def observe_request(*, route: str, method: str, status: int, seconds: float) -> None:
    if enabled():
        REQUEST_SECONDS.labels(route=route, method=method, status=str(status)).observe(seconds)


class _GaugeCollector:
    """The registered gauges, computed now."""

    def collect(self):
        for name, (help_text, fn, labels) in sorted(_gauges.items()):
            try:
                value = fn()
            except Exception:  # one broken gauge must not take the others (nor the scrape) down
                logger.exception("Jauge %s en échec : laissée de côté", name)
                continue
            family = GaugeMetricFamily(name, help_text, labels=list(labels) if labels else None)
            if labels:
                for key, number in value.items():
                    family.add_metric([key] if isinstance(key, str) else list(key), float(number))
            else:
                family.add_metric([], float(value))
            yield family


def exposition() -> bytes:
    """The text Prometheus reads: latency (every worker's, in multiprocess mode) then the gauges."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = CollectorRegistry()
        registry.register(_Forward(REGISTRY))
    registry.register(_GaugeCollector())
    return generate_latest(registry)


class _Forward:
    def __init__(self, registry):
        self.registry = registry

    def collect(self):
        yield from self.registry.collect()


def allowed(request) -> bool:
    token = settings.ATELIER_METRICS_TOKEN
    header = request.headers.get("Authorization", "")
    if token and header.startswith("Bearer ") and hmac.compare_digest(header[7:].encode(), token.encode()):
        return True
    # an allowed address only counts when it is the caller itself, not a proxy relaying someone else
    direct = "HTTP_X_FORWARDED_FOR" not in request.META
    return direct and request.META.get("REMOTE_ADDR") in settings.ATELIER_METRICS_ALLOWED_IPS


@never_cache
@require_GET
def metrics_view(request):
    if not enabled():
        return HttpResponse(status=404)
    if not allowed(request):
        return HttpResponse(
            _("Accès aux métriques refusé : jeton ATELIER_METRICS_TOKEN ou adresse autorisée requis."),
            status=403,
            content_type="text/plain; charset=utf-8",
        )
    return HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
