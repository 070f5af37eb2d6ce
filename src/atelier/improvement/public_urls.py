"""The customer's satisfaction survey from the public tracking page (mounted under /suivi/, public by token)."""

from django.urls import path

from atelier.improvement import views

app_name = "improvement_public"
urlpatterns = [
    path("<str:token>/avis/", views.public_survey, name="survey"),
]
