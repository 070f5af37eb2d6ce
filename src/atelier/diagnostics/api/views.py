"""Diagnostics API views: the same services, steps and site rules as the diagnosis page."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from atelier.core.access import require_step
from atelier.core.params import as_id
from atelier.diagnostics import services
from atelier.diagnostics.choices import SourceKind
from atelier.diagnostics.models import SourceConsulted
from atelier.repairs.selectors import case_get


class SourceSerializer(serializers.ModelSerializer):
    case = serializers.IntegerField(source="diagnosis.case_id")
    consulted_by = serializers.CharField(source="consulted_by.username")

    class Meta:
        model = SourceConsulted
        fields = ["id", "case", "kind", "reference", "notes", "consulted_by", "consulted_at"]


class SourceWriteSerializer(serializers.Serializer):
    case = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=SourceKind.choices)
    reference = serializers.CharField(required=False, allow_blank=True, default="")
    notes = serializers.CharField()


class SourceViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Sources consulted for a fault not solved alone, on the dossiers of one's sites (?case=<id>)."""

    serializer_class = SourceSerializer

    def get_queryset(self):
        require_step(self.request.user, "diagnostics.diagnose")
        sources = SourceConsulted.objects.visible_to(self.request.user).select_related(
            "diagnosis", "consulted_by"
        )
        if (case := as_id(self.request.query_params.get("case"))) is not None:
            sources = sources.filter(diagnosis__case_id=case)
        return sources

    @extend_schema(request=SourceWriteSerializer, responses=SourceSerializer)
    def create(self, request):
        data = SourceWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        case = case_get(user=request.user, pk=fields.pop("case"))
        source = services.source_record(case=case, actor=request.user, **fields)
        return Response(SourceSerializer(source).data, status=status.HTTP_201_CREATED)
