from rest_framework.routers import DefaultRouter

from atelier.repairs.api.views import RepairCaseViewSet

router = DefaultRouter()
router.register("cases", RepairCaseViewSet, basename="case")
