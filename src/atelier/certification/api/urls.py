"""API routes of certification, under /api/certification/; config/api_urls.py includes `router.registry`."""

from rest_framework.routers import DefaultRouter

from atelier.certification.api import evidence
from atelier.certification.api.results import CertificateViewSet, SessionResultsViewSet
from atelier.certification.api.views import (
    CandidateViewSet,
    OrganisationViewSet,
    ReferentielViewSet,
    SessionGridViewSet,
    SessionViewSet,
)

router = DefaultRouter()
router.register("certification/referentiel", ReferentielViewSet, basename="certification-referentiel")
router.register("certification/organisations", OrganisationViewSet, basename="certification-organisation")
router.register("certification/candidates", CandidateViewSet, basename="certification-candidate")
router.register("certification/sessions", SessionViewSet, basename="certification-session")
router.register(
    r"certification/sessions/(?P<pk>[0-9]+)/grid", SessionGridViewSet, basename="certification-session-grid"
)
# deliberation and results (api/results.py)
router.register(
    r"certification/sessions/(?P<pk>[0-9]+)/results",
    SessionResultsViewSet,
    basename="certification-session-results",
)
router.register("certification/certificates", CertificateViewSet, basename="certification-certificate")
# timers, questions, evidence dossiers, mock sessions, progress, role-plays (issue 19, points 4, 6, 7)
for _prefix, _viewset, _basename in evidence.ROUTES:
    router.register(_prefix, _viewset, basename=_basename)
