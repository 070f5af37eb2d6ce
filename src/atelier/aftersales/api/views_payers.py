"""Third-party payers API: the payers, a dossier's split (read, replace), the payer claims (list with the
ageing filters, read, complete the file, move through their states). Scoped to the user's sites (another site's
object answers 404), refusals in French."""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from atelier.aftersales import selectors_payers, services_payers
from atelier.aftersales.api.serializers_payers import (
    ClaimFileSerializer,
    ClaimTransitionSerializer,
    PayerClaimSerializer,
    PayerSerializer,
    SplitInSerializer,
    SplitOutSerializer,
)
from atelier.aftersales.models_payers import Payer, PayerClaim
from atelier.core.access import require_step
from atelier.core.scoping import visible_or_404
from atelier.repairs.models import RepairCase


class PayerViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Payers (shared data, edited in the administration) with their filing deadline in force today."""

    serializer_class = PayerSerializer
    queryset = Payer.objects.prefetch_related("deadlines").order_by("name")

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        require_step(request.user, "aftersales.view")


def _split_data(case) -> dict:
    from atelier.billing.selectors import invoice_draft

    view = selectors_payers.split_view(case, invoice_draft(case, check_parts=False).lines)
    return {
        "case": case.pk,
        "excess": view.split.excess if view.split else "0.00",
        "excess_payer": view.split.excess_payer_id if view.split else None,
        "lines": [
            {
                "position": line.position,
                "designation": line.designation,
                "ttc": line.ttc,
                "shares": [
                    {
                        "id": share.pk,
                        "payer": share.payer_id,
                        "payer_name": share.payer.name,
                        "mode": share.mode,
                        "value": share.value,
                        "amount_ttc": ttc,
                    }
                    for share, ttc in line.shares
                ],
                "customer_ttc": line.customer,
            }
            for line in view.lines
        ],
        "payers_ttc": view.payers_total,
        "customer_ttc": view.customer_total,
        "problem": view.problem,
    }


class CaseSplitViewSet(viewsets.ViewSet):
    """A dossier's split between payers: GET reads it line by line, POST replaces it (shares, excess)."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        require_step(request.user, "aftersales.payers" if request.method == "POST" else "aftersales.view")

    def _case(self, request, pk):
        return visible_or_404(RepairCase.objects.select_related("site", "appliance"), request.user, pk=pk)

    @extend_schema(
        parameters=[OpenApiParameter("pk", OpenApiTypes.INT, OpenApiParameter.PATH)],
        responses=SplitOutSerializer,
    )
    def list(self, request, pk=None):
        return Response(SplitOutSerializer(_split_data(self._case(request, pk))).data)

    @extend_schema(
        parameters=[OpenApiParameter("pk", OpenApiTypes.INT, OpenApiParameter.PATH)],
        request=SplitInSerializer,
        responses=SplitOutSerializer,
    )
    def create(self, request, pk=None):
        case = self._case(request, pk)
        data = SplitInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        services_payers.case_split_set(
            case=case,
            actor=request.user,
            shares=[dict(s) for s in fields["shares"]],
            excess=fields["excess"],
            excess_payer=fields["excess_payer"],
        )
        return Response(SplitOutSerializer(_split_data(case)).data)


class PayerClaimViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Payer claims of your sites: the open ones by payer (the ageing list); `?state=`, `?payer=`, `?site=`."""

    serializer_class = PayerClaimSerializer
    queryset = PayerClaim.objects.none()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        require_step(request.user, "aftersales.view")  # each write checks its own step in the service

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return PayerClaim.objects.none()
        params = self.request.query_params
        rows = selectors_payers.payer_claims_ageing(
            user=self.request.user,
            today=timezone.localdate(),
            payer=params.get("payer", ""),
            state=params.get("state", ""),
            site=params.get("site", ""),
        )
        return [row.claim for row in rows]

    def get_object(self):
        return selectors_payers.payer_claim_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(
        parameters=[
            OpenApiParameter("state", OpenApiTypes.STR),
            OpenApiParameter("payer", OpenApiTypes.INT),
            OpenApiParameter("site", OpenApiTypes.INT),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=ClaimFileSerializer, responses=PayerClaimSerializer)
    @action(detail=True, methods=["post"], url_path="file")
    def claim_file(self, request, pk=None):
        claim = self.get_object()
        data = ClaimFileSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services_payers.payer_claim_update(claim=claim, actor=request.user, **data.validated_data)
        return Response(PayerClaimSerializer(self.get_object()).data)

    @extend_schema(request=ClaimTransitionSerializer, responses=PayerClaimSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        claim = self.get_object()
        data = ClaimTransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services_payers.payer_claim_transition(claim=claim, actor=request.user, **data.validated_data)
        return Response(PayerClaimSerializer(self.get_object()).data)
