"""Improvement API: survey answers (read; the manager's follow-up), improvement actions (list, read, propose,
move through PDCA, measure before / after). Scoped to the user's sites (another site's object answers 404);
refusals in French, nothing written."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from atelier.core.access import require_step
from atelier.core.models import Site, User
from atelier.improvement import selectors, services, surveys
from atelier.improvement.api.serializers import (
    ActionMeasureSerializer,
    ActionMoveSerializer,
    ActionProposeSerializer,
    FollowUpInputSerializer,
    ImprovementActionSerializer,
    SurveyAnswerSerializer,
)
from atelier.improvement.models import ImprovementAction, SurveyAnswer


def _call(service, **kwargs):
    """A service's Django ValidationError (full_clean) as a 400 with its French messages."""
    try:
        return service(**kwargs)
    except DjangoValidationError as exc:
        raise ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        ) from None


class SurveyAnswerViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Survey answers of your sites; `?follow_up=a_traiter|en_cours|traite`, `?low=1` filter the list."""

    serializer_class = SurveyAnswerSerializer
    queryset = SurveyAnswer.objects.none()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        require_step(request.user, "improvement.surveys")

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return SurveyAnswer.objects.none()
        params = self.request.query_params
        return selectors.answer_list(
            user=self.request.user, follow_up=params.get("follow_up", ""), low=params.get("low") == "1"
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("follow_up", OpenApiTypes.STR),
            OpenApiParameter("low", OpenApiTypes.STR, description="1 : notes basses seulement"),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=FollowUpInputSerializer, responses=SurveyAnswerSerializer)
    @action(detail=True, methods=["post"], url_path="follow-up")
    def follow_up(self, request, pk=None):
        answer = self.get_object()
        data = FollowUpInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        done = _call(surveys.followup_update, answer=answer, actor=request.user, **data.validated_data)
        return Response(SurveyAnswerSerializer(done).data)


def _visible_many(user, model, pks, name: str, site) -> list:
    found = list(model.objects.visible_to(user).filter(pk__in=pks, site=site))
    if len(found) != len(set(pks)):
        raise ValidationError({name: [_("Objet inconnu sur le site de l'action.")]})
    return found


class ImprovementActionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Improvement actions of your sites; `?status=`, `?site=` filter the list."""

    serializer_class = ImprovementActionSerializer
    queryset = ImprovementAction.objects.none()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # writes are checked again by each service (propose, work or decide, on the action's site)
        require_step(request.user, "improvement.propose" if request.method == "POST" else "improvement.view")

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ImprovementAction.objects.none()
        params = self.request.query_params
        return selectors.action_list(
            user=self.request.user, status=params.get("status", ""), site=params.get("site", "")
        ).prefetch_related("events", "cases", "claims", "complaints", "disputes")

    def get_object(self):
        return selectors.action_get(user=self.request.user, pk=self.kwargs["pk"])

    def _read(self, pk):
        return ImprovementActionSerializer(selectors.action_get(user=self.request.user, pk=pk)).data

    @extend_schema(
        parameters=[OpenApiParameter("status", OpenApiTypes.STR), OpenApiParameter("site", OpenApiTypes.INT)]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=ActionProposeSerializer, responses=ImprovementActionSerializer)
    def create(self, request):
        from atelier.aftersales.models import Claim
        from atelier.disputes.models import Dispute
        from atelier.reception.models import Complaint
        from atelier.repairs.models import RepairCase

        data = ActionProposeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        site = Site.objects.visible_to(request.user).filter(pk=fields.pop("site")).first()
        if site is None:
            raise ValidationError({"site": [_("Site inconnu parmi les vôtres.")]})
        for name, model in (
            ("cases", RepairCase),
            ("claims", Claim),
            ("complaints", Complaint),
            ("disputes", Dispute),
        ):
            fields[name] = _visible_many(request.user, model, fields[name], name, site)
        item = _call(services.action_propose, actor=request.user, site=site, **fields)
        return Response(self._read(item.pk), status=status.HTTP_201_CREATED)

    @extend_schema(request=ActionMoveSerializer, responses=ImprovementActionSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        """decide (plan, owner, due_on), start, finish, verify, abandon (note)."""
        item = self.get_object()
        data = ActionMoveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        owner = None
        if fields.get("owner") is not None:
            owner = User.objects.filter(pk=fields["owner"], sites=item.site_id, is_active=True).first()
            if owner is None:
                raise ValidationError({"owner": [_("Personne inconnue sur le site de l'action.")]})
        fields["owner"] = owner
        _call(services.action_move, action=item, actor=request.user, **fields)
        return Response(self._read(item.pk))

    @extend_schema(request=ActionMeasureSerializer, responses=ImprovementActionSerializer)
    @action(detail=True, methods=["post"])
    def measure(self, request, pk=None):
        item = self.get_object()
        data = ActionMeasureSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        _call(services.action_measure, action=item, actor=request.user, **data.validated_data)
        return Response(self._read(item.pk))
