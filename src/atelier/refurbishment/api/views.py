"""API of the second life of appliances, under /api/refurbishment/: the same services, steps and site scope as
the screens (another site's object answers 404; refusals in French with the service's status)."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from atelier.core.access import require_step
from atelier.core.models import Site
from atelier.core.params import as_id
from atelier.core.scoping import visible_or_404
from atelier.customers.models import Customer
from atelier.refurbishment import selectors, services
from atelier.refurbishment.api import serializers as s
from atelier.refurbishment.api.procedures import ApplianceSaleSerializer
from atelier.refurbishment.models import (
    AbandonLetter,
    ApplianceCount,
    ApplianceMove,
    CollectionLot,
    StockAppliance,
    TriageCheck,
)
from atelier.repairs.models import RepairCase
from atelier.stock.models import StockLocation


def _valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _site(request, pk) -> Site:
    return visible_or_404(Site, request.user, pk=pk)


def _location(request, pk, site_id):
    if pk is None:
        return None
    return visible_or_404(StockLocation.objects.filter(site_id=site_id), request.user, pk=pk)


class ViewStepMixin:
    """Every route needs the view step; each write's own step is checked by its service."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        require_step(request.user, "refurbishment.view")


class ApplianceViewSet(
    ViewStepMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Appliances of your sites; `?state=` (or `en_stock`), `?family=`, `?site=`, `?lot=`, `?q=` filter the list."""

    serializer_class = s.StockApplianceSerializer
    queryset = StockAppliance.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return StockAppliance.objects.none()
        p = self.request.query_params
        return selectors.appliance_list(
            user=self.request.user,
            site=p.get("site", ""),
            state=p.get("state", ""),
            family=p.get("family", ""),
            q=p.get("q", ""),
            lot=p.get("lot", ""),
        )

    def get_object(self):
        return selectors.appliance_get(user=self.request.user, pk=self.kwargs["pk"])

    def _answer(self, appliance, code=status.HTTP_200_OK):
        return Response(
            self.get_serializer(selectors.appliance_get(user=self.request.user, pk=appliance.pk)).data,
            status=code,
        )

    @extend_schema(
        parameters=[OpenApiParameter(n, OpenApiTypes.STR) for n in ("state", "family", "site", "lot", "q")]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=s.RefurbIntakeSerializer, responses=s.StockApplianceSerializer)
    def create(self, request):
        data = _valid(s.RefurbIntakeSerializer, request.data)
        site = _site(request, data.pop("site"))
        data["location"] = _location(request, data.get("location"), site.pk)
        if data.get("lot") is not None:
            data["lot"] = visible_or_404(CollectionLot, request.user, pk=data["lot"])
        if data.get("case") is not None:
            data["case"] = visible_or_404(RepairCase, request.user, pk=data["case"])
        for key in ("family", "brand", "model_ref", "serial_number", "origin_note"):
            data[key] = data.get(key) or ""
        appliance = services.appliance_intake(actor=request.user, site=site, **data)
        return self._answer(appliance, status.HTTP_201_CREATED)

    @extend_schema(request=s.RefurbTriageInputSerializer, responses=s.RefurbTriageSerializer)
    @action(detail=True, methods=["post"])
    def triage(self, request, pk=None):
        appliance = self.get_object()
        data = _valid(s.RefurbTriageInputSerializer, request.data)
        results = {c["code"]: (c["passed"], c.get("note", "")) for c in data["checks"]}
        if len(results) != len(data["checks"]):
            raise ValidationError({"checks": [_("Un contrôle est donné deux fois.")]})
        triage = services.appliance_triage(
            actor=request.user,
            appliance=appliance,
            results=results,
            outcome=data["outcome"],
            notes=data.get("notes", ""),
        )
        return Response(s.RefurbTriageSerializer(triage).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.RefurbReserveSerializer, responses=s.StockApplianceSerializer)
    @action(detail=True, methods=["post"])
    def reserve(self, request, pk=None):
        appliance = self.get_object()
        data = _valid(s.RefurbReserveSerializer, request.data)
        customer = visible_or_404(Customer, request.user, pk=data["customer"])
        return self._answer(
            services.appliance_reserve(
                actor=request.user, appliance=appliance, customer=customer, until=data["until"]
            )
        )

    @extend_schema(request=s.RefurbReasonSerializer, responses=s.StockApplianceSerializer)
    @action(detail=True, methods=["post"], url_path="cancel-reservation")
    def cancel_reservation(self, request, pk=None):
        appliance = self.get_object()
        data = _valid(s.RefurbReasonSerializer, request.data)
        return self._answer(
            services.appliance_reservation_cancel(
                actor=request.user, appliance=appliance, reason=data.get("reason", "")
            )
        )

    @extend_schema(request=s.RefurbSellSerializer, responses=ApplianceSaleSerializer)
    @action(detail=True, methods=["post"])
    def sell(self, request, pk=None):
        """Sell to a customer of the site and issue the invoice (services/resale.py)."""
        appliance = self.get_object()
        data = _valid(s.RefurbSellSerializer, request.data)
        customer = None
        if data.get("customer") is not None:
            customer = visible_or_404(Customer, request.user, pk=data["customer"])
        sale = services.appliance_resell(
            actor=request.user,
            appliance=appliance,
            price=data["price"],
            customer=customer,
            commercial_months=data.get("commercial_months", 0),
        )
        return Response(ApplianceSaleSerializer(sale).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.RefurbReasonSerializer, responses=s.StockApplianceSerializer)
    @action(detail=True, methods=["post"])
    def scrap(self, request, pk=None):
        appliance = self.get_object()
        data = _valid(s.RefurbReasonSerializer, request.data)
        return self._answer(
            services.appliance_scrap(actor=request.user, appliance=appliance, reason=data.get("reason", ""))
        )

    @extend_schema(request=s.RefurbRelocateSerializer, responses=s.StockApplianceSerializer)
    @action(detail=True, methods=["post"])
    def relocate(self, request, pk=None):
        appliance = self.get_object()
        data = _valid(s.RefurbRelocateSerializer, request.data)
        location = _location(request, data["location"], appliance.site_id)
        return self._answer(
            services.appliance_relocate(
                actor=request.user, appliance=appliance, location=location, reason=data.get("reason", "")
            )
        )


class MoveViewSet(ViewStepMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """The ledger of appliances of your sites; `?appliance=`, `?kind=`, `?site=` filter it."""

    serializer_class = s.ApplianceMoveSerializer
    queryset = ApplianceMove.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ApplianceMove.objects.none()
        p = self.request.query_params
        qs = selectors.move_list(user=self.request.user, site=p.get("site", ""), kind=p.get("kind", ""))
        if appliance := as_id(p.get("appliance")):
            qs = qs.filter(appliance_id=appliance)
        return qs

    @extend_schema(parameters=[OpenApiParameter(n, OpenApiTypes.STR) for n in ("appliance", "kind", "site")])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


class LotViewSet(ViewStepMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.CollectionLotSerializer
    queryset = CollectionLot.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CollectionLot.objects.none()
        return selectors.lot_list(user=self.request.user)

    def get_object(self):
        return selectors.lot_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(request=s.RefurbLotInputSerializer, responses=s.CollectionLotSerializer)
    def create(self, request):
        data = _valid(s.RefurbLotInputSerializer, request.data)
        site = _site(request, data.pop("site"))
        lot = services.lot_create(actor=request.user, site=site, **data)
        return Response(s.CollectionLotSerializer(lot).data, status=status.HTTP_201_CREATED)


class StockSummaryViewSet(ViewStepMixin, viewsets.ViewSet):
    """The stock of appliances by site, family and state (and how many are reserved)."""

    @extend_schema(
        parameters=[OpenApiParameter("site", OpenApiTypes.INT)],
        responses=s.RefurbStockSummarySerializer(many=True),
    )
    def list(self, request):
        rows = selectors.stock_summary(user=request.user, site=request.query_params.get("site", ""))
        return Response(s.RefurbStockSummarySerializer(rows, many=True).data)


class AbandonLetterViewSet(ViewStepMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = s.AbandonLetterSerializer
    queryset = AbandonLetter.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return AbandonLetter.objects.none()
        return selectors.letter_list(user=self.request.user)

    @extend_schema(request=s.AbandonLetterInputSerializer, responses=s.AbandonLetterSerializer)
    def create(self, request):
        data = _valid(s.AbandonLetterInputSerializer, request.data)
        case = visible_or_404(RepairCase, request.user, pk=data.pop("case"))
        letter = services.abandon_letter_record(actor=request.user, case=case, **data)
        return Response(s.AbandonLetterSerializer(letter).data, status=status.HTTP_201_CREATED)


class ChecklistViewSet(ViewStepMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """The triage checks of every family (`?family=` for one)."""

    serializer_class = s.TriageCheckSerializer
    queryset = TriageCheck.objects.none()

    def get_queryset(self):
        qs = TriageCheck.objects.filter(is_active=True)
        family = (
            self.request.query_params.get("family", "") if hasattr(self, "request") and self.request else ""
        )
        return qs.filter(family=family) if family else qs

    @extend_schema(parameters=[OpenApiParameter("family", OpenApiTypes.STR)])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


class CountViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.ApplianceCountSerializer
    queryset = ApplianceCount.objects.none()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        require_step(request.user, "refurbishment.count")

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ApplianceCount.objects.none()
        return selectors.count_list(user=self.request.user)

    def get_object(self):
        return selectors.count_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(request=s.RefurbCountInputSerializer, responses=s.ApplianceCountSerializer)
    def create(self, request):
        data = _valid(s.RefurbCountInputSerializer, request.data)
        site = _site(request, data["site"])
        location = _location(request, data.get("location"), site.pk)
        count = services.appliance_count_record(
            actor=request.user,
            site=site,
            location=location,
            present=data["present"],
            extra_numbers=data.get("extra_numbers", ""),
        )
        return Response(s.ApplianceCountSerializer(count).data, status=status.HTTP_201_CREATED)
