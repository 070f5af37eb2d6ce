from rest_framework.routers import DefaultRouter

from atelier.stock.api.returns import SupplierReturnViewSet
from atelier.stock.api.views import BalanceViewSet, MoveViewSet, PartViewSet, ReservationViewSet

router = DefaultRouter()
router.register("stock/parts", PartViewSet, basename="stock-part")
router.register("stock/balances", BalanceViewSet, basename="stock-balance")
router.register("stock/moves", MoveViewSet, basename="stock-move")
router.register("stock/reservations", ReservationViewSet, basename="stock-reservation")
router.register("stock/supplier-returns", SupplierReturnViewSet, basename="stock-supplier-return")
