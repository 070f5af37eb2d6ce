"""Deployment checks of Atelier (`atelier check --deploy`)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.caches, deploy=True)
def shared_cache(app_configs, **kwargs):
    """API throttles count in the cache: each process's own memory lets a client get N times the rate."""
    backend = settings.CACHES.get("throttle", settings.CACHES["default"])["BACKEND"]
    if backend.endswith(("LocMemCache", "DummyCache")):
        return [
            Warning(
                "Les compteurs de limitation de l'API sont dans la mémoire de chaque processus.",
                hint="Définissez ATELIER_REDIS_URL (ex. redis://127.0.0.1:6379/0) : voir docs/security.md.",
                id="atelier.W001",
            )
        ]
    return []
