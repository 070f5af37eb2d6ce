"""Dossier API: list and read the dossiers of one's sites, open one, take a workflow step."""

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from atelier.core.access import require_step
from atelier.core.scoping import visible_or_404
from atelier.customers.models import Appliance
from atelier.repairs import selectors, services, workflow
from atelier.repairs.api.serializers import (
    CaseEventSerializer,
    CaseOpenSerializer,
    RepairCaseSerializer,
    StepSerializer,
)


class RepairCaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = RepairCaseSerializer

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        require_step(
            request.user, "repairs.open" if request.method == "POST" and not kwargs else "repairs.view"
        )

    def get_queryset(self):
        params = self.request.query_params
        return selectors.case_list(
            user=self.request.user,
            status=params.get("status", ""),
            family=params.get("family", ""),
            query=params.get("q", ""),
        )

    @extend_schema(request=CaseOpenSerializer, responses=RepairCaseSerializer)
    def create(self, request):
        data = CaseOpenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        appliance = visible_or_404(
            Appliance.objects.select_related("customer"), request.user, pk=fields.pop("appliance")
        )
        try:
            case = services.case_open(
                actor=request.user, customer=appliance.customer, appliance=appliance, **fields
            )
        except ValidationError as exc:
            raise ApiValidationError(exc.message_dict) from None
        return Response(self.get_serializer(case).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=CaseEventSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)  # the whole timeline, as a plain list
    def timeline(self, request, pk=None):
        case = self.get_object()
        return Response(CaseEventSerializer(selectors.case_timeline(case), many=True).data)

    @extend_schema(request=StepSerializer, responses=RepairCaseSerializer)
    @action(detail=True, methods=["post"], url_path=r"steps/(?P<name>[a-z_]+)")
    def step(self, request, pk=None, name=None):
        if name not in workflow.BY_NAME:
            raise NotFound("Étape inconnue.")
        case = self.get_object()
        workflow.check_not_driven(workflow.BY_NAME[name])
        data = StepSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        kwargs = dict(data.validated_data)
        if not workflow.BY_NAME[name].needs_schedule:
            kwargs.pop("technician", None)
            kwargs.pop("planned_for", None)
        else:
            kwargs.setdefault("technician", None)
            kwargs.setdefault("planned_for", None)
        case = services.SERVICES[name](case=case, actor=request.user, **kwargs)
        return Response(self.get_serializer(case).data)
