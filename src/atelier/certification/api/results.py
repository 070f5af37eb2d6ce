"""API of deliberation and results: a session's results board (GET), the jury's writes (deliberation per bloc,
absence, PV signature), and the certificates (list, detail, Open Badges 3.0 credential, verification). Same
services, steps and site rules as the screens; refusals in French."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from atelier.certification import selectors, selectors_results, services_results
from atelier.certification.models import Bloc, Certificate, ResultKind
from atelier.core.access import require_step

PK = OpenApiParameter("pk", OpenApiTypes.INT, OpenApiParameter.PATH)


def _who(user) -> str:
    return user.get_full_name() or user.username


class DeliberationOutSerializer(serializers.Serializer):
    validated = serializers.BooleanField()
    acquired = serializers.ListField(child=serializers.CharField())
    carried = serializers.ListField(child=serializers.CharField())
    missing = serializers.ListField(child=serializers.CharField())
    comment = serializers.CharField()
    decided_by = serializers.CharField()
    decided_at = serializers.DateTimeField()


class BlocBoardSerializer(serializers.Serializer):
    bloc = serializers.CharField()
    epreuves = serializers.ListField(child=serializers.IntegerField())
    incomplete = serializers.ListField(child=serializers.CharField())
    acquired = serializers.ListField(child=serializers.CharField())
    carried = serializers.ListField(child=serializers.CharField())
    missing = serializers.ListField(child=serializers.CharField())
    deliberation = DeliberationOutSerializer(allow_null=True)


class ResultOutSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ResultKind.choices)
    label = serializers.CharField()  # type: ignore[assignment]  # a field named like Field.label
    blocs = serializers.ListField(child=serializers.CharField())
    reason = serializers.CharField()


class CandidateBoardSerializer(serializers.Serializer):
    candidate = serializers.IntegerField()
    name = serializers.CharField()
    result = ResultOutSerializer(allow_null=True)
    blocs = BlocBoardSerializer(many=True)


class PvOutSerializer(serializers.Serializer):
    signed_by = serializers.ListField(child=serializers.CharField())
    waiting = serializers.ListField(child=serializers.CharField())
    locked_at = serializers.DateTimeField(allow_null=True)


class BoardSerializer(serializers.Serializer):
    session = serializers.IntegerField()
    pv = PvOutSerializer()
    candidates = CandidateBoardSerializer(many=True)


def board_as_api(session) -> dict:
    board = selectors_results.session_board(session)
    pv = board["pv"]
    return {
        "session": session.pk,
        "pv": {
            "signed_by": [_who(s.juror) for s in pv["signatures"]],
            "waiting": [str(j) for j in pv["waiting"]],
            "locked_at": pv["pv"].locked_at if pv["pv"] else None,
        },
        "candidates": [
            {
                "candidate": row["candidate"].pk,
                "name": str(row["candidate"]),
                "result": None
                if row["result"] is None
                else {
                    "kind": row["result"].kind,
                    "label": row["result"].get_kind_display(),
                    "blocs": row["result"].blocs,
                    "reason": row["result"].reason,
                },
                "blocs": [
                    {
                        "bloc": cell["bloc"].code,
                        "epreuves": [e.number for e in cell["status"].epreuves],
                        "incomplete": cell["status"].incomplete,
                        "acquired": cell["status"].acquired,
                        "carried": cell["status"].carried,
                        "missing": cell["status"].missing,
                        "deliberation": None
                        if cell["deliberation"] is None
                        else {
                            "validated": cell["deliberation"].validated,
                            "acquired": cell["deliberation"].acquired,
                            "carried": cell["deliberation"].carried,
                            "missing": cell["deliberation"].missing,
                            "comment": cell["deliberation"].comment,
                            "decided_by": _who(cell["deliberation"].decided_by),
                            "decided_at": cell["deliberation"].decided_at,
                        },
                    }
                    for cell in row["blocs"]
                ],
            }
            for row in board["rows"]
        ],
    }


class DeliberationInSerializer(serializers.Serializer):
    candidate = serializers.IntegerField()
    bloc = serializers.CharField(help_text=_("Numéro du bloc (« 1 » ou « 2 »)."))
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class AbsenceInSerializer(serializers.Serializer):
    candidate = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=[ResultKind.ABSENT, ResultKind.EXCUSE])
    reason = serializers.CharField(max_length=1000)


class SignatureInSerializer(serializers.Serializer):
    signature = serializers.CharField(help_text=_("La signature dessinée : « data:image/png;base64,… »."))


class SessionResultsViewSet(viewsets.ViewSet):
    """The results board of a session (GET), and the jury's writes: deliberations/, absences/, signatures/."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        require_step(request.user, "certification.judge")

    def _session(self, request, pk):
        return selectors.session_get(user=request.user, pk=pk)

    def _candidate(self, session, pk):
        candidate = session.candidates.filter(pk=pk).first()
        if candidate is None:
            raise ValidationError({"candidate": [_("Ce candidat n'est pas inscrit à la session.")]})
        return candidate

    @extend_schema(parameters=[PK], responses=BoardSerializer)
    def list(self, request, pk=None):
        return Response(board_as_api(self._session(request, pk)))

    @extend_schema(parameters=[PK], request=DeliberationInSerializer, responses={201: BoardSerializer})
    @action(detail=False, methods=["post"])
    def deliberations(self, request, pk=None):
        session = self._session(request, pk)
        data = DeliberationInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        bloc = Bloc.objects.filter(referentiel=session.referentiel, code=values["bloc"]).first()
        if bloc is None:
            raise ValidationError(
                {"bloc": [_("Aucun bloc « %(b)s » dans ce référentiel.") % {"b": values["bloc"]}]}
            )
        services_results.bloc_deliberate(
            actor=request.user,
            session=session,
            candidate=self._candidate(session, values["candidate"]),
            bloc=bloc,
            comment=values["comment"],
        )
        return Response(board_as_api(session), status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[PK], request=AbsenceInSerializer, responses={201: BoardSerializer})
    @action(detail=False, methods=["post"])
    def absences(self, request, pk=None):
        session = self._session(request, pk)
        data = AbsenceInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        services_results.result_absence_record(
            actor=request.user,
            session=session,
            candidate=self._candidate(session, values["candidate"]),
            kind=values["kind"],
            reason=values["reason"],
        )
        return Response(board_as_api(session), status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[PK], request=SignatureInSerializer, responses={201: BoardSerializer})
    @action(detail=False, methods=["post"])
    def signatures(self, request, pk=None):
        session = self._session(request, pk)
        data = SignatureInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services_results.pv_sign(
            actor=request.user, session=session, signature=data.validated_data["signature"]
        )
        return Response(board_as_api(session), status=status.HTTP_201_CREATED)


