"""API routes of every app, under /api/ (schema at /api/schema/, for logged-in users)."""

from rest_framework.routers import DefaultRouter

from atelier.aftersales.api.urls import router as aftersales_router
from atelier.billing.api import router as billing_router
from atelier.certification.api.urls import router as certification_router
from atelier.core.api_permissions import SitePermissionsViewSet
from atelier.customers.api.urls import router as customers_router
from atelier.diagnostics.api import router as diagnostics_router
from atelier.disputes.api.urls import router as disputes_router
from atelier.fieldwork.api import router as fieldwork_router
from atelier.improvement.api.urls import router as improvement_router
from atelier.indicators.api import router as indicators_router
from atelier.messaging.api import router as messaging_router
from atelier.operations.api import router as operations_router
from atelier.photos.api.urls import router as photos_router
from atelier.planning.api import router as planning_router
from atelier.procedures.api import router as procedures_router
from atelier.refurbishment.api.urls import router as refurbishment_router
from atelier.repairs.api.urls import router as repairs_router
from atelier.stock.api.urls import router as stock_router


class IntegerIdRouter(DefaultRouter):
    """Every API object is looked up by its integer primary key: a non-numeric id answers 404 from the URL
    resolver (the viewsets' querysets depend on the user, so drf-spectacular cannot read the type from them).
    No `.json` suffix routes: the API speaks JSON only, and the viewsets' actions take no `format` argument
    (`/api/cases.json` was a TypeError, a 500)."""

    include_format_suffixes = False

    def get_lookup_regex(self, viewset, lookup_prefix=""):
        kwarg = getattr(viewset, "lookup_url_kwarg", None) or getattr(viewset, "lookup_field", "pk")
        return rf"(?P<{lookup_prefix}{kwarg}>[0-9]+)"


router = IntegerIdRouter()
router.registry.extend(customers_router.registry)
router.registry.extend(repairs_router.registry)
router.registry.extend(billing_router.registry)
router.registry.extend(stock_router.registry)
router.registry.extend(planning_router.registry)
router.registry.extend(fieldwork_router.registry)
router.registry.extend(diagnostics_router.registry)
router.registry.extend(procedures_router.registry)
router.registry.extend(operations_router.registry)
router.registry.extend(messaging_router.registry)
router.registry.extend(aftersales_router.registry)
router.registry.extend(disputes_router.registry)
router.registry.extend(photos_router.registry)
router.registry.extend(refurbishment_router.registry)
router.registry.extend(certification_router.registry)
router.registry.extend(improvement_router.registry)
router.registry.extend(indicators_router.registry)
router.register("sites", SitePermissionsViewSet, basename="site")

urlpatterns = router.urls
