"""API of the grid's tablet tools and of the preparation (issue 19, points 4, 6, 7), under /api/certification/:
timers, questions and evidence dossier of a session; a candidate's account and progress; mock sessions;
role-play scenarios. Same steps, site and organisation rules as the screens; refusals in French."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from atelier.certification import selectors, services_evidence, services_preparation
from atelier.certification.api.views import _grid_subject, _visible, candidate_and_epreuve
from atelier.certification.evidence import case_evidence, kinds_for
from atelier.certification.models import (
    Competence,
    EvidenceDossier,
    JuryQuestion,
    PartTiming,
    RolePlayScenario,
    ScenarioKind,
)
from atelier.certification.services_grids import grid_criteria
from atelier.core.access import require_step, sites_allowing
from atelier.core.models import Site, User
from atelier.repairs.models import RepairCase

PK = OpenApiParameter("pk", OpenApiTypes.INT, OpenApiParameter.PATH)
FILTERS = [
    PK,
    OpenApiParameter("epreuve", OpenApiTypes.INT, description="Numéro ; toutes par défaut."),
    OpenApiParameter("candidate", OpenApiTypes.INT, description="Un candidat ; tous par défaut."),
]


class SubjectSerializer(serializers.Serializer):
    epreuve = serializers.IntegerField()
    candidate = serializers.IntegerField()


class TimerActionSerializer(SubjectSerializer):
    part = serializers.IntegerField(min_value=0, help_text="Rang du temps dans l'épreuve, à partir de 0.")
    action = serializers.ChoiceField(choices=services_evidence.TIMER_ACTIONS)


class TimerSerializer(serializers.Serializer):
    epreuve = serializers.IntegerField()
    candidate = serializers.IntegerField()
    part = serializers.IntegerField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field named « label », not Field.label
    planned_minutes = serializers.IntegerField()
    started_at = serializers.DateTimeField()
    ended_at = serializers.DateTimeField(allow_null=True)
    paused_seconds = serializers.IntegerField()
    elapsed_seconds = serializers.IntegerField()
    overrun_seconds = serializers.IntegerField()
    running = serializers.BooleanField()


def timer_as_api(t: PartTiming) -> dict:
    return {
        "epreuve": t.epreuve.number,
        "candidate": t.candidate_id,
        "part": t.part,
        "label": t.label,
        "planned_minutes": t.planned_minutes,
        "started_at": serializers.DateTimeField().to_representation(t.started_at),
        "ended_at": serializers.DateTimeField().to_representation(t.ended_at) if t.ended_at else None,
        "paused_seconds": t.paused_seconds,
        "elapsed_seconds": services_evidence.elapsed_seconds(t),
        "overrun_seconds": services_evidence.overrun_seconds(t),
        "running": t.ended_at is None and t.paused_at is None,
    }


class QuestionCreateSerializer(SubjectSerializer):
    text = serializers.CharField(allow_blank=True)
    competence = serializers.CharField(required=False, allow_blank=True, help_text="Code, p. ex. « C1.5 ».")
    answer_summary = serializers.CharField(required=False, allow_blank=True, default="")


class QuestionSerializer(serializers.Serializer):
    epreuve = serializers.IntegerField()
    candidate = serializers.IntegerField()
    text = serializers.CharField()
    competence = serializers.CharField(allow_null=True)
    answer_summary = serializers.CharField()
    asked_by = serializers.CharField()
    asked_at = serializers.DateTimeField()


def question_as_api(q: JuryQuestion) -> dict:
    return {
        "epreuve": q.epreuve.number,
        "candidate": q.candidate_id,
        "text": q.text,
        "competence": q.competence.code if q.competence else None,
        "answer_summary": q.answer_summary,
        "asked_by": q.asked_by.get_full_name() or q.asked_by.username,
        "asked_at": serializers.DateTimeField().to_representation(q.asked_at),
    }


class EvidenceCreateSerializer(SubjectSerializer):
    case = serializers.IntegerField(help_text="Identifiant du dossier SAV.")


class EvidenceItemSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field named « label », not Field.label
    text = serializers.CharField(help_text="Données du client masquées.")
    complete = serializers.BooleanField()


class EvidenceCriterionSerializer(serializers.Serializer):
    criterion = serializers.IntegerField()
    competence = serializers.CharField()
    kinds = serializers.ListField(child=serializers.CharField())
    evidence = EvidenceItemSerializer(many=True)


class EvidenceSerializer(serializers.Serializer):
    epreuve = serializers.IntegerField()
    candidate = serializers.IntegerField()
    case = serializers.CharField(help_text="N° du dossier.")
    criteria = EvidenceCriterionSerializer(many=True)


def evidence_as_api(dossier: EvidenceDossier) -> dict:
    found = case_evidence(dossier.case)
    criteria = []
    for criterion in grid_criteria(dossier.epreuve):
        kinds = kinds_for(criterion.competence.code)
        items = [e for k in kinds for e in found.get(k, [])]
        criteria.append(
            {
                "criterion": criterion.pk,
                "competence": criterion.competence.code,
                "kinds": kinds,
                "evidence": [
                    {"kind": e.kind, "label": e.label, "text": e.text, "complete": e.complete} for e in items
                ],
            }
        )
    return {
        "epreuve": dossier.epreuve.number,
        "candidate": dossier.candidate_id,
        "case": dossier.case.number,
        "criteria": criteria,
    }


def _filters(request, session, qs):
    candidate_id, number = candidate_and_epreuve(request)
    if number is not None:
        qs = qs.filter(epreuve__number=number)
    if candidate_id is not None:
        qs = qs.filter(candidate_id=candidate_id)
    return qs


class _SessionScoped(viewsets.ViewSet):
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        require_step(request.user, "certification.judge")

    def _session(self, request, pk):
        return selectors.session_get(user=request.user, pk=pk)

    def _subject(self, request, pk, serializer_class):
        session = self._session(request, pk)
        data = serializer_class(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        epreuve, candidate = _grid_subject(session, values["epreuve"], values["candidate"])
        return session, epreuve, candidate, values


class SessionTimerViewSet(_SessionScoped):
    """The timers of the parts of each épreuve (real durations, overrun); POST start / pause / stop."""

    @extend_schema(parameters=FILTERS, responses=TimerSerializer(many=True))
    def list(self, request, pk=None):
        session = self._session(request, pk)
        qs = PartTiming.objects.filter(session=session).select_related("epreuve")
        return Response([timer_as_api(t) for t in _filters(request, session, qs)])

    @extend_schema(parameters=[PK], request=TimerActionSerializer, responses={201: TimerSerializer})
    def create(self, request, pk=None):
        session, epreuve, candidate, values = self._subject(request, pk, TimerActionSerializer)
        timing = services_evidence.timer_action(
            actor=request.user,
            session=session,
            epreuve=epreuve,
            candidate=candidate,
            part=values["part"],
            action=values["action"],
        )
        return Response(timer_as_api(timing), status=status.HTTP_201_CREATED)


class SessionQuestionViewSet(_SessionScoped):
    """The questions the jury asked (text, competence, answer summary)."""

    @extend_schema(parameters=FILTERS, responses=QuestionSerializer(many=True))
    def list(self, request, pk=None):
        session = self._session(request, pk)
        qs = JuryQuestion.objects.filter(session=session).select_related("epreuve", "competence", "asked_by")
        return Response([question_as_api(q) for q in _filters(request, session, qs)])

    @extend_schema(parameters=[PK], request=QuestionCreateSerializer, responses={201: QuestionSerializer})
    def create(self, request, pk=None):
        session, epreuve, candidate, values = self._subject(request, pk, QuestionCreateSerializer)
        competence = None
        if values.get("competence"):
            competence = Competence.objects.filter(
                referentiel=session.referentiel, code=values["competence"]
            ).first()
            if competence is None:
                raise ValidationError(
                    {"competence": [_("Compétence inconnue : « %(c)s ».") % {"c": values["competence"]}]}
                )
        question = services_evidence.question_record(
            actor=request.user,
            session=session,
            epreuve=epreuve,
            candidate=candidate,
            text=values["text"],
            competence=competence,
            answer_summary=values.get("answer_summary", ""),
        )
        return Response(question_as_api(question), status=status.HTTP_201_CREATED)


class SessionEvidenceViewSet(_SessionScoped):
    """The real dossiers the épreuves are judged from, with their evidence per criterion (customer masked)."""

    @extend_schema(parameters=FILTERS, responses=EvidenceSerializer(many=True))
    def list(self, request, pk=None):
        session = self._session(request, pk)
        qs = EvidenceDossier.objects.filter(session=session).select_related(
            "epreuve", "case__customer", "case__appliance"
        )
        return Response([evidence_as_api(d) for d in _filters(request, session, qs)])

    @extend_schema(parameters=[PK], request=EvidenceCreateSerializer, responses={201: EvidenceSerializer})
    def create(self, request, pk=None):
        session, epreuve, candidate, values = self._subject(request, pk, EvidenceCreateSerializer)
        case = _visible(RepairCase.objects.all(), request.user, values["case"], "case")
        dossier = services_evidence.evidence_dossier_choose(
            actor=request.user, session=session, epreuve=epreuve, candidate=candidate, case=case
        )
        return Response(evidence_as_api(dossier), status=status.HTTP_201_CREATED)


class SessionMockViewSet(_SessionScoped):
    """Flag the session « blanche » (a rehearsal: its grids count for progress, not for certification)."""

    @extend_schema(parameters=[PK], request=None, responses={201: OpenApiTypes.OBJECT})
    def create(self, request, pk=None):
        session = self._session(request, pk)
        services_preparation.session_mark_mock(actor=request.user, session=session)
        return Response({"session": session.pk, "mock": True}, status=status.HTTP_201_CREATED)


def candidate_for_member(request, pk):
    """A candidate of the user's sites whose organisation or company the user acts for; any other → 404."""
    candidate = selectors.candidate_get(user=request.user, pk=pk)
    if not services_evidence.is_member(request.user, candidate):
        raise NotFound(_("Aucun candidat n° %(pk)s parmi ceux de vos organismes.") % {"pk": pk})
    return candidate


