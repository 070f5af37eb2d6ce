"""API routes of improvement; config/api_urls.py includes `router.registry`."""

from rest_framework.routers import DefaultRouter

from atelier.improvement.api.views import ImprovementActionViewSet, SurveyAnswerViewSet

router = DefaultRouter()
router.register("survey-answers", SurveyAnswerViewSet, basename="survey-answer")
router.register("improvement-actions", ImprovementActionViewSet, basename="improvement-action")