class CertificateSerializer(serializers.ModelSerializer):
    bloc = serializers.CharField(source="bloc.code", allow_null=True, default=None)

    class Meta:
        model = Certificate
        fields = [
            "id", "number", "verification_code", "kind", "session", "candidate", "bloc", "holder", "title",
            "issued_on", "valid_until",
        ]  # fmt: skip
        read_only_fields = fields


class VerifiedCertificateSerializer(serializers.Serializer):
    number = serializers.CharField()
    holder = serializers.CharField()
    title = serializers.CharField()
    issued_on = serializers.DateField()
    valid_until = serializers.DateField(allow_null=True)
    issuer = serializers.CharField()


class VerifiedSerializer(serializers.Serializer):
    valid = serializers.BooleanField()
    certificate = VerifiedCertificateSerializer(allow_null=True)


class CertificateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Certificates of the sessions you see and of your organisations' candidates; each one's Open Badges 3.0
    credential (badge/); verify/ checks a number with its verification code."""

    serializer_class = CertificateSerializer
    queryset = Certificate.objects.none()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        require_step(request.user, "certification.view")

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Certificate.objects.none()
        return selectors_results.certificate_list(user=self.request.user)

    def get_object(self):
        return selectors_results.certificate_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"])
    def badge(self, request, pk=None):
        """The OpenBadgeCredential (JSON-LD) as issued."""
        return Response(self.get_object().credential)

    @extend_schema(
        parameters=[
            OpenApiParameter("number", OpenApiTypes.STR, description="Numéro imprimé sur le certificat."),
            OpenApiParameter("code", OpenApiTypes.STR, description="Code de vérification imprimé."),
        ],
        responses=VerifiedSerializer,
    )
    @action(detail=False, methods=["get"])
    def verify(self, request):
        certificate = services_results.certificate_verify(
            request.query_params.get("number", ""), request.query_params.get("code", "")
        )
        if certificate is None:  # unknown, or asked without number or code: nothing matches
            return Response({"valid": False, "certificate": None})
        return Response(
            {
                "valid": True,
                "certificate": {
                    "number": certificate.number,
                    "holder": certificate.holder,
                    "title": certificate.title,
                    "issued_on": certificate.issued_on,
                    "valid_until": certificate.valid_until,
                    "issuer": certificate.credential["issuer"]["name"],
                },
            }
        )
