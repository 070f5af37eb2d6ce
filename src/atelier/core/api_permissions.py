"""The permission matrix of a site over the API: GET and PUT /api/sites/{id}/permissions/, under the rules of the
screen (step core.permissions on that site; another site answers 404)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from atelier.core import access
from atelier.core.choices import Role
from atelier.core.models import Site
from atelier.core.scoping import visible_or_404
from atelier.core.services import permissions_apply_preset, permissions_set


class StepRolesSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField(read_only=True)
    group = serializers.CharField(read_only=True)
    roles = serializers.ListField(child=serializers.ChoiceField(choices=Role.choices))


class SitePermissionsSerializer(serializers.Serializer):
    site = serializers.CharField(read_only=True, help_text="Code du site.")
    preset = serializers.ChoiceField(
        choices=access.PRESET_CHOICES,
        required=False,
        help_text="À l'écriture : applique ce modèle (avant les opérations données, s'il y en a).",
    )
    steps = StepRolesSerializer(
        many=True,
        required=False,
        help_text="À l'écriture : les opérations à régler (les autres ne changent pas).",
    )


def _matrix_data(site: Site) -> dict:
    matrix = access.site_matrix(site)
    return {
        "site": site.code,
        "preset": site.permission_preset,
        "steps": [
            {"code": s.code, "label": str(s.label), "group": str(s.group), "roles": sorted(matrix[s.code])}
            for s in access.all_steps().values()
        ],
    }


class SitePermissionsViewSet(viewsets.GenericViewSet):
    serializer_class = SitePermissionsSerializer
    queryset = Site.objects.none()  # the site is read per request (visible_or_404)

    def _site(self, pk) -> Site:
        site = visible_or_404(Site, self.request.user, pk=pk)
        access.require_step(self.request.user, "core.permissions", site=site)
        return site

    @extend_schema(request=SitePermissionsSerializer, responses=SitePermissionsSerializer)
    @action(detail=True, methods=["get", "put"], url_path="permissions")
    def permissions(self, request, pk=None):
        site = self._site(pk)
        if request.method == "PUT":
            serializer = SitePermissionsSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
            if "preset" in data and data["preset"] != access.PRESET_CUSTOM:
                site = permissions_apply_preset(site=site, actor=request.user, preset=data["preset"])
            if data.get("steps"):
                permissions_set(
                    site=site, actor=request.user, matrix={s["code"]: s["roles"] for s in data["steps"]}
                )
            site.refresh_from_db()
        return Response(_matrix_data(site))
