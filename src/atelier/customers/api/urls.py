"""API routes of the customers app; config/api_urls.py includes `router.urls`."""

from rest_framework.routers import DefaultRouter

from atelier.customers.api.views import ApplianceViewSet, CustomerViewSet, RetentionViewSet

router = DefaultRouter()
router.register("customers", CustomerViewSet, basename="customer")
router.register("appliances", ApplianceViewSet, basename="appliance")
router.register("retention", RetentionViewSet, basename="retention")

urlpatterns = router.urls
