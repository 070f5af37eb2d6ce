"""Stock API: the catalogue, levels and ledger of one's sites (read), reservations for repair orders."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from atelier.core.access import require_step
from atelier.core.scoping import visible_or_404
from atelier.core.search import search_text
from atelier.stock import repair_orders, selectors, services
from atelier.stock.api.serializers import (
    BalanceSerializer,
    MoveSerializer,
    PartSerializer,
    ReservationSerializer,
    ReserveSerializer,
)


def _search(request) -> str:
    """The « q » parameter, cut to the length a search form accepts (a huge LIKE pattern fails on SQLite)."""
    return search_text(request.query_params.get("q"))


class _Readers:
    lookup_value_regex = r"\d+"  # /reservations/abc/cancel/ is no route: 404, never a 500

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        require_step(request.user, "stock.view")


class PartViewSet(_Readers, viewsets.ReadOnlyModelViewSet):
    serializer_class = PartSerializer

    def get_queryset(self):
        return selectors.part_list(query=_search(self.request))


class BalanceViewSet(_Readers, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = BalanceSerializer

    def get_queryset(self):
        qs = selectors.balance_list(self.request.user, query=_search(self.request))
        return qs.select_related("site")


class MoveViewSet(_Readers, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = MoveSerializer

    def get_queryset(self):
        return selectors.move_list(self.request.user, kind=self.request.query_params.get("kind", "")[:20])


class ReservationViewSet(_Readers, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = ReservationSerializer

    def get_queryset(self):
        return selectors.reservation_list(self.request.user)

    @extend_schema(request=ReserveSerializer, responses=ReservationSerializer(many=True))
    def create(self, request):
        data = ReserveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        line = repair_orders.visible_line_or_404(request.user, data.validated_data["order_part"])
        made = services.reserve_for_order_part(
            order_part=line, actor=request.user, quantity=data.validated_data.get("quantity")
        )
        return Response(ReservationSerializer(made, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=ReservationSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        reservation = visible_or_404(self.get_queryset(), request.user, pk=pk)
        return Response(
            ReservationSerializer(
                services.reservation_cancel(reservation=reservation, actor=request.user)
            ).data
        )
