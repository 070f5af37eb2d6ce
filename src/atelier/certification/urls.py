from django.urls import path

from atelier.certification import views, views_preparation

app_name = "certification"
urlpatterns = [
    path("", views.index, name="index"),
    path("sessions/<int:pk>/", views.session_detail, name="session"),
    path("sessions/<int:pk>/grilles/", views.grid, name="grid"),
    path("candidats/", views.candidate_list, name="candidates"),
    path("candidats/<int:pk>/", views.candidate_detail, name="candidate"),
    path("organismes/", views.organisation_list, name="organisations"),
    path("referentiel/", views.referentiel, name="referentiel"),
    # preparation (issue 19, point 6)
    path("candidats/<int:pk>/progression/", views_preparation.candidate_progress, name="progress"),
    path("sessions/<int:pk>/blanche/", views_preparation.session_mock, name="session_mock"),
    path("jeux-de-role/", views_preparation.scenarios, name="scenarios"),
    path("jeux-de-role/<int:pk>/", views_preparation.scenario_detail, name="scenario"),
]
