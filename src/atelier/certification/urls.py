from django.urls import path

from atelier.certification import views

app_name = "certification"
urlpatterns = [
    path("", views.index, name="index"),
    path("sessions/<int:pk>/", views.session_detail, name="session"),
    path("sessions/<int:pk>/grilles/", views.grid, name="grid"),
    path("candidats/", views.candidate_list, name="candidates"),
    path("candidats/<int:pk>/", views.candidate_detail, name="candidate"),
    path("organismes/", views.organisation_list, name="organisations"),
    path("referentiel/", views.referentiel, name="referentiel"),
]
