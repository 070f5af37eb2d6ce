"""API routes of photos; config/api_urls.py includes `router.registry`."""

from rest_framework.routers import DefaultRouter

from atelier.photos.api.views import PhotoViewSet

router = DefaultRouter()
router.register("photos", PhotoViewSet, basename="photo")
