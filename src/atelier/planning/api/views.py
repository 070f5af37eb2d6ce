"""Planning API, read-only: the validated routes of a day (a technician's app, a dispatch board, a customer
portal read them). A technician reads his own routes only; the counter, the manager and the stock keeper
(who prepares the vans) read those of their sites. Plans change through the screens and their services."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError

from atelier.core.access import may
from atelier.planning.api.serializers import PlanRouteSerializer
from atelier.planning.models import PlanRoute


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
