"""Operations API: the periodic jobs, their runs (read), and « Lancer maintenant »."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from atelier.core.access import require_step
from atelier.core.models import Site
from atelier.core.scoping import visible_or_404
from atelier.operations import selectors, services
from atelier.operations.api.serializers import JobRunSerializer, JobSerializer, LaunchSerializer
from atelier.operations.registry import all_jobs


class JobRunViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Runs of the periodic jobs, newest first: those of one's sites and those for all sites (?job=NAME)."""

    serializer_class = JobRunSerializer

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        require_step(request.user, "operations.view")

    def get_queryset(self):
        runs = selectors.runs_visible_to(self.request.user)
        if name := self.request.query_params.get("job", ""):
            # an unknown job has no run (and never reaches the database: PostgreSQL refuses NUL characters)
            runs = runs.filter(job=name) if name in all_jobs() else runs.none()
        return runs

    @extend_schema(
        parameters=[
            OpenApiParameter("job", str, description="A job's name (see /api/operations/runs/jobs/).")
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(responses=JobSerializer(many=True), description="The periodic jobs and their schedule.")
    @action(detail=False, methods=["get"], pagination_class=None)
    def jobs(self, request):
        rows = [
            {
                "name": job.name,
                "label": str(job.label),
                "schedule": job.schedule.label,
                "per_site": job.per_site,
                "available": job.available,
            }
            for job in all_jobs().values()
        ]
        return Response(JobSerializer(rows, many=True).data)

    @extend_schema(
        request=LaunchSerializer,
        responses=JobRunSerializer(many=True),
        description="« Lancer maintenant »: runs the job now (for `site` when it runs per site).",
    )
    @action(detail=False, methods=["post"], pagination_class=None)
    def launch(self, request):
        data = LaunchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        site_id = data.validated_data["site"]
        site = visible_or_404(Site, request.user, pk=site_id) if site_id is not None else None
        runs = services.job_run_now(actor=request.user, name=data.validated_data["job"], site=site)
        return Response(JobRunSerializer(runs, many=True).data, status=status.HTTP_201_CREATED)
