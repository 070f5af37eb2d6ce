"""API routes of every app, under /api/ (schema at /api/schema/)."""

from rest_framework.routers import DefaultRouter

from atelier.repairs.api.urls import router as repairs_router

router = DefaultRouter()
router.registry.extend(repairs_router.registry)

urlpatterns = router.urls
