"""API routes of after-sales; config/api_urls.py includes `router.registry`."""

from rest_framework.routers import DefaultRouter

from atelier.aftersales.api.views import ApplianceCoverageViewSet, ClaimViewSet

router = DefaultRouter()
router.register(
    r"appliances/(?P<pk>[0-9]+)/coverage", ApplianceCoverageViewSet, basename="appliance-coverage"
)
router.register("claims", ClaimViewSet, basename="claim")
