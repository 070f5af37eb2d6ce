"""Fieldwork API: the tool register of one's sites with its maintenance log (read, log an entry), the checks
before each intervention (read, record one)."""

from rest_framework.routers import DefaultRouter

from atelier.fieldwork.api.views import PpeCheckViewSet, ToolViewSet

router = DefaultRouter()
router.register("fieldwork/tools", ToolViewSet, basename="fieldwork-tool")
router.register("fieldwork/ppe-checks", PpeCheckViewSet, basename="fieldwork-ppe-check")
