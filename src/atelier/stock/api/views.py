"""Stock API: the catalogue, levels and ledger of one's sites (read), reservations for repair orders."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from atelier.core.permissions import require_role
from atelier.quotes.models import RepairOrderPart
from atelier.stock import selectors, services
from atelier.stock.api.serializers import (
    BalanceSerializer,
    MoveSerializer,
    PartSerializer,
    ReservationSerializer,
    ReserveSerializer,
)
from atelier.stock.models import Reservation
from atelier.stock.views import READERS


class _Readers:
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        require_role(request.user, *READERS)


class PartViewSet(_Readers, viewsets.ReadOnlyModelViewSet):
    serializer_class = PartSerializer

    def get_queryset(self):
        return selectors.part_list(query=self.request.query_params.get("q", ""))


class BalanceViewSet(_Readers, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = BalanceSerializer

    def get_queryset(self):
        qs = selectors.balance_list(self.request.user, query=self.request.query_params.get("q", ""))
        return qs.select_related("site")


class MoveViewSet(_Readers, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = MoveSerializer

    def get_queryset(self):
        return selectors.move_list(self.request.user, kind=self.request.query_params.get("kind", ""))


class ReservationViewSet(_Readers, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = ReservationSerializer

    def get_queryset(self):
        return Reservation.objects.filter(location__site_id__in=self.request.user.visible_site_ids)

    @extend_schema(request=ReserveSerializer, responses=ReservationSerializer(many=True))
    def create(self, request):
        data = ReserveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        line = get_object_or_404(
            RepairOrderPart.objects.select_related("order__case__site", "part").filter(
                order__case__site_id__in=request.user.visible_site_ids
            ),
            pk=data.validated_data["order_part"],
        )
        made = services.reserve_for_order_part(
            order_part=line, actor=request.user, quantity=data.validated_data.get("quantity")
        )
        return Response(ReservationSerializer(made, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=ReservationSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        reservation = get_object_or_404(self.get_queryset(), pk=pk)
        return Response(
            ReservationSerializer(
                services.reservation_cancel(reservation=reservation, actor=request.user)
            ).data
        )
