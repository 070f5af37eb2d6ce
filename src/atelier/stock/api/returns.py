"""Supplier returns API: list (`?state=`), read, record (POST) and move (`transition`: send, credit, refuse).
Scoped to the user's sites; refusals in French."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from atelier.core.access import require_step
from atelier.core.models import Site
from atelier.core.scoping import visible_or_404
from atelier.repairs.models import RepairCase
from atelier.stock.choices import SupplierReturnState
from atelier.stock.models import Part, Supplier, SupplierReturn
from atelier.stock.services.returns import TRANSITIONS, supplier_return_open, supplier_return_transition


class SupplierReturnSerializer(serializers.ModelSerializer):
    supplier_name = serializers.CharField(source="supplier.name", read_only=True)
    part_reference = serializers.CharField(source="part.reference", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = SupplierReturn
        fields = [
            "id",
            "site",
            "supplier",
            "supplier_name",
            "part",
            "part_reference",
            "quantity",
            "serials",
            "fault",
            "case",
            "expected_credit",
            "state",
            "state_display",
            "supplier_reference",
            "credit_received",
            "credit_reference",
            "refusal_reason",
            "created_at",
            "sent_at",
            "closed_at",
        ]
        read_only_fields = fields


class SupplierReturnOpenSerializer(serializers.Serializer):
    site = serializers.IntegerField()
    supplier = serializers.IntegerField()
    part = serializers.IntegerField()
    quantity = serializers.CharField(max_length=12, required=False, default="1")
    serials = serializers.CharField(max_length=255)
    fault = serializers.CharField(max_length=2000)
    expected_credit = serializers.CharField(max_length=20)
    case = serializers.IntegerField(required=False, allow_null=True, default=None)


class SupplierReturnStepSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=sorted(TRANSITIONS))
    reference = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")
    amount = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class SupplierReturnViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Supplier returns of your sites (defective new parts under the supplier's warranty)."""

    serializer_class = SupplierReturnSerializer
    queryset = SupplierReturn.objects.none()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        require_step(request.user, "stock.manage" if request.method == "POST" else "stock.view")

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return SupplierReturn.objects.none()
        qs = SupplierReturn.objects.visible_to(self.request.user).select_related("supplier", "part")
        state = self.request.query_params.get("state", "")
        if state:
            qs = qs.filter(state=state) if state in SupplierReturnState.values else qs.none()
        return qs

    def get_object(self):
        return visible_or_404(
            SupplierReturn.objects.select_related("supplier", "part", "site"),
            self.request.user,
            pk=self.kwargs["pk"],
        )

    @extend_schema(parameters=[OpenApiParameter("state", str)])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=SupplierReturnOpenSerializer, responses=SupplierReturnSerializer)
    def create(self, request):
        data = SupplierReturnOpenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        site = visible_or_404(Site, request.user, pk=fields.pop("site"))
        case_pk = fields.pop("case")
        returned = supplier_return_open(
            actor=request.user,
            site=site,
            supplier=get_object_or_404(Supplier, pk=fields.pop("supplier")),
            part=get_object_or_404(Part, pk=fields.pop("part")),
            case=visible_or_404(RepairCase, request.user, pk=case_pk) if case_pk else None,
            **fields,
        )
        return Response(SupplierReturnSerializer(returned).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=SupplierReturnStepSerializer, responses=SupplierReturnSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        returned = self.get_object()  # another site's return: 404 before the body is read
        data = SupplierReturnStepSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        returned = supplier_return_transition(returned=returned, actor=request.user, **data.validated_data)
        return Response(SupplierReturnSerializer(returned).data)
