"""API routes of after-sales; config/api_urls.py includes `router.registry`."""

from rest_framework.routers import DefaultRouter

from atelier.aftersales.api.views import ApplianceCoverageViewSet, ClaimViewSet, MaintenanceVisitViewSet
from atelier.aftersales.api.views_payers import CaseSplitViewSet, PayerClaimViewSet, PayerViewSet

router = DefaultRouter()
router.register(
    r"appliances/(?P<pk>[0-9]+)/coverage", ApplianceCoverageViewSet, basename="appliance-coverage"
)
router.register("claims", ClaimViewSet, basename="claim")
router.register("maintenance-visits", MaintenanceVisitViewSet, basename="maintenance-visit")
router.register("payers", PayerViewSet, basename="payer")
router.register(r"cases/(?P<pk>[0-9]+)/payer-split", CaseSplitViewSet, basename="case-payer-split")
router.register("payer-claims", PayerClaimViewSet, basename="payer-claim")
