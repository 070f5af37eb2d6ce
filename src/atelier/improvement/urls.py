from django.urls import path

from atelier.improvement import views

app_name = "improvement"
urlpatterns = [
    path("", views.index, name="index"),
    path("actions/nouvelle/", views.action_create, name="create"),
    path("actions/<int:pk>/", views.action_detail, name="detail"),
    path("enquete/", views.survey_answers, name="surveys"),
    path("enquete/<int:pk>/suivi/", views.follow_up, name="follow_up"),
    path("donnees-ouvertes/", views.ords_export, name="ords"),
    path("donnees-ouvertes/sites/<int:pk>/", views.ords_settings, name="ords_settings"),
]
