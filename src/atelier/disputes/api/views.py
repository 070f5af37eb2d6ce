"""Disputes API: list (filters state, site, overdue), read, open, instruct, write (proposal, mediator referral),
decide. Scoped to the user's sites (another site's object answers 404); refusals in French, nothing written."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from atelier.core.access import require_step
from atelier.core.models import User
from atelier.disputes import selectors, services
from atelier.disputes.api.serializers import (
    DisputeDecideSerializer,
    DisputeInstructSerializer,
    DisputeLetterInputSerializer,
    DisputeLetterSerializer,
    DisputeOpenSerializer,
    DisputeSerializer,
)
from atelier.disputes.choices import LetterKind
from atelier.disputes.models import Dispute

# the objects a dispute may name, found among the user's sites only (another site's: « inconnu », 400)
_LOOKUPS = {
    "customer": ("atelier.customers.models", "Customer", _("Client inconnu sur vos sites.")),
    "case": ("atelier.repairs.models", "RepairCase", _("Dossier inconnu sur vos sites.")),
    "complaint": ("atelier.reception.models", "Complaint", _("Mécontentement inconnu sur vos sites.")),
    "claim": ("atelier.aftersales.models", "Claim", _("Réclamation inconnue sur vos sites.")),
    "invoice": ("atelier.billing.models", "Invoice", _("Facture inconnue sur vos sites.")),
}


def _visible(user, name: str, pk):
    import importlib

    if pk in (None, ""):
        return None
    module, model, message = _LOOKUPS[name]
    found = getattr(importlib.import_module(module), model).objects.visible_to(user).filter(pk=pk).first()
    if found is None:
        raise ValidationError({name: [str(message)]})
    return found


class DisputeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Disputes of your sites; `?state=`, `?site=`, `?overdue=1` filter the list."""

    serializer_class = DisputeSerializer
    queryset = Dispute.objects.none()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # writes are checked again by each service (handle or decide, per outcome, on the dispute's site)
        require_step(request.user, "disputes.handle" if request.method == "POST" else "disputes.view")

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Dispute.objects.none()
        params = self.request.query_params
        return selectors.dispute_list(
            user=self.request.user,
            state=params.get("state", ""),
            site=params.get("site", ""),
            overdue=params.get("overdue") == "1",
        ).prefetch_related("events", "letters")

    def get_object(self):
        return selectors.dispute_get(user=self.request.user, pk=self.kwargs["pk"])

    def _read(self, pk):
        dispute = selectors.dispute_get(user=self.request.user, pk=pk)
        return DisputeSerializer(dispute).data

    @extend_schema(
        parameters=[
            OpenApiParameter("state", OpenApiTypes.STR),
            OpenApiParameter("site", OpenApiTypes.INT),
            OpenApiParameter("overdue", OpenApiTypes.STR, description="1 : réponse en retard seulement"),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=DisputeOpenSerializer, responses=DisputeSerializer)
    def create(self, request):
        data = DisputeOpenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        objects = {name: _visible(request.user, name, fields.get(name)) for name in _LOOKUPS}
        dispute = services.dispute_open(
            actor=request.user,
            source=fields["source"],
            channel=fields["channel"],
            summary=fields["summary"],
            received_on=fields.get("received_on"),
            **objects,
        )
        return Response(self._read(dispute.pk), status=status.HTTP_201_CREATED)

    @extend_schema(request=DisputeInstructSerializer, responses=DisputeSerializer)
    @action(detail=True, methods=["post"])
    def instruct(self, request, pk=None):
        dispute = self.get_object()
        data = DisputeInstructSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        person = User.objects.filter(pk=fields["assigned_to"], sites=dispute.site_id, is_active=True).first()
        if person is None:
            raise ValidationError({"assigned_to": [_("Personne inconnue sur le site du litige.")]})
        services.dispute_instruct(
            dispute=dispute,
            actor=request.user,
            cause=fields["cause"],
            cause_detail=fields.get("cause_detail", ""),
            assigned_to=person,
        )
        return Response(self._read(dispute.pk))

    @extend_schema(request=DisputeLetterInputSerializer, responses=DisputeLetterSerializer)
    @action(detail=True, methods=["post"])
    def letters(self, request, pk=None):
        """Write to the customer: `proposition` (text required) or `mediation` (the mediator's referral)."""
        dispute = self.get_object()
        data = DisputeLetterInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        if fields["kind"] == LetterKind.PROPOSITION:
            letter = services.dispute_propose(
                dispute=dispute, actor=request.user, text=fields.get("text", "")
            )
        else:
            letter = services.dispute_refer_mediation(
                dispute=dispute, actor=request.user, text=fields.get("text", "")
            )
        return Response(DisputeLetterSerializer(letter).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DisputeDecideSerializer, responses=DisputeSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        dispute = self.get_object()
        data = DisputeDecideSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        services.dispute_decide(
            dispute=dispute,
            actor=request.user,
            outcome=fields["outcome"],
            reason=fields.get("reason", ""),
            amount=fields.get("amount"),
        )
        return Response(self._read(dispute.pk))
