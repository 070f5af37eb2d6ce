"""After-sales API: the covers of an appliance on a day, and the claims (list, read, open, answer). Scoped to the
user's sites (another site's object answers 404), refusals in French."""

import datetime

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from atelier.aftersales import maintenance, selectors, services
from atelier.aftersales.api.serializers import (
    ClaimAnswerSerializer,
    ClaimOpenSerializer,
    ClaimSerializer,
    CoverageSerializer,
    MaintenanceDueSerializer,
    MaintenanceOpenedSerializer,
    MaintenanceOpenSerializer,
)
from atelier.aftersales.coverage import coverage_for
from atelier.aftersales.models import Claim, ClaimType, MaintenanceContract, RefusalReason
from atelier.core.access import require_step
from atelier.core.scoping import visible_or_404
from atelier.customers.models import Appliance
from atelier.repairs.models import RepairCase


def parse_day(value: str | None) -> datetime.date:
    """?on=YYYY-MM-DD, today when absent; a bad date is a 400 in French."""
    if not value:
        return timezone.localdate()
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ValidationError(
            {"on": [_("« %(v)s » n'est pas une date valide : attendu AAAA-MM-JJ.") % {"v": value}]}
        ) from None


class ApplianceCoverageViewSet(viewsets.ViewSet):
    """Every cover of an appliance on a day: who pays and why (docs/aftersales.md)."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        require_step(request.user, "aftersales.view")

    @extend_schema(
        parameters=[
            OpenApiParameter("pk", OpenApiTypes.INT, OpenApiParameter.PATH),
            OpenApiParameter(
                "on", OpenApiTypes.DATE, description="Jour (AAAA-MM-JJ), aujourd'hui par défaut."
            ),
        ],
        responses=CoverageSerializer,
    )
    def list(self, request, pk=None):
        on = parse_day(request.query_params.get("on"))
        appliance = visible_or_404(Appliance.objects.select_related("customer__site"), request.user, pk=pk)
        return Response(coverage_for(appliance, on).as_api())


class ClaimViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Claims of your sites; `?state=` and `?site=` filter the list."""

    serializer_class = ClaimSerializer
    queryset = Claim.objects.none()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # opening needs the claim step; answering is checked by the service (answer or decide, per outcome)
        opening = request.method == "POST" and "pk" not in kwargs
        require_step(request.user, "aftersales.claim" if opening else "aftersales.view")

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Claim.objects.none()
        params = self.request.query_params
        return selectors.claim_list(
            user=self.request.user, state=params.get("state", ""), site=params.get("site", "")
        )

    def get_object(self):
        return selectors.claim_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(
        parameters=[
            OpenApiParameter("state", OpenApiTypes.STR),
            OpenApiParameter("site", OpenApiTypes.INT),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=ClaimOpenSerializer, responses=ClaimSerializer)
    def create(self, request):
        data = ClaimOpenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        appliance = visible_or_404(
            Appliance.objects.select_related("customer__site"), request.user, pk=fields["appliance"]
        )
        claim_type = get_object_or_404(ClaimType, code=fields["claim_type"], is_active=True)
        earlier_case = None
        if fields.get("earlier_case"):
            earlier_case = visible_or_404(RepairCase, request.user, pk=fields["earlier_case"])
        claim = services.claim_open(
            actor=request.user,
            appliance=appliance,
            claim_type=claim_type,
            channel=fields["channel"],
            description=fields["description"],
            answers=fields.get("answers") or {},
            earlier_case=earlier_case,
        )
        return Response(
            ClaimSerializer(selectors.claim_get(user=request.user, pk=claim.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=ClaimAnswerSerializer, responses=ClaimSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        claim = self.get_object()
        data = ClaimAnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        reason = None
        if fields.get("refusal_reason"):
            reason = RefusalReason.objects.filter(code=fields["refusal_reason"], is_active=True).first()
            if reason is None:
                raise ValidationError({"refusal_reason": [_("Motif de refus inconnu.")]})
        claim = services.claim_answer(
            claim=claim,
            actor=request.user,
            outcome=fields["outcome"],
            answer_text=fields["answer_text"],
            refusal_reason=reason,
            amount=fields.get("amount"),
        )
        return Response(ClaimSerializer(selectors.claim_get(user=request.user, pk=claim.pk)).data)


class MaintenanceVisitViewSet(viewsets.ViewSet):
    """The visits of maintenance contracts coming due (GET), and the dossier opened for one of them (POST)."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        require_step(request.user, "aftersales.view")

    @extend_schema(responses=MaintenanceDueSerializer(many=True))
    def list(self, request):
        return Response(MaintenanceDueSerializer(maintenance.visits_due(request.user), many=True).data)

    @extend_schema(request=MaintenanceOpenSerializer, responses={201: MaintenanceOpenedSerializer})
    def create(self, request):
        data = MaintenanceOpenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        contract = visible_or_404(MaintenanceContract, request.user, pk=data.validated_data["contract"])
        case = maintenance.maintenance_visit_open(
            actor=request.user, contract=contract, due_on=data.validated_data["due_on"]
        )
        return Response(MaintenanceOpenedSerializer(case).data, status=status.HTTP_201_CREATED)
