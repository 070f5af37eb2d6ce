"""Operations API: the periodic jobs' runs (read) and « Lancer maintenant »."""

from rest_framework.routers import DefaultRouter

from atelier.operations.api.views import JobRunViewSet

router = DefaultRouter()
router.register("operations/runs", JobRunViewSet, basename="operations-run")
