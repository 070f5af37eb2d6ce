"""Certification API under /api/certification/: the référentiel (exactly the shape of issue 19), organisations,
candidates (E3 topic, derogation), sessions (candidates, jury, draws). Same steps and site rules as the
screens; another site's object answers 404; refusals in French."""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from atelier.certification import selectors, services
from atelier.certification.api import serializers as s
from atelier.certification.models import Candidate, CertificationSession, Epreuve, Organisation
from atelier.core.access import require_step
from atelier.core.models import Site, User
from atelier.core.params import as_id
from atelier.core.scoping import visible_or_404


def candidate_and_epreuve(request) -> tuple[int | None, int | None]:
    """?candidate=<id> and ?epreuve=<numéro> of a request, each None when absent; a 400 when either is not a
    number a database holds (as_id: « ² » or 30 digits were 500s)."""
    values = []
    for name in ("candidate", "epreuve"):
        raw = request.query_params.get(name)
        if raw and as_id(raw) is None:
            raise ValidationError({name: [_("?candidate=<id> et ?epreuve=<numéro> sont des nombres.")]})
        values.append(as_id(raw) if raw else None)
    return values[0], values[1]


def _visible(model_or_qs, user, pk, field: str):
    """An object of the user's sites named by an id in the body; unknown → 400 on that field, in French."""
    if pk is None:
        return None
    try:
        return visible_or_404(model_or_qs, user, pk=pk)
    except Http404:
        raise ValidationError(
            {field: [_("Aucun objet n° %(pk)s parmi ceux de vos sites.") % {"pk": pk}]}
        ) from None


def _site_user(site, pk, field: str):
    if pk is None:
        return None
    user = User.objects.filter(pk=pk, sites=site).first()
    if user is None:
        raise ValidationError({field: [_("Aucun utilisateur n° %(pk)s sur ce site.") % {"pk": pk}]})
    return user


class ReferentielViewSet(viewsets.ViewSet):
    """The référentiel in force, or `?version=` (blocs, competences with their criteria, épreuves)."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        require_step(request.user, "certification.view")

    @extend_schema(
        parameters=[
            OpenApiParameter("version", OpenApiTypes.STR, description="Version, la plus récente par défaut.")
        ],
        responses=s.ReferentielSerializer,
    )
    def list(self, request):
        version = request.query_params.get("version")
        referentiel = selectors.referentiel_get(version)
        if referentiel is None:
            raise NotFound(_("Aucun référentiel en version « %(v)s ».") % {"v": version or ""})
        return Response(selectors.referentiel_as_api(referentiel))


class OrganisationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Training organisations and companies of your sites."""

    serializer_class = s.OrganisationSerializer
    queryset = Organisation.objects.none()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        require_step(request.user, "certification.manage")

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Organisation.objects.none()
        return selectors.organisation_list(user=self.request.user)

    @extend_schema(request=s.OrganisationCreateSerializer, responses={201: s.OrganisationSerializer})
    def create(self, request):
        data = s.OrganisationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        site = _visible(Site, request.user, values.pop("site"), "site")
        organisation = services.organisation_create(actor=request.user, site=site, **values)
        return Response(s.OrganisationSerializer(organisation).data, status=status.HTTP_201_CREATED)


class CandidateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Candidates of your sites; personal data only for their organisation's members."""

    serializer_class = s.CandidateSerializer
    queryset = Candidate.objects.none()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        require_step(request.user, "certification.manage")

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Candidate.objects.none()
        return selectors.candidate_list(user=self.request.user)

    def get_object(self):
        return selectors.candidate_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(request=s.CandidateCreateSerializer, responses={201: s.CandidateSerializer})
    def create(self, request):
        data = s.CandidateCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        user = request.user
        organisation = _visible(Organisation, user, values.pop("organisation"), "organisation")
        values["company"] = _visible(Organisation, user, values.pop("company", None), "company")
        values["tutor"] = _site_user(organisation.site, values.pop("tutor", None), "tutor")
        values["trainer"] = _site_user(organisation.site, values.pop("trainer", None), "trainer")
        candidate = services.candidate_register(actor=user, organisation=organisation, **values)
        return Response(self.get_serializer(candidate).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.TopicSerializer, responses=s.CandidateSerializer)
    @action(detail=True, methods=["post"], url_path="e3-topic")
    def e3_topic(self, request, pk=None):
        candidate = self.get_object()  # another site's candidate: 404 before the body is read
        data = s.TopicSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        candidate = services.candidate_topic_set(
            actor=request.user, candidate=candidate, topic=data.validated_data["topic"]
        )
        return Response(self.get_serializer(candidate).data)

    @extend_schema(request=s.DerogationSerializer, responses=s.CandidateSerializer)
    @action(detail=True, methods=["post"], url_path="e3-derogation")
    def e3_derogation(self, request, pk=None):
        candidate = self.get_object()  # another site's candidate: 404 before the body is read
        data = s.DerogationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        candidate = services.candidate_derogation_grant(
            actor=request.user, candidate=candidate, reason=data.validated_data["reason"]
        )
        return Response(self.get_serializer(candidate).data)


class SessionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Certification sessions: all those of the sites you manage, and those you judge."""

    serializer_class = s.SessionSerializer
    queryset = CertificationSession.objects.none()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        require_step(
            request.user,
            "certification.judge" if self.action in ("list", "retrieve", "draws") else "certification.manage",
        )

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CertificationSession.objects.none()
        return selectors.session_list(user=self.request.user).prefetch_related(
            "epreuves", "candidates", "jurors__user"
        )

    def get_object(self):
        return selectors.session_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(request=s.SessionCreateSerializer, responses={201: s.SessionSerializer})
    def create(self, request):
        data = s.SessionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        site = _visible(Site, request.user, values.pop("site"), "site")
        referentiel = selectors.referentiel_current()
        numbers = values.pop("epreuves")
        epreuves = list(Epreuve.objects.filter(referentiel=referentiel, number__in=numbers))
        session = services.session_create(actor=request.user, site=site, epreuves=epreuves, **values)
        return Response(self.get_serializer(session).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.SessionCandidateSerializer, responses=s.SessionSerializer)
    @action(detail=True, methods=["post"])
    def candidates(self, request, pk=None):
        session = self.get_object()
        data = s.SessionCandidateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        candidate = _visible(Candidate, request.user, data.validated_data["candidate"], "candidate")
        services.session_candidate_add(actor=request.user, session=session, candidate=candidate)
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(request=s.SessionJurorCreateSerializer, responses=s.SessionSerializer)
    @action(detail=True, methods=["post"])
    def jurors(self, request, pk=None):
        session = self.get_object()
        data = s.SessionJurorCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = _site_user(session.site, data.validated_data["user"], "user")
        employer = _visible(Organisation, request.user, data.validated_data.get("employer"), "employer")
        services.session_juror_add(actor=request.user, session=session, user=user, employer=employer)
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(methods=["GET"], request=None, responses=s.DrawSerializer(many=True))
    @extend_schema(methods=["POST"], request=s.DrawCreateSerializer, responses={201: s.DrawSerializer})
    @action(detail=True, methods=["get", "post"])
    def draws(self, request, pk=None):
        session = self.get_object()
        if request.method == "GET":
            return Response(s.DrawSerializer(selectors.session_draws(session), many=True).data)
        data = s.DrawCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        epreuve = session.epreuves.filter(number=values["epreuve"]).first()
        if epreuve is None:
            raise ValidationError({"epreuve": [_("Cette épreuve ne fait pas partie de la session.")]})
        enrolled = {c.pk: c for c in session.candidates.all()}
        unknown = [pk for pk in [values["candidate"], *values["present"]] if pk not in enrolled]
        if unknown:
            raise ValidationError(
                {
                    "candidate": [
                        _("Candidats non inscrits à la session : %(ids)s.")
                        % {"ids": ", ".join(map(str, unknown))}
                    ]
                }
            )
        draw = services.draw_make(
            actor=request.user,
            session=session,
            epreuve=epreuve,
            candidate=enrolled[values["candidate"]],
            present=[enrolled[pk] for pk in values["present"]],
            reason=values["reason"],
        )
        return Response(s.DrawSerializer(draw).data, status=status.HTTP_201_CREATED)


def _grid_subject(session, epreuve_number, candidate_id):
    epreuve = session.epreuves.filter(number=epreuve_number).first()
    if epreuve is None:
        raise ValidationError({"epreuve": [_("Cette épreuve ne fait pas partie de la session.")]})
    candidate = session.candidates.filter(pk=candidate_id).first()
    if candidate is None:
        raise ValidationError({"candidate": [_("Ce candidat n'est pas inscrit à la session.")]})
    return epreuve, candidate


class SessionGridViewSet(viewsets.ViewSet):
    """The evaluation grid of a candidate at an épreuve (GET ?epreuve=&candidate=), an evaluator's grid handed
    in whole (POST), the jury's decision where the two evaluators differ (POST decisions/)."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        require_step(request.user, "certification.judge")

    def _session(self, request, pk):
        return selectors.session_get(user=request.user, pk=pk)

    @extend_schema(
        parameters=[
            OpenApiParameter("pk", OpenApiTypes.INT, OpenApiParameter.PATH),
            OpenApiParameter("candidate", OpenApiTypes.INT, description="Un candidat ; tous par défaut."),
            OpenApiParameter(
                "epreuve", OpenApiTypes.INT, description="Numéro ; toutes les épreuves par défaut."
            ),
        ],
        responses=s.GridSerializer(many=True),
    )
    def list(self, request, pk=None):
        """The grids of the session (each candidate at each épreuve), read in a fixed number of queries."""
        session = self._session(request, pk)
        candidate_id, number = candidate_and_epreuve(request)
        candidates = session.candidates.order_by("last_name", "first_name", "pk")
        if candidate_id is not None:
            candidates = candidates.filter(pk=candidate_id)
            if not candidates.exists():
                raise ValidationError({"candidate": [_("Ce candidat n'est pas inscrit à la session.")]})
        chosen = session.epreuves.order_by("number")
        if number is not None:
            chosen = chosen.filter(number=number)
        epreuves, candidates = list(chosen), list(candidates)
        every = selectors.grids(session, epreuves, candidates)
        return Response([s.grid_as_api(e, c, every[(e.pk, c.pk)]) for c in candidates for e in epreuves])

    @extend_schema(
        parameters=[OpenApiParameter("pk", OpenApiTypes.INT, OpenApiParameter.PATH)],
        request=s.GridSubmitSerializer,
        responses={201: s.GridSerializer},
    )
    def create(self, request, pk=None):
        from atelier.certification.services_grids import GivenMark, evaluation_submit

        session = self._session(request, pk)
        data = s.GridSubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        epreuve, candidate = _grid_subject(session, values["epreuve"], values["candidate"])
        marks = [GivenMark(m["criterion"], m["acquired"], m["comment"]) for m in values["marks"]]
        evaluation_submit(
            actor=request.user, session=session, epreuve=epreuve, candidate=candidate, marks=marks
        )
        body = s.grid_as_api(epreuve, candidate, selectors.grid(session, epreuve, candidate))
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[OpenApiParameter("pk", OpenApiTypes.INT, OpenApiParameter.PATH)],
        request=s.DecisionCreateSerializer,
        responses={201: s.GridSerializer},
    )
    @action(detail=False, methods=["post"])
    def decisions(self, request, pk=None):
        from atelier.certification.models import Criterion
        from atelier.certification.services_grids import decision_record

        session = self._session(request, pk)
        data = s.DecisionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        epreuve, candidate = _grid_subject(session, values["epreuve"], values["candidate"])
        criterion = Criterion.objects.filter(pk=values["criterion"], competence__epreuves=epreuve).first()
        if criterion is None:
            raise ValidationError({"criterion": [_("Ce critère n'est pas un critère de l'épreuve.")]})
        decision_record(
            actor=request.user,
            session=session,
            epreuve=epreuve,
            candidate=candidate,
            criterion=criterion,
            acquired=values["acquired"],
            reason=values["reason"],
        )
        body = s.grid_as_api(epreuve, candidate, selectors.grid(session, epreuve, candidate))
        return Response(body, status=status.HTTP_201_CREATED)
