"""Fieldwork API views: the same services, roles, steps and site rules as the screens."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from atelier.core.access import require_step
from atelier.core.params import as_id
from atelier.fieldwork import selectors, services
from atelier.fieldwork.api.serializers import (
    MaintenanceSerializer,
    MaintenanceWriteSerializer,
    PpeCheckSerializer,
    PpeCheckWriteSerializer,
    ToolSerializer,
)
from atelier.fieldwork.models import PpeCheck
from atelier.repairs.selectors import case_get


class ToolViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The tools of one's sites (?kind=multimetre, ?instruments=1 for the measuring instruments)."""

    serializer_class = ToolSerializer
    lookup_value_regex = r"\d+"

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        require_step(request.user, "fieldwork.tools")

    def get_queryset(self):
        tools = selectors.tools_for(self.request.user)
        params = self.request.query_params
        if kind := params.get("kind", "")[:40]:
            tools = tools.filter(kind__code=kind)
        if params.get("instruments") == "1":
            tools = tools.filter(kind__is_instrument=True)
        return tools

    @extend_schema(
        methods=["get"], responses=MaintenanceSerializer(many=True), description="The tool's maintenance log."
    )
    @extend_schema(methods=["post"], request=MaintenanceWriteSerializer, responses=MaintenanceSerializer)
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def maintenances(self, request, pk=None):
        tool = self.get_object()
        if request.method == "GET":
            entries = tool.maintenances.select_related("done_by")
            return Response(MaintenanceSerializer(entries, many=True).data)
        data = MaintenanceWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = services.tool_maintenance_record(actor=request.user, tool=tool, **data.validated_data)
        return Response(MaintenanceSerializer(entry).data, status=status.HTTP_201_CREATED)


class PpeCheckViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Checks of the PPE and of the family's safety sheet before each intervention (?case=<id>)."""

    serializer_class = PpeCheckSerializer

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        require_step(request.user, "fieldwork.tools")

    def get_queryset(self):
        checks = PpeCheck.objects.visible_to(self.request.user).select_related("technician")
        if (case := as_id(self.request.query_params.get("case"))) is not None:
            checks = checks.filter(case_id=case)
        return checks

    @extend_schema(request=PpeCheckWriteSerializer, responses=PpeCheckSerializer)
    def create(self, request):
        data = PpeCheckWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        case = case_get(user=request.user, pk=fields.pop("case"))
        check = services.ppe_check_record(actor=request.user, case=case, **fields)
        return Response(PpeCheckSerializer(check).data, status=status.HTTP_201_CREATED)
