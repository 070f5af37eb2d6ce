"""API of the refurbishment procedures and the resale (issue 20, points 3 and 5), under /api/refurbishment/:
the same services, steps and site scope as the screens; refusals in French with the service's status."""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from atelier.core.access import require_step
from atelier.core.params import ID_BOUNDS, as_id
from atelier.core.scoping import visible_or_404
from atelier.fieldwork.models import Tool
from atelier.refurbishment import services
from atelier.refurbishment.choices_procedures import ErasureMethod, FunctionalVerdict, SaleWording
from atelier.refurbishment.models_procedures import (
    CosmeticGrade,
    DataErasure,
    ProcedureStep,
    Refurbishment,
    RefurbishmentPart,
    StepResult,
)
from atelier.refurbishment.models_resale import ApplianceSale
from atelier.stock.models import Part, StockLocation

ID = ID_BOUNDS

# ---------------------------------------------------------------- serializers


class RefurbProcedureStepSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProcedureStep
        fields = ["id", "family", "code", "kind", "label", "programme", "expected", "order"]
        read_only_fields = fields


class CosmeticGradeSerializer(serializers.ModelSerializer):
    class Meta:
        model = CosmeticGrade
        fields = ["code", "label", "description", "order"]
        read_only_fields = fields


class RefurbStepResultSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="step.code", read_only=True)

    class Meta:
        model = StepResult
        fields = [
            "code",
            "kind",
            "label",
            "expected",
            "passed",
            "measured",
            "repair",
            "attempts",
            "country",
            "appliance_class",
            "instrument",
            "safety_results",
            "done_by",
            "done_at",
        ]
        read_only_fields = fields


class RefurbishmentPartSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(source="part.reference", read_only=True)

    class Meta:
        model = RefurbishmentPart
        fields = ["id", "part", "reference", "quantity", "move", "added_by", "added_at"]
        read_only_fields = fields


class DataErasureSerializer(serializers.ModelSerializer):
    class Meta:
        model = DataErasure
        fields = [
            "id",
            "medium",
            "method",
            "tool",
            "passes_requested",
            "passes_done",
            "verified",
            "verification",
            "errors",
            "warnings",
            "succeeded",
            "country",
            "started_at",
            "finished_at",
            "done_by",
        ]
        read_only_fields = fields


class RefurbishmentSerializer(serializers.ModelSerializer):
    appliance_number = serializers.CharField(source="appliance.number", read_only=True)
    grade = serializers.CharField(source="grade.code", read_only=True, allow_null=True, default=None)
    results = RefurbStepResultSerializer(many=True, read_only=True)
    parts = RefurbishmentPartSerializer(many=True, read_only=True)
    erasures = DataErasureSerializer(many=True, read_only=True)

    class Meta:
        model = Refurbishment
        fields = [
            "id",
            "appliance",
            "appliance_number",
            "status",
            "holds_data",
            "started_by",
            "started_at",
            "verdict",
            "grade",
            "price",
            "wording",
            "conditions",
            "notes",
            "finished_by",
            "finished_at",
            "results",
            "parts",
            "erasures",
        ]
        read_only_fields = fields


