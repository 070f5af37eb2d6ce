"""Procedure API: read the procedures (filter by family, brand, model, type), start one on a dossier, record
its steps. Same roles and site rules as the screens: another site's dossier or run answers 404."""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from atelier.core.access import may, require_step
from atelier.core.errors import PermissionRefused
from atelier.procedures import selectors, services
from atelier.procedures.api.serializers import (
    ProcedureRunSerializer,
    ProcedureSerializer,
    RunStartSerializer,
    StepRecordSerializer,
)
from atelier.procedures.models import Procedure, ProcedureRun, ProcedureStep
from atelier.repairs.selectors import case_get

CASE_PK = OpenApiParameter(
    "pk", OpenApiTypes.INT, OpenApiParameter.PATH, description="Identifiant du dossier"
)


def _require_reader(user) -> None:
    if not (may(user, "procedures.follow") or may(user, "procedures.manage")):
        raise PermissionRefused()


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("family", OpenApiTypes.STR, description="Famille (ex. lave_linge)"),
            OpenApiParameter("brand", OpenApiTypes.STR, description="Marque"),
            OpenApiParameter("model", OpenApiTypes.STR, description="Modèle"),
            OpenApiParameter("kind", OpenApiTypes.STR, description="Type (demontage, reparation…)"),
        ]
    )
)
class ProcedureViewSet(viewsets.ReadOnlyModelViewSet):
    """The procedures in force (`list`, exact filters) and any version by id (`retrieve`)."""

    serializer_class = ProcedureSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Procedure.objects.none()
        _require_reader(self.request.user)
        if self.action != "list":
            return Procedure.objects.prefetch_related("steps__document").order_by("pk")
        params = self.request.query_params
        return (
            selectors.current_procedures(
                family=params.get("family", ""),
                brand=params.get("brand", ""),
                model_ref=params.get("model", ""),
                kind=params.get("kind", ""),
            )
            .prefetch_related("steps__document")
            .order_by("family", "kind", "topic", "pk")
        )


class CaseProcedureRunViewSet(viewsets.GenericViewSet):
    """The procedures followed on a dossier (`GET`) and a new one started (`POST {"procedure": id}`)."""

    serializer_class = ProcedureRunSerializer
    pagination_class = None

    def get_queryset(self):
        return ProcedureRun.objects.none()

    @extend_schema(parameters=[CASE_PK], responses=ProcedureRunSerializer(many=True))
    def list(self, request, pk=None):
        case = case_get(user=request.user, pk=pk)
        require_step(request.user, "procedures.follow", site=case.site)
        return Response(ProcedureRunSerializer(selectors.case_runs(case), many=True).data)

    @extend_schema(parameters=[CASE_PK], request=RunStartSerializer, responses=ProcedureRunSerializer)
    def create(self, request, pk=None):
        case = case_get(user=request.user, pk=pk)
        data = RunStartSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        procedure = get_object_or_404(Procedure, pk=data.validated_data["procedure"])
        run = services.run_start(actor=request.user, case=case, procedure=procedure)
        run = selectors.run_get(user=request.user, pk=run.pk)
        return Response(ProcedureRunSerializer(run).data, status=status.HTTP_201_CREATED)


class ProcedureRunViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """One run with its results; `POST …/results/` records (or corrects) one step."""

    serializer_class = ProcedureRunSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ProcedureRun.objects.none()
        return selectors.runs_visible(self.request.user)

    def get_object(self):
        run = super().get_object()
        require_step(self.request.user, "procedures.follow", site=run.case.site)
        return run

    @extend_schema(request=StepRecordSerializer, responses=ProcedureRunSerializer)
    @action(detail=True, methods=["post"])
    def results(self, request, pk=None):
        run = self.get_object()
        data = StepRecordSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        step = get_object_or_404(ProcedureStep, pk=fields.pop("step"), procedure_id=run.procedure_id)
        services.step_record(actor=request.user, run=run, step=step, **fields)
        return Response(ProcedureRunSerializer(selectors.run_get(user=request.user, pk=run.pk)).data)
