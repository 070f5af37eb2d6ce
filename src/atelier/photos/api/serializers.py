"""Serializers of photos: a photo as read (its files by URL of the checked views), an upload, a removal."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from atelier.photos.choices import PhotoStage
from atelier.photos.models import Photo


class PhotoSerializer(serializers.ModelSerializer):
    stage_display = serializers.CharField(source="get_stage_display", read_only=True)
    image_url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = Photo
        fields = [
            "id",
            "site",
            "case",
            "claim",
            "stage",
            "stage_display",
            "caption",
            "width",
            "height",
            "size",
            "sha256",
            "added_at",
            "added_by",
            "deleted_at",
            "deleted_by",
            "deletion_reason",
            "image_url",
            "thumbnail_url",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_image_url(self, photo) -> str | None:
        return None if photo.is_deleted else reverse("photos:image", args=[photo.pk])

    @extend_schema_field(OpenApiTypes.URI)
    def get_thumbnail_url(self, photo) -> str | None:
        return None if photo.is_deleted else reverse("photos:thumbnail", args=[photo.pk])


class PhotoUploadSerializer(serializers.Serializer):
    """multipart/form-data: `image` once or several times, the dossier or the claim, the stage."""

    case = serializers.IntegerField(required=False, allow_null=True)
    claim = serializers.IntegerField(required=False, allow_null=True)
    stage = serializers.ChoiceField(choices=PhotoStage.choices)
    caption = serializers.CharField(max_length=200, required=False, allow_blank=True)
    image = serializers.ListField(child=serializers.FileField(allow_empty_file=True), required=False)


class PhotoDeleteSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)
