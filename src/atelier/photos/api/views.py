"""Photos API: list (?case=, ?claim=), read, upload (multipart), remove with a reason; under the same steps and
sites as the screens (another site's photo or dossier answers 404), refusals in French."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from atelier.aftersales.models import Claim
from atelier.core.access import require_step
from atelier.core.params import as_id
from atelier.core.scoping import visible_or_404
from atelier.photos import selectors, services
from atelier.photos.api.serializers import PhotoDeleteSerializer, PhotoSerializer, PhotoUploadSerializer
from atelier.photos.models import Photo
from atelier.repairs.models import RepairCase


class PhotoViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Photos of your sites' dossiers and claims; the files at `image_url` and `thumbnail_url`."""

    serializer_class = PhotoSerializer
    queryset = Photo.objects.none()
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        require_step(request.user, "photos.view")  # adding and removing are checked by the services, per site

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Photo.objects.none()
        rows = Photo.objects.visible_to(self.request.user).select_related("case", "claim")
        params = self.request.query_params
        for name in ("case", "claim"):
            value = params.get(name)
            if value:
                if as_id(value) is None:
                    raise ValidationError({name: [_("Identifiant invalide.")]})
                rows = rows.filter(**{name: as_id(value)})
        if params.get("deleted") != "1":
            rows = rows.filter(deleted_at__isnull=True)
        return rows.order_by("added_at", "pk")

    def get_object(self):
        return selectors.photo_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(
        parameters=[
            OpenApiParameter("case", OpenApiTypes.INT, description="Photos d'un dossier (le sien seul)."),
            OpenApiParameter("claim", OpenApiTypes.INT, description="Photos d'une réclamation."),
            OpenApiParameter("deleted", OpenApiTypes.STR, description="1 : avec les traces des supprimées."),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request={"multipart/form-data": PhotoUploadSerializer},
        responses={201: PhotoSerializer(many=True)},
    )
    def create(self, request):
        data = PhotoUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        case = claim = None
        if fields.get("case"):
            case = visible_or_404(RepairCase.objects.select_related("site"), request.user, pk=fields["case"])
        if fields.get("claim"):
            claim = visible_or_404(
                Claim.objects.select_related("site", "earlier_case", "new_case"),
                request.user,
                pk=fields["claim"],
            )
        photos = services.photo_add(
            actor=request.user,
            files=request.FILES.getlist("image"),
            stage=fields["stage"],
            case=case,
            claim=claim,
            caption=fields.get("caption", ""),
        )
        return Response(PhotoSerializer(photos, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PhotoDeleteSerializer, responses=PhotoSerializer)
    # not named `delete`: DRF dispatches an HTTP DELETE to a view's method of that name, so a DELETE on the list
    # (no pk) reached this action and failed with a 500
    @action(detail=True, methods=["post"], url_path="delete", url_name="delete")
    def remove(self, request, pk=None):
        photo = self.get_object()
        data = PhotoDeleteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        photo = services.photo_delete(actor=request.user, photo=photo, reason=data.validated_data["reason"])
        return Response(PhotoSerializer(photo).data)
