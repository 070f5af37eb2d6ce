"""API routes of the planning app; config/api_urls.py includes `router` (the routes, under /api/routes/)."""

from rest_framework.routers import DefaultRouter

from atelier.planning.api.views import DropOffViewSet, RouteViewSet, WorkshopViewSet

router = DefaultRouter()
router.register("routes", RouteViewSet, basename="route")
router.register("planning/workshop", WorkshopViewSet, basename="workshop")
router.register("planning/dropoffs", DropOffViewSet, basename="dropoff")

urlpatterns = router.urls
