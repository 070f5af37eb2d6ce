"""API of customers and appliances: the same selectors and services as the screens, scoped to the user's
sites (another site's record answers 404), refusals as 400 with French messages keyed by field."""

from contextlib import contextmanager

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.response import Response

from atelier.core.access import may, sites_allowing
from atelier.core.models import Site
from atelier.core.params import as_id
from atelier.customers import privacy, retention, selectors, services
from atelier.customers.api.serializers import (
    ApplianceSerializer,
    ApplianceUpdateSerializer,
    CustomerSerializer,
    CustomerUpdateSerializer,
    ErasedSerializer,
    EraseSerializer,
    PrivacyRequestSerializer,
    RetentionDueSerializer,
)
from atelier.customers.choices import ConsentSource
from atelier.customers.export import export_data
from atelier.customers.models import Appliance, Customer


class ReadAnyRoleWriteCounter(BasePermission):
    """Every role of a site reads customer files; the counter, technicians and the SAV manager write them."""

    message = _("Votre rôle ne permet pas cette opération.")

    def has_permission(self, request, view) -> bool:
        user = request.user
        step = getattr(view, "action_steps", {}).get(getattr(view, "action", None))
        if step:  # an action with its own step (export, erase)
            return may(user, step)
        return may(user, "customers.view" if request.method in SAFE_METHODS else "customers.write")


@contextmanager
def service_errors():
    """A service's ValidationError becomes the API's 400, field by field."""
    try:
        yield
    except DjangoValidationError as exc:
        if hasattr(exc, "error_dict"):
            detail = {
                ("non_field_errors" if field == NON_FIELD_ERRORS else field): messages
                for field, messages in exc.message_dict.items()
            }
        else:
            detail = {"non_field_errors": exc.messages}
        raise serializers.ValidationError(detail) from None


class _Base(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [IsAuthenticated, ReadAnyRoleWriteCounter]
    update_serializer_class: type[serializers.Serializer]

    def get_serializer_class(self):
        return (
            self.update_serializer_class
            if self.action in ("update", "partial_update")
            else self.serializer_class
        )


class CustomerViewSet(_Base):
    """Customers of your sites. `?q=` is routed by what it looks like: a phone number (whole or its beginning),
    a postcode (5 digits), an e-mail (with @, its beginning), a serial number (letters and digits, its
    beginning) or name words; parts typed together must all match (« martin 75011 »)."""

    serializer_class = CustomerSerializer
    update_serializer_class = CustomerUpdateSerializer
    action_steps = {"export": "customers.export", "erase": "customers.erase"}

    def get_serializer_class(self):
        if self.action == "export":
            return PrivacyRequestSerializer
        if self.action == "erase":
            return EraseSerializer
        return super().get_serializer_class()

    @extend_schema(request=PrivacyRequestSerializer, responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["post"])
    def export(self, request, pk=None):
        """The customer's data as JSON (right of access, portability: RGPD art. 15 and 20); the request is
        recorded in the register with its channel and date."""
        customer = self.get_object()
        body = PrivacyRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        privacy.customer_export_record(
            actor=request.user, customer=customer, fmt="json", **body.validated_data
        )
        return Response(export_data(customer))

    @extend_schema(request=EraseSerializer, responses=ErasedSerializer)
    @action(detail=True, methods=["post"])
    def erase(self, request, pk=None):
        """Erasure on request (RGPD art. 17): the file is anonymised now, unless a dossier is open, an invoice
        unpaid or a loan out (409 with the reason in French); invoices stay as issued."""
        customer = self.get_object()
        body = EraseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        privacy.customer_erase(actor=request.user, customer=customer, **body.validated_data)
        return Response(ErasedSerializer(customer).data)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular reads the model, with no user
            return Customer.objects.none()
        return selectors.customer_list(user=self.request.user, query=self.request.query_params.get("q", ""))

    def paginate_queryset(self, queryset):
        query = self.request.query_params.get("q", "")
        if query and self.action == "list":  # by name, as an index can give it (see customer_results)
            queryset = selectors.customer_results(user=self.request.user, query=query)
        return super().paginate_queryset(queryset)

    def perform_create(self, serializer):
        fields = dict(serializer.validated_data)
        site = fields.pop("site", None) or self._only_site()
        with service_errors():
            customer = services.customer_create(
                actor=self.request.user, site=site, consent_source=ConsentSource.API, **fields
            )
        serializer.instance = self.get_queryset().get(pk=customer.pk)  # with its counts

    def perform_update(self, serializer):
        with service_errors():
            customer = services.customer_update(
                actor=self.request.user,
                customer=serializer.instance,
                consent_source=ConsentSource.API,
                **serializer.validated_data,
            )
        serializer.instance = self.get_queryset().get(pk=customer.pk)

    def _only_site(self):
        sites = list(Site.objects.visible_to(self.request.user)[:2])
        if len(sites) != 1:
            raise serializers.ValidationError({"site": [_("Indiquez le site du client.")]})
        return sites[0]


class ApplianceViewSet(_Base):
    """Appliances of the customers of your sites. `?client=<id>` keeps one customer's."""

    serializer_class = ApplianceSerializer
    update_serializer_class = ApplianceUpdateSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Appliance.objects.none()
        customer = self.request.query_params.get("client", "")
        return selectors.appliance_list(user=self.request.user, customer_pk=as_id(customer))

    def perform_create(self, serializer):
        fields = dict(serializer.validated_data)
        customer = fields.pop("customer")
        with service_errors():
            serializer.instance = services.appliance_create(
                actor=self.request.user, customer=customer, **fields
            )

    def perform_update(self, serializer):
        with service_errors():
            serializer.instance = services.appliance_update(
                actor=self.request.user, appliance=serializer.instance, **serializer.validated_data
            )


class RetentionPermission(BasePermission):
    message = _("Votre rôle ne permet pas cette opération.")

    def has_permission(self, request, view) -> bool:
        return may(request.user, "customers.retention")


class RetentionViewSet(viewsets.ViewSet):
    """The retention preview: files of a site due for anonymisation now or within `jours` days (30 by default),
    with their last contact and what holds them back."""

    permission_classes = [IsAuthenticated, RetentionPermission]

    @extend_schema(
        parameters=[
            OpenApiParameter("site", int, description="Site (par défaut : le premier des vôtres)"),
            OpenApiParameter("jours", int, description="Horizon en jours (0 à 365, 30 par défaut)"),
        ],
        responses=RetentionDueSerializer(many=True),
    )
    def list(self, request):
        sites = Site.objects.visible_to(request.user).filter(
            pk__in=sites_allowing(request.user, "customers.retention")
        )
        wanted = as_id(request.query_params.get("site"))
        site = sites.filter(pk=wanted).first() if wanted is not None else sites.order_by("code").first()
        if site is None:
            raise NotFound()
        days = request.query_params.get("jours", "")
        horizon = min(asked, 365) if (asked := as_id(days)) is not None else retention.PREVIEW_DAYS
        due = retention.retention_due(site, horizon_days=horizon)
        return Response(RetentionDueSerializer(due, many=True).data)
