"""API of the dismantling and of the value figures (issue 20 points 4 and 6), under /api/refurbishment/: the same
services, steps and site scope as the screens (another site's object answers 404; refusals in French)."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from atelier.core.access import require_step, sites_allowing
from atelier.core.models import Site
from atelier.core.params import ID_BOUNDS, as_id
from atelier.core.scoping import visible_or_404
from atelier.refurbishment import selectors
from atelier.refurbishment.dismantling import RecoveredPart, SubAssembly, WeeeDeparture
from atelier.refurbishment.services import dismantling, value
from atelier.stock.models import Part, StockLocation

ID = ID_BOUNDS


class SubAssemblySerializer(serializers.ModelSerializer):
    class Meta:
        model = SubAssembly
        fields = ["id", "family", "code", "label", "part_kind", "test", "order"]
        read_only_fields = fields


class RecoveredPartSerializer(serializers.ModelSerializer):
    appliance_number = serializers.CharField(source="appliance.number", read_only=True)
    sub_assembly_code = serializers.CharField(source="sub_assembly.code", read_only=True)
    internal_code = serializers.CharField(source="part.internal_code", read_only=True, default=None)
    reference = serializers.CharField(source="part.reference", read_only=True, default=None)
    part_status = serializers.CharField(source="part.status", read_only=True, default=None)
    in_stock = serializers.SerializerMethodField()

    class Meta:
        model = RecoveredPart
        fields = [
            "id",
            "appliance",
            "appliance_number",
            "sub_assembly",
            "sub_assembly_code",
            "label",
            "reusable",
            "test_record",
            "part",
            "internal_code",
            "reference",
            "part_status",
            "grade",
            "weight_kg",
            "in_stock",
            "done_by",
            "done_at",
        ]
        read_only_fields = fields

    def get_in_stock(self, obj) -> bool:
        return obj.stock_move_id is not None


class WeeeDepartureSerializer(serializers.ModelSerializer):
    appliance_number = serializers.CharField(source="appliance.number", read_only=True)

    class Meta:
        model = WeeeDeparture
        fields = [
            "id",
            "appliance",
            "appliance_number",
            "eco_organism",
            "bordereau",
            "handed_on",
            "weight_kg",
        ]
        read_only_fields = fields


class RecoverInputSerializer(serializers.Serializer):
    sub_assembly = serializers.CharField(max_length=40, help_text="Code du sous-ensemble de la famille")
    reusable = serializers.BooleanField()
    test_record = serializers.CharField(max_length=2000)
    reference = serializers.CharField(max_length=38, required=False, allow_blank=True)
    designation = serializers.CharField(max_length=200, required=False, allow_blank=True)
    equivalent_of = serializers.IntegerField(required=False, allow_null=True, **ID)
    grade = serializers.CharField(max_length=1, required=False, allow_blank=True)
    price_ht = serializers.DecimalField(max_digits=10, decimal_places=2, required=False, allow_null=True)
    weight_kg = serializers.DecimalField(max_digits=6, decimal_places=2, required=False, allow_null=True)


class StockInputSerializer(serializers.Serializer):
    location = serializers.IntegerField(**ID)


class WeeeInputSerializer(serializers.Serializer):
    eco_organism = serializers.CharField(max_length=150)
    bordereau = serializers.CharField(max_length=60)
    handed_on = serializers.DateField()
    weight_kg = serializers.DecimalField(max_digits=6, decimal_places=2)


class FigureSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field named like Field.label, on purpose
    value = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True, coerce_to_string=False)
    unit = serializers.CharField()


def _valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class SubAssemblyViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The reusable sub-assemblies of every family (`?family=` for one)."""

    serializer_class = SubAssemblySerializer
    queryset = SubAssembly.objects.none()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        require_step(request.user, "refurbishment.view")

    def get_queryset(self):
        qs = SubAssembly.objects.filter(is_active=True)
        family = self.request.query_params.get("family", "") if getattr(self, "request", None) else ""
        return qs.filter(family=family) if family else qs

    @extend_schema(parameters=[OpenApiParameter("family", OpenApiTypes.STR)])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