class ApplianceSaleSerializer(serializers.ModelSerializer):
    appliance_number = serializers.CharField(source="appliance.number", read_only=True)
    invoice_number = serializers.CharField(
        source="invoice.number", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = ApplianceSale
        fields = [
            "id",
            "appliance",
            "appliance_number",
            "refurbishment",
            "customer",
            "price",
            "wording",
            "grade",
            "legal_guarantee",
            "commercial_guarantee",
            "history",
            "invoice",
            "invoice_number",
            "sold_by",
            "sold_at",
        ]
        read_only_fields = fields


class StartInputSerializer(serializers.Serializer):
    appliance = serializers.IntegerField(**ID)
    holds_data = serializers.BooleanField(required=False, allow_null=True, default=None)


class StepInputSerializer(serializers.Serializer):
    step = serializers.CharField(max_length=40)
    passed = serializers.BooleanField(required=False, allow_null=True, default=None)
    measured = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    repair = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    country = serializers.CharField(max_length=2, required=False, default="FR")
    appliance_class = serializers.CharField(max_length=2, required=False, allow_blank=True, default="")
    measurements = serializers.DictField(
        child=serializers.CharField(max_length=40), required=False, default=dict
    )
    instrument = serializers.IntegerField(required=False, allow_null=True, default=None, **ID)


class PartInputSerializer(serializers.Serializer):
    part = serializers.IntegerField(**ID)
    location = serializers.IntegerField(**ID)
    quantity = serializers.DecimalField(max_digits=9, decimal_places=2, min_value=0)


class ErasureInputSerializer(serializers.Serializer):
    medium = serializers.CharField(max_length=200)
    method = serializers.ChoiceField(choices=ErasureMethod.choices)
    tool = serializers.CharField(max_length=200)
    passes_requested = serializers.IntegerField(min_value=1, max_value=35)
    passes_done = serializers.IntegerField(min_value=0, max_value=35)
    verified = serializers.BooleanField()
    verification = serializers.CharField(max_length=255)
    errors = serializers.CharField(required=False, allow_blank=True, default="")  # type: ignore[assignment]  # a declared field, popped from the class by DRF
    warnings = serializers.CharField(required=False, allow_blank=True, default="")
    country = serializers.CharField(max_length=2, required=False, default="FR")
    started_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    finished_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class FinishInputSerializer(serializers.Serializer):
    verdict = serializers.ChoiceField(choices=FunctionalVerdict.choices)
    grade = serializers.CharField(
        max_length=4, required=False, allow_blank=True, allow_null=True, default=None
    )
    price = serializers.DecimalField(
        max_digits=10, decimal_places=2, required=False, allow_null=True, default=None
    )
    wording = serializers.ChoiceField(
        choices=SaleWording.choices, required=False, allow_blank=True, default=""
    )
    notes = serializers.CharField(required=False, allow_blank=True, default="")


def _valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


# ---------------------------------------------------------------- views


class _ViewStep:
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        require_step(request.user, "refurbishment.view")


class RefurbishmentViewSet(
    _ViewStep, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Refurbishments of your sites' appliances (`?appliance=` for one appliance's); start one, record a step,
    a part from stock, an erasure, and finish it."""

    serializer_class = RefurbishmentSerializer
    queryset = Refurbishment.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Refurbishment.objects.none()
        qs = (
            Refurbishment.objects.visible_to(self.request.user)
            .select_related("appliance", "grade")
            .prefetch_related("results__step", "parts__part", "erasures")
        )
        appliance = as_id(self.request.query_params.get("appliance", ""))
        return qs.filter(appliance_id=appliance) if appliance is not None else qs

    def _answer(self, refurbishment, code=status.HTTP_200_OK):
        return Response(self.get_serializer(self.get_queryset().get(pk=refurbishment.pk)).data, status=code)

    @extend_schema(parameters=[OpenApiParameter("appliance", OpenApiTypes.INT)])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=StartInputSerializer, responses=RefurbishmentSerializer)
    def create(self, request):
        from atelier.refurbishment.models import StockAppliance

        data = _valid(StartInputSerializer, request.data)
        appliance = visible_or_404(StockAppliance, request.user, pk=data["appliance"])
        done = services.refurbishment_start(
            actor=request.user, appliance=appliance, holds_data=data["holds_data"]
        )
        return self._answer(done, status.HTTP_201_CREATED)

    @extend_schema(request=StepInputSerializer, responses=RefurbishmentSerializer)
    @action(detail=True, methods=["post"])
    def step(self, request, pk=None):
        refurbishment = self.get_object()
        data = _valid(StepInputSerializer, request.data)
        instrument = None
        if data["instrument"] is not None:
            instrument = visible_or_404(Tool, request.user, pk=data["instrument"])
        services.refurbishment_step_record(
            actor=request.user,
            refurbishment=refurbishment,
            step_code=data["step"],
            passed=data["passed"],
            measured=data["measured"],
            repair=data["repair"],
            country=data["country"],
            appliance_class=data["appliance_class"],
            measurements=data["measurements"],
            instrument=instrument,
        )
        return self._answer(refurbishment)

    @extend_schema(request=PartInputSerializer, responses=RefurbishmentSerializer)
    @action(detail=True, methods=["post"])
    def parts(self, request, pk=None):
        refurbishment = self.get_object()
        data = _valid(PartInputSerializer, request.data)
        location = visible_or_404(StockLocation, request.user, pk=data["location"])
        part = get_object_or_404(Part, pk=data["part"])  # the catalogue is shared by every site
        services.refurbishment_part_use(
            actor=request.user,
            refurbishment=refurbishment,
            part=part,
            location=location,
            quantity=data["quantity"],
        )
        return self._answer(refurbishment)

    @extend_schema(request=ErasureInputSerializer, responses=RefurbishmentSerializer)
    @action(detail=True, methods=["post"])
    def erasure(self, request, pk=None):
        refurbishment = self.get_object()
        data = _valid(ErasureInputSerializer, request.data)
        services.data_erasure_record(actor=request.user, refurbishment=refurbishment, **data)
        return self._answer(refurbishment)

    @extend_schema(request=FinishInputSerializer, responses=RefurbishmentSerializer)
    @action(detail=True, methods=["post"])
    def finish(self, request, pk=None):
        refurbishment = self.get_object()
        data = _valid(FinishInputSerializer, request.data)
        services.refurbishment_finish(actor=request.user, refurbishment=refurbishment, **data)
        return self._answer(refurbishment)


class ProcedureViewSet(_ViewStep, mixins.ListModelMixin, viewsets.GenericViewSet):
    """The refurbishment steps of every family (`?family=` for one)."""

    serializer_class = RefurbProcedureStepSerializer
    queryset = ProcedureStep.objects.none()

    def get_queryset(self):
        qs = ProcedureStep.objects.filter(is_active=True)
        family = self.request.query_params.get("family", "") if getattr(self, "request", None) else ""
        return qs.filter(family=family) if family else qs

    @extend_schema(parameters=[OpenApiParameter("family", OpenApiTypes.STR)])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


class GradeViewSet(_ViewStep, mixins.ListModelMixin, viewsets.GenericViewSet):
    """The scale of cosmetic grades."""

    serializer_class = CosmeticGradeSerializer
    queryset = CosmeticGrade.objects.filter(is_active=True)


class SaleViewSet(_ViewStep, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Sales of appliances of your sites, with their invoice, wording, grade, guarantees and history."""

    serializer_class = ApplianceSaleSerializer
    queryset = ApplianceSale.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ApplianceSale.objects.none()
        return ApplianceSale.objects.visible_to(self.request.user).select_related("appliance", "invoice")
