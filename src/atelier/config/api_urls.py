"""API routes of every app, under /api/ (schema at /api/schema/)."""

from rest_framework.routers import DefaultRouter

from atelier.billing.api import router as billing_router
from atelier.customers.api.urls import router as customers_router
from atelier.planning.api import router as planning_router
from atelier.repairs.api.urls import router as repairs_router
from atelier.stock.api.urls import router as stock_router

router = DefaultRouter()
router.registry.extend(customers_router.registry)
router.registry.extend(repairs_router.registry)
router.registry.extend(billing_router.registry)
router.registry.extend(stock_router.registry)
router.registry.extend(planning_router.registry)

urlpatterns = router.urls
