"""API routes of every app, under /api/ (schema at /api/schema/)."""

from rest_framework.routers import DefaultRouter

from atelier.customers.api.urls import router as customers_router
from atelier.repairs.api.urls import router as repairs_router

router = DefaultRouter()
router.registry.extend(customers_router.registry)
router.registry.extend(repairs_router.registry)

urlpatterns = router.urls
