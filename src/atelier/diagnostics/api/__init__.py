"""Diagnostics API: the sources consulted for unsolved faults (read, record one)."""

from rest_framework.routers import DefaultRouter

from atelier.diagnostics.api.views import SourceViewSet

router = DefaultRouter()
router.register("diagnostics/sources", SourceViewSet, basename="diagnostics-source")
