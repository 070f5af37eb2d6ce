"""Messages API: read the customers' messages of the user's sites (filter by dossier, customer, state) and write
to a customer (« réponse de l'atelier », queued in the outbox). Same steps and site rules as the screens:
another site's dossier, customer or message answers 404."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from atelier.core.access import may, sites_allowing
from atelier.core.scoping import visible_or_404
from atelier.customers.models import Customer
from atelier.messaging import selectors, services
from atelier.messaging.api.serializers import (
    MessageDetailSerializer,
    MessageFilterSerializer,
    MessageSerializer,
    ReplySerializer,
)
from atelier.messaging.models import Message
from atelier.repairs.selectors import case_get

FILTERS = [
    OpenApiParameter("case", OpenApiTypes.INT, description="Identifiant du dossier"),
    OpenApiParameter("customer", OpenApiTypes.INT, description="Identifiant du client"),
    OpenApiParameter(
        "state", OpenApiTypes.STR, description="État : queued, sending, sent, delivered, failed…"
    ),
]


@extend_schema_view(
    list=extend_schema(parameters=FILTERS, summary="Messages échangés avec les clients"),
    retrieve=extend_schema(summary="Un message"),
    create=extend_schema(
        request=ReplySerializer, responses={201: MessageSerializer}, summary="Écrire à un client"
    ),
)
class MessageViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = MessageSerializer

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not may(request.user, "messaging.read"):
            raise PermissionDenied(_("Votre rôle ne permet pas de lire les messages des clients."))

    def get_serializer_class(self):
        return MessageDetailSerializer if self.action == "retrieve" else MessageSerializer

    def get_queryset(self):
        user = self.request.user
        qs = selectors.message_list(user).filter(site_id__in=sites_allowing(user, "messaging.read"))
        if self.action == "retrieve":
            return qs.prefetch_related("attachments")
        if self.action != "list":
            return qs
        filters = MessageFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        if "case" in data:
            qs = qs.filter(case_id=data["case"])
        if "customer" in data:
            qs = qs.filter(customer_id=data["customer"])
        if "state" in data:
            qs = qs.filter(state=data["state"])
        return qs

    def create(self, request, *args, **kwargs):
        payload = ReplySerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        user = request.user
        case = case_get(user=user, pk=data["case"]) if "case" in data else None
        if case is not None:
            customer = case.customer
            if "customer" in data and data["customer"] != customer.pk:
                raise ValidationError({"customer": [_("Ce dossier n'est pas celui de ce client.")]})
        elif "customer" in data:
            customer = visible_or_404(Customer, user, pk=data["customer"])
        else:
            raise ValidationError({"case": [_("Indiquez le dossier ou le client.")]})
        in_reply_to = (
            visible_or_404(Message, user, pk=data["in_reply_to"], customer=customer)
            if "in_reply_to" in data
            else None
        )
        message = services.message_reply(
            actor=user,
            customer=customer,
            case=case,
            channel=data["channel"],
            body=data["body"],
            in_reply_to=in_reply_to,
        )
        return Response(MessageSerializer(message).data, status=status.HTTP_201_CREATED)
