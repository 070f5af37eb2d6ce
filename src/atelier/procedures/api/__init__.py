"""Procedure API. `router` is mounted by config.api_urls."""

from rest_framework.routers import DefaultRouter

from atelier.procedures.api.views import CaseProcedureRunViewSet, ProcedureRunViewSet, ProcedureViewSet

router = DefaultRouter()
router.register("procedures", ProcedureViewSet, basename="procedure")
router.register(
    r"cases/(?P<pk>[0-9]+)/procedure-runs", CaseProcedureRunViewSet, basename="case-procedure-run"
)
router.register("procedure-runs", ProcedureRunViewSet, basename="procedure-run")
