"""The indicators' API: `GET /api/indicators/` with the page's filters (date_from, date_to, site, technician,
family, brand, location) answers every indicator's value, text and table, and the previous period's. The step
`indicators.view` on one of the user's sites; another site is a 403 in French; bad dates a 400."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from atelier.core.access import require_step
from atelier.indicators.forms import IndicatorFilters
from atelier.indicators.selectors import as_number, indicator_lines


class RowSerializer(serializers.Serializer):
    label = serializers.CharField()
    value = serializers.CharField()


class IndicatorValueSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    definition = serializers.CharField()
    value = serializers.CharField(
        allow_null=True, help_text="Nombre (pourcentage, jours, euros en texte exact)"
    )
    text = serializers.CharField()
    previous_value = serializers.CharField(allow_null=True)
    previous_text = serializers.CharField()
    higher_is_better = serializers.BooleanField()
    table = RowSerializer(many=True)


class IndicatorsSerializer(serializers.Serializer):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    previous_from = serializers.DateField()
    previous_to = serializers.DateField()
    site_ids = serializers.ListField(child=serializers.IntegerField())
    indicators = IndicatorValueSerializer(many=True)


FILTERS = [
    OpenApiParameter(
        "date_from", OpenApiTypes.DATE, description="Début (AAAA-MM-JJ) ; sans dates : 30 derniers jours."
    ),
    OpenApiParameter("date_to", OpenApiTypes.DATE, description="Fin incluse (AAAA-MM-JJ)."),
    OpenApiParameter("site", OpenApiTypes.INT, description="Un de vos sites ; tous par défaut."),
    OpenApiParameter("technician", OpenApiTypes.INT),
    OpenApiParameter("family", OpenApiTypes.STR, description="Famille de produit (lave_linge, froid…)."),
    OpenApiParameter("brand", OpenApiTypes.STR),
    OpenApiParameter("location", OpenApiTypes.STR, enum=["atelier", "domicile"]),
    OpenApiParameter("code", OpenApiTypes.STR, description="Un indicateur seulement (ex. premier_coup)."),
]


class IndicatorViewSet(viewsets.ViewSet):
    """Every indicator for the filters, with the previous period of the same length (docs/indicators.md)."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        require_step(request.user, "indicators.view")

    @extend_schema(parameters=FILTERS, responses=IndicatorsSerializer)
    def list(self, request):
        params = request.query_params.copy()
        code = params.pop("code", [""])[-1]
        form = IndicatorFilters(params if params else None, user=request.user)
        if not form.is_valid():
            raise ValidationError({k: [str(e) for e in v] for k, v in form.errors.items()})
        d = form.cleaned_data
        previous = form.previous_period()
        lines = indicator_lines(
            form.scope(), (d["date_from"], d["date_to"]), previous, [code] if code else None
        )
        if code and not lines:
            raise ValidationError({"code": [f"Indicateur inconnu : « {code} »."]})
        return Response(
            {
                "date_from": d["date_from"],
                "date_to": d["date_to"],
                "previous_from": previous[0],
                "previous_to": previous[1],
                "site_ids": list(form.scope().site_ids),
                "indicators": [
                    {
                        "code": line.indicator.code,
                        "name": str(line.indicator.name),
                        "definition": str(line.indicator.definition),
                        "value": as_number(line.now.value),
                        "text": line.now.text,
                        "previous_value": as_number(line.before.value),
                        "previous_text": line.before.text,
                        "higher_is_better": line.now.higher_is_better,
                        "table": [{"label": label, "value": value} for label, value in line.now.table],
                    }
                    for line in lines
                ],
            }
        )


router = DefaultRouter()
router.register("indicators", IndicatorViewSet, basename="indicators")
