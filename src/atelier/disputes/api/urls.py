"""API routes of disputes; config/api_urls.py includes `router.registry`."""

from rest_framework.routers import DefaultRouter

from atelier.disputes.api.views import DisputeViewSet

router = DefaultRouter()
router.register("disputes", DisputeViewSet, basename="dispute")
