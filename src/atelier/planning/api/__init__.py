"""API routes of the planning app; config/api_urls.py includes `router` (the routes, under /api/routes/)."""

from rest_framework.routers import DefaultRouter

from atelier.planning.api.views import RouteViewSet

router = DefaultRouter()
router.register("routes", RouteViewSet, basename="route")

urlpatterns = router.urls