class DismantlingViewSet(viewsets.GenericViewSet):
    """The dismantling of one appliance of your sites (its id): recover a sub-assembly, hand the remains over."""

    serializer_class = RecoveredPartSerializer
    queryset = RecoveredPart.objects.none()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        require_step(request.user, "refurbishment.dismantle")

    def _appliance(self):
        return selectors.appliance_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(responses=RecoveredPartSerializer(many=True))
    def retrieve(self, request, pk=None):
        appliance = self._appliance()
        rows = RecoveredPart.objects.filter(appliance=appliance).select_related(
            "appliance", "sub_assembly", "part"
        )
        return Response(RecoveredPartSerializer(rows, many=True).data)

    @extend_schema(request=RecoverInputSerializer, responses=RecoveredPartSerializer)
    @action(detail=True, methods=["post"])
    def recover(self, request, pk=None):
        appliance = self._appliance()
        data = _valid(RecoverInputSerializer, request.data)
        sub = dismantling.sub_assemblies(appliance.family).filter(code=data.pop("sub_assembly")).first()
        if sub is None:
            raise ValidationError(
                {"sub_assembly": [_("Ce sous-ensemble n'est pas dans la liste de la famille.")]}
            )
        if data.get("equivalent_of") is not None:
            data["equivalent_of"] = Part.objects.filter(pk=data["equivalent_of"]).first()
            if data["equivalent_of"] is None:
                raise ValidationError({"equivalent_of": [_("Pièce inconnue.")]})
        row = dismantling.part_recover(actor=request.user, appliance=appliance, sub_assembly=sub, **data)
        return Response(RecoveredPartSerializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=WeeeInputSerializer, responses=WeeeDepartureSerializer)
    @action(detail=True, methods=["post"])
    def weee(self, request, pk=None):
        appliance = self._appliance()
        data = _valid(WeeeInputSerializer, request.data)
        departure = dismantling.weee_departure_record(actor=request.user, appliance=appliance, **data)
        return Response(WeeeDepartureSerializer(departure).data, status=status.HTTP_201_CREATED)


class RecoveredPartViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Sub-assemblies taken off the appliances of your sites (`?appliance=`); `stock/` validates and enters one."""

    serializer_class = RecoveredPartSerializer
    queryset = RecoveredPart.objects.none()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        require_step(request.user, "refurbishment.view")

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return RecoveredPart.objects.none()
        qs = RecoveredPart.objects.visible_to(self.request.user).select_related(
            "appliance", "sub_assembly", "part"
        )
        appliance = as_id(self.request.query_params.get("appliance"))
        return qs.filter(appliance_id=appliance) if appliance else qs

    @extend_schema(parameters=[OpenApiParameter("appliance", OpenApiTypes.INT)])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=StockInputSerializer, responses=RecoveredPartSerializer)
    @action(detail=True, methods=["post"])
    def stock(self, request, pk=None):
        recovered = self.get_object()
        data = _valid(StockInputSerializer, request.data)
        location = visible_or_404(
            StockLocation.objects.filter(site_id=recovered.appliance.site_id),
            request.user,
            pk=data["location"],
        )
        row = dismantling.recovered_part_stock(actor=request.user, recovered=recovered, location=location)
        return Response(RecoveredPartSerializer(row).data)


class ValueViewSet(viewsets.ViewSet):
    """What the second life brings a site over a period: `?site=` (id), `?start=`, `?end=` (YYYY-MM-DD; default
    this month); the same figures and definitions as the page."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        require_step(request.user, "refurbishment.value")

    @extend_schema(
        parameters=[
            OpenApiParameter("site", OpenApiTypes.INT),
            OpenApiParameter("start", OpenApiTypes.DATE),
            OpenApiParameter("end", OpenApiTypes.DATE),
        ],
        responses=FigureSerializer(many=True),
    )
    def list(self, request):
        p = request.query_params
        allowed = Site.objects.filter(pk__in=sites_allowing(request.user, "refurbishment.value")).order_by(
            "code"
        )
        site = visible_or_404(allowed, request.user, pk=p["site"]) if p.get("site") else allowed.first()
        today = timezone.localdate()
        try:
            start = datetime.date.fromisoformat(p.get("start") or today.replace(day=1).isoformat())
            end = datetime.date.fromisoformat(p.get("end") or today.isoformat())
        except ValueError:
            raise ValidationError({"detail": _("Dates attendues au format AAAA-MM-JJ.")}) from None
        if end < start:
            raise ValidationError({"detail": _("La fin de la période précède son début.")})
        if site is None:
            return Response([])
        figures = value.site_value(site=site, start=start, end=end)
        return Response(FigureSerializer([f.__dict__ for f in figures], many=True).data)
