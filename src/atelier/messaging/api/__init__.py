"""Messages API. `router` is mounted by config.api_urls."""

from rest_framework.routers import DefaultRouter

from atelier.messaging.api.views import MessageViewSet

router = DefaultRouter()
router.register("messages", MessageViewSet, basename="message")