class AccountSerializer(serializers.Serializer):
    user = serializers.IntegerField()


class ProgressRowSerializer(serializers.Serializer):
    competence = serializers.CharField()
    status = serializers.CharField()
    mock_acquired = serializers.IntegerField()
    mock_judged = serializers.IntegerField()
    evidence = serializers.DictField(child=serializers.IntegerField())


class CandidatePreparationViewSet(viewsets.ViewSet):
    """A candidate's progress per competence: competence × status, from mock grids and real dossiers (their
    organisation only)."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        require_step(request.user, "certification.manage")

    @extend_schema(parameters=[PK], responses=ProgressRowSerializer(many=True))
    def list(self, request, pk=None):
        candidate = candidate_for_member(request, pk)
        return Response(
            [
                {
                    "competence": row["competence"].code,
                    "status": row["status"],
                    "mock_acquired": row["mock_acquired"],
                    "mock_judged": row["mock_judged"],
                    "evidence": dict(row["evidence"]),
                }
                for row in services_preparation.progress(candidate)
            ]
        )


class CandidateAccountViewSet(viewsets.ViewSet):
    """Bind the candidate to the Atelier user they work as (their organisation only)."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        require_step(request.user, "certification.manage")

    @extend_schema(parameters=[PK], request=AccountSerializer, responses={201: AccountSerializer})
    def create(self, request, pk=None):
        candidate = candidate_for_member(request, pk)
        data = AccountSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = User.objects.filter(pk=data.validated_data["user"], sites=candidate.organisation.site).first()
        if user is None:
            raise ValidationError(
                {
                    "user": [
                        _("Aucun utilisateur n° %(pk)s sur ce site.") % {"pk": data.validated_data["user"]}
                    ]
                }
            )
        services_evidence.candidate_account_link(actor=request.user, candidate=candidate, user=user)
        return Response({"user": user.pk}, status=status.HTTP_201_CREATED)


class ScenarioCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ScenarioKind.choices)
    case = serializers.IntegerField(help_text="Identifiant d'un dossier clôturé.")


class ScenarioSerializer(serializers.ModelSerializer):
    class Meta:
        model = RolePlayScenario
        fields = ["id", "kind", "epreuve_number", "title", "text", "expected_points", "created_at"]


class RolePlayViewSet(viewsets.ViewSet):
    """Role-play scenarios for n°4 and n°5, written from anonymised closed dossiers (formateur)."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        require_step(request.user, "certification.manage")

    def _qs(self, request):
        return RolePlayScenario.objects.filter(site__in=sites_allowing(request.user, "certification.manage"))

    @extend_schema(responses=ScenarioSerializer(many=True))
    def list(self, request):
        return Response(ScenarioSerializer(self._qs(request), many=True).data)

    @extend_schema(parameters=[PK], responses=ScenarioSerializer)
    def retrieve(self, request, pk=None):
        scenario = self._qs(request).filter(pk=pk).first()
        if scenario is None:
            raise NotFound(_("Aucun jeu de rôle n° %(pk)s.") % {"pk": pk})
        return Response(ScenarioSerializer(scenario).data)

    @extend_schema(request=ScenarioCreateSerializer, responses={201: ScenarioSerializer})
    def create(self, request):
        data = ScenarioCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = _visible(RepairCase.objects.all(), request.user, data.validated_data["case"], "case")
        site = Site.objects.get(pk=case.site_id)
        scenario = services_preparation.scenario_generate(
            actor=request.user, site=site, kind=data.validated_data["kind"], case=case
        )
        return Response(ScenarioSerializer(scenario).data, status=status.HTTP_201_CREATED)


ROUTES = [
    (r"certification/sessions/(?P<pk>[0-9]+)/timers", SessionTimerViewSet, "certification-session-timers"),
    (
        r"certification/sessions/(?P<pk>[0-9]+)/questions",
        SessionQuestionViewSet,
        "certification-session-questions",
    ),
    (
        r"certification/sessions/(?P<pk>[0-9]+)/evidence",
        SessionEvidenceViewSet,
        "certification-session-evidence",
    ),
    (r"certification/sessions/(?P<pk>[0-9]+)/mock", SessionMockViewSet, "certification-session-mock"),
    (
        r"certification/candidates/(?P<pk>[0-9]+)/progress",
        CandidatePreparationViewSet,
        "certification-candidate-progress",
    ),
    (
        r"certification/candidates/(?P<pk>[0-9]+)/account",
        CandidateAccountViewSet,
        "certification-candidate-account",
    ),
    ("certification/role-plays", RolePlayViewSet, "certification-role-play"),
]
