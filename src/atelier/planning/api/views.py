"""Planning API, read-only: the validated routes of a day (a technician's app, a dispatch board, a customer
portal read them). A technician reads his own routes only; the counter, the manager and the stock keeper
(who prepares the vans) read those of their sites. Plans change through the screens and their services."""

import datetime

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response

from atelier.core.access import may
from atelier.customers.models import Appliance, Customer
from atelier.planning import selectors, services
from atelier.planning.api.serializers import (
    DropOffSerializer,
    DropOffSlotSerializer,
    PlanRouteSerializer,
    WorkshopWeekSerializer,
)
from atelier.planning.models import DropOff, PlanRoute
from atelier.planning.workshop import plan_week, week_code, week_days


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "jour", OpenApiTypes.DATE, description="Jour (AAAA-MM-JJ), aujourd'hui par défaut"
            ),
            OpenApiParameter("site", OpenApiTypes.STR, description="Code du site (ex. PAR1)"),
        ]
    )
)
class RouteViewSet(viewsets.ReadOnlyModelViewSet):
    """`?jour=AAAA-MM-JJ` (today by default) and `?site=CODE`: the validated routes of that day."""

    serializer_class = PlanRouteSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the OpenAPI schema is built without a user
            return PlanRoute.objects.none()
        user, params = self.request.user, self.request.query_params
        routes = PlanRoute.objects.visible_to(user).filter(validated=True)
        if not may(user, "planning.site_read"):
            if not may(user, "planning.my_day"):
                raise PermissionDenied(_("Votre rôle ne permet pas de consulter les tournées."))
            routes = routes.filter(technician=user)
        if self.action == "list":
            try:
                day = (
                    datetime.date.fromisoformat(params["jour"])
                    if params.get("jour")
                    else timezone.localdate()
                )
            except ValueError:
                raise ValidationError({"jour": _("Date illisible : attendu AAAA-MM-JJ.")}) from None
            routes = routes.filter(plan__day=day)
            if params.get("site"):
                routes = routes.filter(plan__site__code=params["site"])
        return (
            routes.select_related("plan__site", "technician")
            .prefetch_related("stops__visit__order__case__customer")
            .order_by("plan__day", "technician__username")
        )


# ---------------------------------------------------------------- workshop week and drop-offs


def _require(user, code: str) -> None:
    if not may(user, code):
        raise PermissionDenied(_("Votre rôle ne permet pas cette opération."))


def _site(user, code: str | None):
    try:
        return selectors.user_site(user, code)
    except Http404:
        raise NotFound(_("Site inconnu.")) from None


def _day(params) -> datetime.date:
    try:
        return datetime.date.fromisoformat(params["day"]) if params.get("day") else timezone.localdate()
    except ValueError:
        raise ValidationError({"day": _("Date illisible : attendu AAAA-MM-JJ.")}) from None


SITE_PARAM = OpenApiParameter(
    "site", OpenApiTypes.STR, description="Code du site (ex. PAR1) ; le vôtre par défaut"
)
DAY_PARAM = OpenApiParameter(
    "day", OpenApiTypes.DATE, description="Jour (AAAA-MM-JJ), aujourd'hui par défaut"
)


class _OneObject(AutoSchema):
    """The week is one object, although it answers on the router's list route."""

    def _is_list_view(self, serializer=None) -> bool:
        return False


class WorkshopViewSet(viewsets.GenericViewSet):
    """The workshop week of a site: each technician's home tours or visits and bench slots, and the bench
    jobs in their order with the reason of their rank, their technician or why none, and the risk of missing
    the promised date. `?week=YYYY-Www` (this week by default), `?site=CODE`."""

    serializer_class = WorkshopWeekSerializer
    pagination_class = None
    schema = _OneObject()

    @extend_schema(
        parameters=[
            OpenApiParameter("week", OpenApiTypes.STR, description="Semaine ISO AAAA-Wnn, ex. 2026-W50"),
            SITE_PARAM,
        ],
        responses=WorkshopWeekSerializer,
    )
    def list(self, request):
        _require(request.user, "planning.workshop")
        site = _site(request.user, request.query_params.get("site"))
        try:
            days = week_days(request.query_params.get("week"))
        except ValueError:
            raise ValidationError(
                {"week": _("Semaine illisible : attendu AAAA-Wnn, ex. 2026-W50.")}
            ) from None
        week = plan_week(site, days)
        technicians = []
        for profile in week.profiles:
            items = [
                {"kind": b.kind, "start": b.start, "end": b.end, "label": b.label, "job": None}
                for b in week.busy
                if b.technician == profile.user_id
            ]
            items += [
                {
                    "kind": "etabli",
                    "start": s.start,
                    "end": s.end,
                    "label": job.case.number if job.case else _("Dépôt"),
                    "job": job.key,
                }
                for job in week.placed
                for s in job.slots
                if s.technician == profile.user_id
            ]
            technicians.append(
                {
                    "id": profile.user_id,
                    "name": str(profile),
                    "items": sorted(items, key=lambda i: i["start"]),
                }
            )
        jobs = [
            {
                "key": j.key,
                "rank": j.rank,
                "case": j.case.number if j.case else None,
                "case_id": j.case.pk if j.case else None,
                "dropoff_id": j.dropoff.pk if j.dropoff else None,
                "family": j.family,
                "minutes": j.minutes,
                "promised_on": j.promised_on,
                "parts_missing": j.parts_missing,
                "parts_eta": j.parts_eta,
                "reason": j.reason,
                "technician": j.technician,
                "finish": j.finish,
                "unplaced": j.unplaced,
                "at_risk": j.at_risk,
            }
            for j in week.jobs
        ]
        data = {"site": site.code, "week": week_code(days[0]), "days": days, "technicians": technicians}
        return Response(self.get_serializer({**data, "jobs": jobs}).data)


class DropOffViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Drop-off appointments at the counter of a site and day (`?site=CODE&day=AAAA-MM-JJ`); POST books one
    (refused with 409 when the half-day is full for the family); `capacity/` lists the places per family and
    half-day with what is booked and free."""

    serializer_class = DropOffSerializer
    pagination_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return DropOff.objects.none()
        _require(self.request.user, "planning.dropoff")
        site = _site(self.request.user, self.request.query_params.get("site"))
        return (
            DropOff.objects.visible_to(self.request.user)
            .filter(site=site, day=_day(self.request.query_params), cancelled_at__isnull=True)
            .select_related("site", "customer")
        )

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        if not getattr(self, "swagger_fake_view", False) and hasattr(serializer, "fields"):
            user = self.request.user
            serializer.fields["customer"].queryset = Customer.objects.visible_to(user)
            serializer.fields["appliance"].queryset = Appliance.objects.visible_to(user)
        return serializer

    @extend_schema(parameters=[SITE_PARAM, DAY_PARAM])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def perform_create(self, serializer):
        _require(self.request.user, "planning.dropoff")
        fields = dict(serializer.validated_data)
        site = _site(self.request.user, fields.pop("site_code", None))
        # a refusal is the service's French message: 400 (input), 403 (role) or 409 (half-day full)
        serializer.instance = services.dropoff_book(actor=self.request.user, site=site, **fields)

    @extend_schema(parameters=[SITE_PARAM, DAY_PARAM], responses=DropOffSlotSerializer(many=True))
    @action(detail=False, methods=["get"], serializer_class=DropOffSlotSerializer)
    def capacity(self, request):
        _require(request.user, "planning.dropoff")
        site = _site(request.user, request.query_params.get("site"))
        board = selectors.dropoff_day(site, _day(request.query_params))
        return Response(DropOffSlotSerializer(board["slots"], many=True).data)
